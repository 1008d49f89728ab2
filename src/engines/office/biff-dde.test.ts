import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineOutput } from '../../core/index.js';
import {
  buildLegacySheet,
  legacyExternRef,
  legacyXlmSpec,
} from '../../../test/builders/biff-legacy.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { officeEngine } from './index.js';

const run = (bytes: Uint8Array): Promise<EngineOutput> =>
  Promise.resolve(officeEngine.analyze(makeContext(bytes, { name: 'macro.xlm', type: 'biff' })));
const ids = (out: EngineOutput) => (out.findings ?? []).map((f) => f.id).sort();

test('office engine runs on biff (Excel 2.x–4.0) files', () => {
  assert.ok((officeEngine.types as readonly string[]).includes('biff'), 'biff in types');
});

test("office engine BIFF4 .xlm: =cmd|'/c …'!A0 (EXTERNSHEET + EXTERNNAME + PtgSheet/PtgName) is DDE command execution, as for .xls", async () => {
  const out = await run(
    buildLegacySheet(4, {
      type: 'macro',
      externSheets: [
        { dde: { application: 'cmd', topic: '/c echo emoguard-test' }, names: [{ name: 'A0' }] },
      ],
      cells: [{ ref: 'B2', rgce: legacyExternRef(4, 1, { name: 1 }) }],
    }),
  );
  assert.deepEqual(ids(out), ['office.dde-command-execution']);
  const [evidence] = out.findings![0]!.evidence;
  assert.equal(evidence?.text, "=cmd|'/c echo emoguard-test'!A0 (cells B2)");
  assert.equal(evidence?.location, 'macro.xlm');
  assert.equal(evidence?.note, 'server cmd; command cmd /c echo emoguard-test');
  assert.ok(typeof evidence?.offset === 'number' && evidence.offset > 0, 'EXTERNNAME offset');
});

test('office engine BIFF3: a DDE link to a data server is a DDE field; OLE links, external workbooks and plain XLM raise nothing here', async () => {
  const data = await run(
    buildLegacySheet(3, {
      externSheets: [
        { dde: { application: 'REUTER', topic: 'IDN' }, names: [{ name: 'EUR=' }] },
        { dde: { application: 'cmd', topic: '/c echo ole' }, names: [{ name: 'A0', isOle: true }] },
        { document: '\u0001\u0001Cdata\u0003[book.xls]Sheet1' },
      ],
      cells: [],
    }),
  );
  assert.deepEqual(ids(data), ['office.dde-field']);
  assert.equal(data.findings![0]!.evidence.length, 1, 'only the DDE link');
  assert.deepEqual(ids(await run(buildLegacySheet(4, legacyXlmSpec()))), []);
  assert.deepEqual(
    ids(await run(Uint8Array.of(0x09, 0x04, 0x06, 0, 0, 0))),
    [],
    'not BIFF after all',
  );
});
