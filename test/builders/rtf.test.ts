import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRtf } from '../../src/formats/rtf/index.js';
import { buildRtf, type RtfSpec } from './rtf.js';

const bytes = (n: number, seed = 7) =>
  Uint8Array.from({ length: n }, (_, i) => (i * seed + 3) & 0xff);

test('buildRtf: parseRtf(buildRtf(spec)) gives objects, fields and template back', () => {
  const spec: RtfSpec = {
    objects: [
      { objclass: 'Package', data: bytes(300), kind: 'emb' },
      { objclass: 'Equation.3', data: bytes(64, 13), kind: 'autlink', isUpdate: true },
    ],
    fields: ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"', 'PAGE'],
    template: 'http://203.0.113.7/template.dotm',
  };
  const doc = parseRtf(buildRtf(spec));
  assert.deepEqual(
    doc.objects.map((o) => ({
      objclass: o.objclass,
      data: [...o.data],
      kind: o.kind,
      isUpdate: o.isUpdate,
    })),
    spec.objects!.map((o) => ({
      objclass: o.objclass,
      data: [...o.data],
      kind: o.kind,
      isUpdate: o.isUpdate ?? false,
    })),
  );
  assert.deepEqual(
    doc.fields.map((f) => f.instruction),
    spec.fields,
  );
  assert.deepEqual(
    doc.templates.map((t) => t.target),
    [spec.template],
  );
  assert.deepEqual(doc.anomalies, []);
});

test('buildRtf: every hex trick decodes to the same bytes, and each is reported', () => {
  const data = bytes(200);
  for (const trick of [
    'whitespace',
    'control-words',
    'ignorable-groups',
    'bin',
    'odd-digit',
  ] as const) {
    const [object] = parseRtf(
      buildRtf({ objects: [{ objclass: 'Package', data, tricks: [trick] }] }),
    ).objects;
    assert.deepEqual([...object!.data], [...data], trick);
    if (trick !== 'whitespace') assert.equal(object!.obfuscation.length, 1, trick);
  }
});
