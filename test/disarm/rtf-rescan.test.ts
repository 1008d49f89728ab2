/**
 * RTF disarm, end to end: each kind of active content the builders make is found by a scan of the
 * input, removed by disarmRtf, and the output re-scanned through the whole pipeline reports none of
 * it, while the body text is still there.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_LIMITS, type ScanResult } from '../../src/core/index.js';
import { disarmRtf } from '../../src/engines/disarm/rtf.js';
import { scanInput } from '../../src/pipeline/scan.js';
import { buildOle1Object, buildPackageNative } from '../builders/oleobj.js';
import { buildRtf, type RtfSpec } from '../builders/rtf.js';

const enc = (s: string) => new TextEncoder().encode(s);
const ACTIVE =
  /^office\.(rtf-embedded-object|equation-editor-object|external-ole-link|dde-|remote-template|external-content|package-|embedded-object)/;

function idsOf(result: ScanResult): string[] {
  return [...result.findings.map((f) => f.id), ...result.children.flatMap(idsOf)];
}

const pkg = buildOle1Object({
  className: 'Package',
  nativeData: buildPackageNative({
    fileName: 'invoice.vbs',
    sourcePath: 'C:\\Users\\user\\invoice.vbs',
    tempPath: 'C:\\Temp\\invoice.vbs',
    data: enc('REM inert emoguard test payload'),
  }),
});
const equation = buildOle1Object({ className: 'Equation.3', nativeData: enc('inert') });
const link = buildOle1Object({
  className: 'Word.Document.8',
  formatId: 1,
  topicName: 'http://203.0.113.8/x.doc',
});

const CASES: Record<string, RtfSpec> = {
  'OLE package with \\objupdate': { objects: [{ objclass: 'Package', data: pkg, isUpdate: true }] },
  'Equation Editor object, hex with \\bin and junk': {
    objects: [
      {
        objclass: 'Equation.3',
        data: equation,
        tricks: ['bin', 'control-words', 'ignorable-groups'],
      },
    ],
  },
  'linked object (\\objautlink)': { objects: [{ data: link, kind: 'autlink' }] },
  'DDEAUTO field': { fields: ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k echo inert"'] },
  'remote INCLUDEPICTURE field': { fields: ['INCLUDEPICTURE "http://198.51.100.4/x.png" \\d'] },
  'remote template': { template: 'http://203.0.113.7/t.dotm' },
};

for (const [name, spec] of Object.entries(CASES)) {
  test(`rtf disarm: ${name} is found before and gone after a full re-scan; the text stays`, async () => {
    const input = buildRtf({ ...spec, body: 'Quarterly figures enclosed.' });
    const before = await scanInput({ path: 'in.rtf', bytes: input });
    assert.ok(
      idsOf(before).some((id) => ACTIVE.test(id)),
      `no active finding on the input: ${idsOf(before)}`,
    );
    const outcome = disarmRtf(input, { limits: DEFAULT_LIMITS });
    assert.equal(outcome.status, 'disarmed');
    const after = await scanInput({ path: 'out.rtf', bytes: outcome.output! });
    assert.equal(after.type, 'rtf');
    assert.deepEqual(
      idsOf(after).filter((id) => ACTIVE.test(id)),
      [],
    );
    assert.equal(after.verdict, 'clean');
    assert.match(new TextDecoder('latin1').decode(outcome.output), /Quarterly figures enclosed\./);
  });
}
