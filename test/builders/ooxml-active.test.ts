import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readOoxml } from '../../src/formats/ooxml/index.js';
import { buildActiveDocm, buildActivePptm, buildActiveXlsm } from './ooxml-active.js';

test('ooxml-active builders: the parser finds every kind of active content they put in', async () => {
  const docm = await readOoxml(buildActiveDocm());
  assert.equal(docm.anomalies.length, 0);
  assert.ok(docm.isMacroEnabled);
  assert.deepEqual(
    docm.vbaProjects.map((v) => v.partName),
    ['word/vbaProject.bin'],
  );
  assert.deepEqual(docm.embeddings.map((e) => e.partName).sort(), [
    'word/activeX/activeX1.bin',
    'word/embeddings/oleObject1.bin',
  ]);
  assert.deepEqual(docm.externalRelationships.map((r) => r.typeName).sort(), [
    'attachedTemplate',
    'frame',
    'hyperlink',
    'subDocument',
  ]);
  const xlsm = await readOoxml(buildActiveXlsm());
  assert.deepEqual(xlsm.macroSheets, ['xl/macrosheets/sheet1.xml']);
  assert.equal(xlsm.vbaProjects.length, 1);
  assert.deepEqual(
    xlsm.embeddings.map((e) => e.partName),
    ['xl/embeddings/oleObject1.bin'],
  );
  const pptm = await readOoxml(buildActivePptm());
  assert.equal(pptm.vbaProjects.length, 1);
  assert.equal(pptm.mainPart, 'ppt/presentation.xml');
});

test('ooxml-active builders: leaving every kind out gives a package without active content', async () => {
  const plain = await readOoxml(
    buildActiveDocm({
      without: ['vba', 'template', 'ole', 'activex', 'dde', 'include', 'frame', 'subdoc'],
    }),
  );
  assert.equal(plain.vbaProjects.length + plain.embeddings.length, 0);
  assert.deepEqual(
    plain.externalRelationships.map((r) => r.typeName),
    ['hyperlink'],
  );
});
