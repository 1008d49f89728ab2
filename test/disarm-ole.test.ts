/**
 * The OLE disarmer against the real scanner: each kind of active content is found in the original,
 * and the disarmed copy scans with no macro, XLM, DDE or object findings and a clean verdict.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_LIMITS, type ScanResult } from '../src/core/index.js';
import { disarmOle } from '../src/engines/disarm/ole.js';
import { scanInput } from '../src/pipeline/index.js';
import { buildActiveDoc, buildActivePpt, buildActiveXls } from './builders/ole-active.js';

const ACTIVE = /^(vba\.|xlm\.|office\.dde|office\.package|office\.embedded-object)/;

function ids(result: ScanResult): string[] {
  const all = [...result.findings.map((f) => f.id)];
  for (const child of result.children ?? []) all.push(...ids(child));
  return [...new Set(all)].sort();
}

// PowerPoint keeps its ExOleObjStg records (emptied in place, so no offset moves): the office engine
// still notes each one as an (info) embedded object, now an empty storage.
const KEPT_PPT_RECORDS = ['office.embedded-object'];

const CASES: [string, Uint8Array, RegExp, string[]?][] = [
  [
    '.doc: VBA + DDEAUTO + package',
    buildActiveDoc({ hasMacro: true, hasDde: true, hasObject: true }),
    /vba\.autoexec|office\.dde-command/,
  ],
  [
    '.doc: UTF-16 DDEAUTO',
    buildActiveDoc({ hasDde: true, encoding: 'utf16' }),
    /office\.dde-command/,
  ],
  ['.xls: XLM dropper', buildActiveXls({ hasXlm: true }), /xlm\.autoexec/],
  ['.xls (BIFF5): XLM dropper', buildActiveXls({ hasXlm: true, version: 5 }), /xlm\.autoexec/],
  ['.xls: VBA + MBD package', buildActiveXls({ hasMacro: true, hasObject: true }), /vba\.autoexec/],
  [
    '.ppt: VbaProjectStg + package ExOleObjStg',
    buildActivePpt(),
    /vba\.autoexec|office\.package/,
    KEPT_PPT_RECORDS,
  ],
];

describe('disarmed OLE documents re-scan clean', () => {
  for (const [name, bytes, before, allowed = []] of CASES) {
    test(`${name}: found before, gone after`, async () => {
      const original = await scanInput({ path: 'in.bin', bytes });
      assert.ok(
        ids(original).some((id) => before.test(id)),
        ids(original).join(' '),
      );
      const out = disarmOle(bytes, { limits: DEFAULT_LIMITS });
      assert.equal(out.status, 'disarmed', out.reason);
      const rescan = await scanInput({ path: 'out.bin', bytes: out.output! });
      const left = ids(rescan).filter((id) => ACTIVE.test(id) || id.startsWith('scan.'));
      assert.deepEqual(left, allowed);
      assert.equal(rescan.verdict, 'clean', ids(rescan).join(' '));
    });
  }
});
