import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { complexField } from '../../../test/builders/office.js';
import { buildZip } from '../../../test/builders/zip.js';
import { removeCellFormulas, removeWordFields } from './field-edit.js';
import {
  editContentTypes,
  editRelationships,
  pruneEmptyElements,
  removeReferencingElements,
} from './opc-edit.js';
import { PackageEditor } from './package-edit.js';
import { applyXmlEdits, setTagAttribute, walkXmlElements } from './xml-walk.js';
import { readPackageStrict } from './zip-strict.js';

const LIMITS = { maxElements: 1000, maxDepth: 32 };
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const walk = (xml: string, limits = LIMITS) => walkXmlElements(xml, {}, limits);

describe('walkXmlElements', () => {
  test('well-formed markup with comments, CDATA, PIs and ">" inside attribute values → ok', () => {
    const xml = '<?xml version="1.0"?><!-- c --><a x="1 > 0"><b/><![CDATA[<not/>]]><?pi x?></a>';
    assert.deepEqual(walk(xml), { ok: true, elements: 2 });
  });

  for (const [what, xml, reason] of [
    ['a mismatched end tag', '<a><b></a></b>', /mismatched/],
    ['an unclosed element', '<a><b></b>', /never closed/],
    ['two roots', '<a/><b/>', /more than one root/],
    ['a DTD', '<!DOCTYPE a [<!ENTITY x "y">]><a/>', /DTD/],
    ['an unquoted attribute', '<a x=1/>', /malformed start tag/],
    ['no element at all', 'text', /no root/],
  ] as const) {
    test(`${what} → not ok, with the reason`, () => {
      const result = walk(xml);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.reason, reason);
    });
  }

  test('maxElements and maxDepth: at the limit ok, one past it refused', () => {
    const flat = `<r>${'<x/>'.repeat(9)}</r>`;
    assert.equal(walk(flat, { maxElements: 10, maxDepth: 32 }).ok, true);
    assert.equal(walk(flat, { maxElements: 9, maxDepth: 32 }).ok, false);
    const deep = `${'<d>'.repeat(5)}${'</d>'.repeat(5)}`;
    assert.equal(walk(deep, { maxElements: 100, maxDepth: 5 }).ok, true);
    assert.equal(walk(deep, { maxElements: 100, maxDepth: 4 }).ok, false);
  });
});

describe('XML edits', () => {
  test('an edit inside another is dropped; a partial overlap is a bug and throws', () => {
    assert.equal(
      applyXmlEdits('0123456789', [
        { start: 2, end: 8, replacement: '-' },
        { start: 3, end: 4, replacement: '+' },
      ]),
      '01-89',
    );
    assert.throws(() =>
      applyXmlEdits('0123456789', [
        { start: 2, end: 5, replacement: '' },
        { start: 4, end: 6, replacement: '' },
      ]),
    );
  });

  test('setTagAttribute replaces, adds (also to empty-element tags) and removes', () => {
    assert.equal(setTagAttribute('<a x="1" y="2">', 'x', '3'), '<a x="3" y="2">');
    assert.equal(setTagAttribute('<a x="1"/>', 'z', '$&'), '<a x="1" z="$&"/>');
    assert.equal(setTagAttribute('<a x="1" y="2"/>', 'x', undefined), '<a y="2"/>');
  });

  test('elements referring to a removed relationship go, however the namespace prefix is spelled', () => {
    const xml = `<doc xmlns:q="${R}" xmlns:o="urn:other"><keep o:id="rId1"/><wrap><gone q:id="rId1"/></wrap><keep q:id="rId2"/></doc>`;
    const result = removeReferencingElements(
      xml,
      { removedIds: new Set(['rId1']), activeElements: new Set(), wrappers: new Set(['wrap']) },
      LIMITS,
    );
    assert.ok(result.ok);
    assert.equal(
      result.xml,
      `<doc xmlns:q="${R}" xmlns:o="urn:other"><keep o:id="rId1"/><keep q:id="rId2"/></doc>`,
    );
  });

  test('pruneEmptyElements removes a container left without children, keeps one with children', () => {
    const result = pruneEmptyElements('<w><e></e><e><c/></e><e/></w>', new Set(['e']), LIMITS);
    assert.ok(result.ok);
    assert.equal(result.xml, '<w><e><c/></e></w>');
  });

  test('relationships: removed, retargeted and added (into an empty root too)', () => {
    const rels =
      '<Relationships><Relationship Id="a" Type="t1" Target="x"/><Relationship Id="b" Type="t2" Target="y"/></Relationships>';
    const edited = editRelationships(
      rels,
      {
        remove: new Set(['a']),
        retarget: new Map([['b', { type: 'T', target: 'Y&' }]]),
        add: [{ id: 'c', type: 't3', target: 'z' }],
      },
      LIMITS,
    );
    assert.ok(edited.ok);
    assert.equal(
      edited.xml,
      '<Relationships><Relationship Id="b" Type="T" Target="Y&amp;"/><Relationship Id="c" Type="t3" Target="z"/></Relationships>',
    );
    const empty = editRelationships(
      '<Relationships/>',
      { remove: new Set(), add: [{ id: 'c', type: 't', target: 'z' }] },
      LIMITS,
    );
    assert.ok(empty.ok);
    assert.equal(
      empty.xml,
      '<Relationships><Relationship Id="c" Type="t" Target="z"/></Relationships>',
    );
  });

  test('content types: overrides removed by part name (case-insensitive), defaults by type, main type set', () => {
    const types =
      '<Types><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="a"/><Override PartName="/WORD/vbaData.xml" ContentType="b"/></Types>';
    const edited = editContentTypes(
      types,
      {
        removeOverrides: new Set(['word/vbadata.xml']),
        removeDefault: (t) => /vbaProject/.test(t),
        setOverride: new Map([['word/document.xml', 'c']]),
      },
      LIMITS,
    );
    assert.ok(edited.ok);
    assert.equal(
      edited.xml,
      '<Types><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="c"/></Types>',
    );
  });
});

