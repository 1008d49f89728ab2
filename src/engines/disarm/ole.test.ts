import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_LIMITS, LimitError, resolveLimits } from '../../core/index.js';
import { joinBiffStream, parseWorkbook, splitBiffStream } from '../../formats/biff/index.js';
import { buildWorkbookStream, emotetXlmSpec } from '../../../test/builders/biff.js';
import { parseCfb } from '../../formats/cfb/index.js';
import { scanDocFieldCodes } from '../../formats/oleobj/index.js';
import { readVbaProjects } from '../../formats/ovba/index.js';
import {
  buildActiveDoc,
  buildActivePpt,
  buildActiveXls,
  DOC_TEXT,
  wordDocumentStream,
  XLS_TEXT,
} from '../../../test/builders/ole-active.js';
import {
  buildCfb,
  patternBytes,
  withEntryField,
  withFatEntry,
} from '../../../test/builders/cfb.js';
import { buildPpt, pptRecord } from '../../../test/builders/oleobj.js';
import { findPptOleStorages } from '../../formats/oleobj/index.js';
import { inflateSync } from 'node:zlib';
import { zlibOfLength } from './ole-ppt.js';
import { disarmOle } from './ole.js';

const options = { limits: DEFAULT_LIMITS };
const kinds = (out: ReturnType<typeof disarmOle>): string[] =>
  out.removed.map((r) => r.kind).sort();
const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

function disarmed(bytes: Uint8Array) {
  const out = disarmOle(bytes, options);
  assert.equal(out.status, 'disarmed', out.reason);
  const cfb = parseCfb(out.output!);
  assert.deepEqual(cfb.anomalies, []);
  return { out, cfb };
}

describe('disarmOle: Word', () => {
  test('.doc with a VBA project, a DDEAUTO field and a package object → all three removed, text kept', () => {
    const { out, cfb } = disarmed(
      buildActiveDoc({ hasMacro: true, hasDde: true, hasObject: true }),
    );
    assert.deepEqual(kinds(out), ['dde-field', 'embedded-package', 'vba-project']);
    assert.equal(cfb.find('Macros'), undefined);
    assert.equal(readVbaProjects(cfb).length, 0);
    assert.deepEqual(
      cfb.entries.filter((e) => e.path.startsWith('ObjectPool')).map((e) => e.path),
      ['ObjectPool'],
    );
    const word = cfb.readStream('WordDocument')!;
    const before = wordDocumentStream({ hasDde: true });
    assert.equal(word.length, before.length, 'the text keeps its length: CPs stay valid');
    assert.equal(scanDocFieldCodes(word).fields.length, 0, 'no instruction is left');
    const text = latin1(word.subarray(0x200));
    assert.ok(text.startsWith(DOC_TEXT.slice(0, 15)) && text.endsWith(DOC_TEXT.slice(15)));
    assert.match(text, /\x13 +\x14result\x15/);
    assert.equal(
      out.removed.find((r) => r.kind === 'dde-field')!.detail,
      'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"',
    );
    assert.equal(out.removed.find((r) => r.kind === 'vba-project')!.location, 'Macros');
  });

  test('UTF-16 text: the DDE instruction becomes UTF-16 spaces, the marks stay', () => {
    const { cfb } = disarmed(buildActiveDoc({ hasDde: true, encoding: 'utf16' }));
    const word = cfb.readStream('WordDocument')!;
    const units = new Uint16Array(word.slice(0x200).buffer);
    const text = String.fromCharCode(...units);
    assert.match(text, /\x13 +\x14result\x15/);
    assert.ok(text.startsWith(DOC_TEXT.slice(0, 15)));
  });

  test('a clean .doc is unchanged: the same bytes come back', () => {
    const bytes = buildActiveDoc({});
    const out = disarmOle(bytes, options);
    assert.equal(out.status, 'unchanged');
    assert.equal(out.output, bytes);
    assert.deepEqual(out.removed, []);
  });

  test('FIB fEncrypted → refused as encrypted, nothing written', () => {
    const out = disarmOle(buildActiveDoc({ hasMacro: true, fibFlags: 0x0100 }), options);
    assert.deepEqual([out.status, out.refusal, out.output], ['refused', 'encrypted', undefined]);
  });
});

