import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineOutput } from '../../core/index.js';
import { buildXls, ptgNameX } from '../../../test/builders/biff.js';
import { buildCfb } from '../../../test/builders/cfb.js';
import { makeContext } from '../../../test/support/engine-context.js';
import { officeEngine } from './index.js';

const run = (bytes: Uint8Array): Promise<EngineOutput> =>
  Promise.resolve(officeEngine.analyze(makeContext(bytes, { name: 'book.xls' })));
const ids = (out: EngineOutput) => (out.findings ?? []).map((f) => f.id).sort();
const evidenceOf = (out: EngineOutput, id: string) =>
  out.findings?.find((f) => f.id === id)?.evidence ?? [];

test("office engine .xls: =cmd|'/c …'!A0 (SUPBOOK + EXTERNNAME + PtgNameX) is DDE command execution", async () => {
  const out = await run(
    buildXls({
      sheets: [{ name: 'Sheet1', cells: [{ ref: 'B2', rgce: ptgNameX(1) }] }],
      ddeLinks: [{ application: 'cmd', topic: '/c echo emoguard-test', item: 'A0' }],
    }),
  );
  assert.deepEqual(ids(out), ['office.dde-command-execution']);
  const [evidence] = evidenceOf(out, 'office.dde-command-execution');
  assert.equal(evidence?.text, "=cmd|'/c echo emoguard-test'!A0 (cells Sheet1!B2)");
  assert.equal(evidence?.location, 'Workbook');
  assert.equal(evidence?.note, 'server cmd; command cmd /c echo emoguard-test');
  assert.ok(typeof evidence?.offset === 'number' && evidence.offset > 0, 'EXTERNNAME offset');
});

test('office engine .xls: a DDE link to a data server is a DDE field; an OLE link is not reported', async () => {
  const out = await run(
    buildXls({
      sheets: [{ name: 'Sheet1', cells: [] }],
      ddeLinks: [
        { application: 'REUTER', topic: 'IDN', item: 'EUR=' },
        { application: 'cmd', topic: '/c echo ole', item: 'A0', isOle: true },
      ],
    }),
  );
  assert.deepEqual(ids(out), ['office.dde-field']);
  assert.equal(evidenceOf(out, 'office.dde-field').length, 1, 'only the DDE link');
});

test('office engine .xls: a workbook without links, or not BIFF at all, raises nothing', async () => {
  assert.deepEqual(ids(await run(buildXls({ sheets: [{ name: 'Sheet1', cells: [] }] }))), []);
  const junk = buildCfb({ streams: [{ path: 'Workbook', data: new Uint8Array(64).fill(0x41) }] });
  const out = await run(junk.bytes);
  assert.deepEqual(ids(out), [], 'the xlm engine reports the parse failure, not this one');
});