describe('field and formula removal', () => {
  const isDde = (i: string) => /^\s*DDE/i.test(i);
  const quote = (i: string) => /^\s*QUOTE\s+"(.*)"/.exec(i)?.[1] ?? undefined;
  const doc = (body: string) => `<w:document ${W}><w:body><w:p>${body}</w:p></w:body></w:document>`;

  test('a DDEAUTO complex field split over runs → instruction gone, result kept', () => {
    const xml = doc(complexField(['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe ', '"/k echo x"']));
    const result = removeWordFields(xml, isDde, quote, LIMITS);
    assert.ok(result.ok);
    assert.equal(result.removed.length, 1);
    assert.match(result.removed[0]!.instruction, /^DDEAUTO/);
    assert.ok(!/fldChar|instrText/.test(result.xml));
    assert.ok(result.xml.includes('<w:t>result</w:t>'));
  });

  test('DDE spelled by a nested QUOTE field → the whole outer field goes, nested result included', () => {
    const xml = doc(complexField([{ nested: ['QUOTE "DDE"'] }, ' cmd "/c echo x"']));
    const result = removeWordFields(xml, isDde, quote, LIMITS);
    assert.ok(result.ok);
    assert.equal(result.removed.length, 1);
    assert.equal(result.xml.match(/<w:t>result<\/w:t>/g)?.length, 1, 'only the outer result stays');
  });

  test('a harmless field (PAGE) is kept; a DDE fldSimple is unwrapped, keeping its runs', () => {
    const page = complexField(['PAGE']);
    const simple = '<w:fldSimple w:instr="DDE cmd x"><w:r><w:t>shown</w:t></w:r></w:fldSimple>';
    const result = removeWordFields(doc(page + simple), isDde, quote, LIMITS);
    assert.ok(result.ok);
    assert.ok(result.xml.includes(page));
    assert.ok(
      result.xml.includes('<w:r><w:t>shown</w:t></w:r>') && !result.xml.includes('fldSimple'),
    );
  });

  test('a DDE field never closed (no separate, no end) → its begin and instruction go', () => {
    const xml = doc(
      '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DDE cmd x</w:instrText></w:r>',
    );
    const result = removeWordFields(xml, isDde, quote, LIMITS);
    assert.ok(result.ok);
    assert.equal(result.xml, doc('<w:r></w:r><w:r></w:r>'));
  });

  test('a removed shared-formula master takes the cells sharing it; other formulas stay', () => {
    const xml =
      '<worksheet><sheetData><row><c r="A1"><f t="shared" si="0" ref="A1:A2">cmd|\'/c x\'!A0</f><v>1</v></c>' +
      '<c r="A2"><f t="shared" si="0"/><v>2</v></c><c r="A3"><f>SUM(A1:A2)</f><v>3</v></c></row></sheetData></worksheet>';
    const result = removeCellFormulas(xml, (f) => f.includes('|'), LIMITS);
    assert.ok(result.ok);
    assert.equal(result.removed.length, 1);
    assert.ok(result.xml.includes('<c r="A1"><v>1</v></c><c r="A2"><v>2</v></c>'));
    assert.ok(result.xml.includes('<f>SUM(A1:A2)</f>'));
  });
});

describe('readPackageStrict and PackageEditor', () => {
  const zip = buildZip([
    { name: '[Content_Types].xml', data: '<Types/>' },
    { name: 'a.xml', data: '<a>' + 'x'.repeat(500) + '</a>' },
    { name: 'b.bin', data: new Uint8Array(300).fill(3), method: 'store' },
  ]);
  const options = { maxMembers: 10, maxTotalBytes: 1 << 20, maxRatio: 100, keep: () => false };

  test('a rewrite keeps untouched members byte for byte and deflates changed ones', () => {
    const read = readPackageStrict(zip, options);
    assert.ok(read.ok);
    const editor = new PackageEditor(read.members);
    editor.set('A.XML', '<a/>');
    editor.remove('missing');
    editor.set('c.xml', '<c/>');
    const again = readPackageStrict(editor.write(), { ...options, keep: () => true });
    assert.ok(again.ok);
    assert.deepEqual(
      again.members.map((m) => m.name),
      ['[Content_Types].xml', 'a.xml', 'b.bin', 'c.xml'],
    );
    assert.deepEqual(again.members[2]!.raw, read.members[2]!.raw);
    assert.equal(new TextDecoder().decode(again.members[1]!.content), '<a/>');
  });

  test('data before the archive, or a stored member with two sizes → refused as malformed', () => {
    const prepended = buildZip([{ name: 'a.xml', data: '<a/>' }], { prepend: new Uint8Array(10) });
    const shifted = readPackageStrict(prepended, options);
    assert.ok(!shifted.ok && shifted.refusal === 'malformed' && /data before/.test(shifted.reason));
    const lying = buildZip([
      { name: 'a', data: 'abc', method: 'store', declaredUncompressedSize: 4 },
    ]);
    const result = readPackageStrict(lying, options);
    assert.ok(!result.ok && result.refusal === 'malformed');
  });
});