describe('disarmOle: Excel', () => {
  test('Emotet-style XLM dropper: macro sheet made a worksheet without formulas, Auto_Open renamed', () => {
    const { out, cfb } = disarmed(buildActiveXls({ hasXlm: true }));
    assert.deepEqual(kinds(out), ['macro-sheet', 'xlm-auto-name']);
    const book = parseWorkbook(cfb.readStream('Workbook')!);
    assert.deepEqual(book.anomalies, [], 'BoundSheet8 offsets were recomputed');
    assert.deepEqual(
      book.sheets.map((s) => [s.name, s.type, s.cells.filter((c) => c.formula).length]),
      [
        ['Sheet1', 'worksheet', 0],
        ['Macro1', 'worksheet', 0],
      ],
    );
    assert.deepEqual(
      book.names.map((n) => [n.name, n.isBuiltin]),
      [['Disarmed1_Auto_Open', false]],
    );
    assert.equal(book.sheets[0]!.cells[0]!.value, XLS_TEXT);
  });

  test('BIFF5 (Book stream) dropper is neutralised the same way', () => {
    const { cfb } = disarmed(buildActiveXls({ hasXlm: true, version: 5 }));
    const book = parseWorkbook(cfb.readStream('Book')!);
    assert.deepEqual(book.anomalies, []);
    assert.ok(book.sheets.every((s) => s.type === 'worksheet'));
    assert.ok(book.names.every((n) => !/^auto_/i.test(n.name)));
  });

  test('VBA project, ObjProj and an MBD object storage → removed', () => {
    const { out, cfb } = disarmed(buildActiveXls({ hasMacro: true, hasObject: true }));
    assert.deepEqual(kinds(out), ['embedded-package', 'other', 'vba-project']);
    assert.equal(cfb.find('_VBA_PROJECT_CUR'), undefined);
    assert.equal(cfb.find('MBD0001A2B3'), undefined);
    const stream = cfb.readStream('Workbook')!;
    assert.equal(parseWorkbook(stream).sheets[0]!.cells[0]!.value, XLS_TEXT);
    const types: number[] = [];
    for (
      let at = 0;
      at + 4 <= stream.length;
      at += 4 + (stream[at + 2]! | (stream[at + 3]! << 8))
    ) {
      types.push(stream[at]! | (stream[at + 1]! << 8));
    }
    assert.ok(!types.includes(0x00d3), 'ObjProj is gone');
  });

  test('a macro-sheet BOF under a BoundSheet8 that says worksheet loses its formulas too', () => {
    const { substreams } = splitBiffStream(buildWorkbookStream(emotetXlmSpec()));
    const sheets = substreams[0]!.filter((r) => r.type === 0x0085);
    sheets[1]!.data = sheets[1]!.data.slice();
    sheets[1]!.data[5] = 0; // BoundSheet8.dt: worksheet
    const bytes = buildCfb({ streams: [{ path: 'Workbook', data: joinBiffStream(substreams) }] });
    const { out, cfb } = disarmed(bytes.bytes);
    assert.ok(
      out.removed.some((r) => r.kind === 'macro-sheet' && r.location.includes('substream')),
    );
    const book = parseWorkbook(cfb.readStream('Workbook')!);
    assert.deepEqual(book.anomalies, []);
    assert.ok(book.sheets.every((s) => s.cells.every((c) => !c.formula)));
  });

  test('FILEPASS (RC4 CryptoAPI) → refused as encrypted', () => {
    const out = disarmOle(buildActiveXls({ hasXlm: true, filepass: 'rc4-cryptoapi' }), options);
    assert.deepEqual([out.status, out.refusal], ['refused', 'encrypted']);
  });
});

describe('disarmOle: PowerPoint', () => {
  const vbaInfo = pptRecord(
    0x0f,
    0,
    0x03ff,
    pptRecord(2, 0, 0x0400, Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0])),
  );

  test('VbaProjectStg (zlib) and a package ExOleObjStg (stored) are emptied in place, fHasMacros 0', () => {
    const source = buildActivePpt();
    const { out, cfb } = disarmed(source);
    assert.deepEqual(kinds(out), ['embedded-package', 'vba-project']);
    const before = parseCfb(source).readStream('PowerPoint Document')!;
    const after = cfb.readStream('PowerPoint Document')!;
    assert.equal(after.length, before.length, 'no record moved: persist offsets stay valid');
    const storages = findPptOleStorages(after, {
      maxBytesPerStorage: () => ({ maxBytes: 1 << 20, limit: 'x' }),
      maxTotalBytes: 1 << 20,
    });
    assert.deepEqual(storages.anomalies, []);
    assert.equal(storages.storages.length, 2);
    for (const storage of storages.storages) {
      const inner = parseCfb(storage.bytes);
      assert.deepEqual(inner.anomalies, []);
      assert.deepEqual(
        inner.entries.map((e) => e.type),
        ['root'],
      );
    }
    const at = findBytes(after, [0x00, 0x04, 0x0c, 0, 0, 0]) + 6; // VBAInfoAtom header tail
    assert.deepEqual([...after.subarray(at, at + 12)], [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0]);
  });

  test('zlibOfLength: every length from the minimum up inflates to the payload plus 0-4 zeros', () => {
    const payload = patternBytes(700, 3);
    let shortest = 0;
    for (let length = 1; length < 900; length++) {
      const z = zlibOfLength(payload, length);
      if (!z) continue;
      shortest ||= length;
      assert.equal(z.bytes.length, length);
      const inflated = new Uint8Array(inflateSync(z.bytes));
      assert.equal(inflated.length, z.inflatedLength);
      assert.deepEqual(inflated.subarray(0, 700), payload);
      assert.ok(inflated.subarray(700).every((b) => b === 0));
    }
    assert.ok(shortest > 700 && shortest < 730, `shortest ${shortest}`);
  });

  test('an ExOleObjStg too small for an empty storage → refused, not half-done', () => {
    const tiny = pptRecord(0, 0, 0x1011, new Uint8Array(100));
    const out = disarmOle(buildPpt([tiny]), options);
    assert.deepEqual([out.status, out.refusal], ['refused', 'unsupported']);
  });

  test('CryptSession10Container → encrypted; a record overrunning its container → malformed', () => {
    const crypt = pptRecord(0x0f, 0, 0x2f14, pptRecord(0, 0, 0x2f15, new Uint8Array(4)));
    assert.equal(disarmOle(buildPpt([crypt]), options).refusal, 'encrypted');
    const overrun = pptRecord(0x0f, 0, 0x03ff, new Uint8Array(4));
    new DataView(overrun.buffer).setUint32(4, 400, true);
    assert.equal(disarmOle(buildPpt([vbaInfo, overrun]), options).refusal, 'malformed');
  });

  test('a presentation without them is unchanged', () => {
    assert.equal(disarmOle(buildPpt([]), options).status, 'unchanged');
  });
});

function findBytes(haystack: Uint8Array, needle: number[]): number {
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((b, j) => haystack[i + j] === b)) return i;
  }
  return -1;
}

describe('disarmOle: hostile compound files', () => {
  const built = buildCfb({
    streams: [
      { path: 'WordDocument', data: wordDocumentStream({ hasDde: true }) },
      { path: 'Data', data: patternBytes(6000, 2) },
    ],
  });

  test('a FAT cycle → refused as malformed, no output', () => {
    const data = built.nodes.get('Data')!;
    const out = disarmOle(withFatEntry(built, data.sectors[5]!, data.sectors[1]!), options);
    assert.deepEqual([out.status, out.refusal, out.output], ['refused', 'malformed', undefined]);
    assert.match(out.reason!, /E_CFB_SECTOR_CYCLE/);
  });

  test('a directory loop → refused as malformed', () => {
    const id = built.nodes.get('Data')!.id;
    const out = disarmOle(withEntryField(built, id, 'left', id), options);
    assert.deepEqual([out.status, out.refusal], ['refused', 'malformed']);
  });

  test('a directory larger than maxMembers → refused as a limit; at the limit it is disarmed', () => {
    const streams: { path: string; data: Uint8Array }[] = Array.from({ length: 40 }, (_, i) => ({
      path: `S/${i}`,
      data: new Uint8Array(1),
    }));
    streams.push({ path: 'WordDocument', data: wordDocumentStream({ hasDde: true }) });
    const bytes = buildCfb({ streams }).bytes; // root + S + 41 streams = 43 entries
    const over = disarmOle(bytes, { limits: resolveLimits({ maxMembers: 42 }) });
    assert.deepEqual([over.status, over.refusal], ['refused', 'limit']);
    const at = disarmOle(bytes, { limits: resolveLimits({ maxMembers: 43 }) });
    assert.equal(at.status, 'disarmed');
  });

  test('moot anomalies do not refuse: an orphan entry is dropped, a v3 size high half is ignored', () => {
    const withJunk = buildCfb({
      streams: [
        { path: 'WordDocument', data: wordDocumentStream({ hasDde: true }) },
        { path: 'Junk/hidden', data: patternBytes(100, 4) },
      ],
    });
    const orphaned = withEntryField(withJunk, withJunk.nodes.get('Junk')!.id, 'child', 0xffffffff);
    const { cfb } = disarmed(orphaned);
    assert.equal(cfb.find('Junk/hidden'), undefined);
    assert.equal(cfb.find('Junk')?.type, 'storage');
    const id = withJunk.nodes.get('WordDocument')!.id;
    disarmed(withEntryField(withJunk, id, 'sizeHigh', 1));
  });

  test('not a compound file at all → refused, never thrown', () => {
    const out = disarmOle(new Uint8Array(100), options);
    assert.deepEqual([out.status, out.refusal], ['refused', 'malformed']);
  });

  test('a deadline that passes → refused as a limit', () => {
    const out = disarmOle(buildActiveDoc({ hasMacro: true }), {
      limits: DEFAULT_LIMITS,
      checkDeadline: () => {
        throw new LimitError('E_LIMIT_TIME', 'late', { limit: 'maxTimePerArtifactMs', max: 1 });
      },
    });
    assert.deepEqual([out.status, out.refusal, out.output], ['refused', 'limit', undefined]);
  });
});
