import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRtf } from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const parse = (s: string, options = {}) => parseRtf(enc(s), options);

describe('rtf: Word-tolerant reading', () => {
  test('only {\\rt is checked: "{\\rtxyz" is RTF, other starts are read with E_RTF_NO_HEADER', () => {
    assert.equal(parse('{\\rtxyz{\\*\\objdata 0102}}').hasHeader, true);
    const other = parse('junk{\\*\\objdata 0102}');
    assert.equal(other.hasHeader, false);
    assert.deepEqual(
      other.anomalies.map((a) => a.code),
      ['E_RTF_NO_HEADER'],
    );
    assert.deepEqual([...other.objects[0]!.data], [1, 2]);
  });

  test('objdata: whitespace, non-hex bytes and control words between hex digits are ignored', () => {
    const [o] = parse('{\\rtf1{\\object{\\*\\objdata 0 1\r\n0\\par 2zz0g3}}}').objects;
    assert.deepEqual([...o!.data], [0x01, 0x02, 0x03]);
    assert.deepEqual(o!.obfuscation.sort(), [
      'control words inside the hex',
      'non-hex characters inside the hex',
    ]);
  });

  test("objdata: \\'hh drops a pending odd digit (Word's bug) and is not data itself", () => {
    assert.deepEqual(
      [...parse("{\\rtf1{\\*\\objdata 010\\'412030}}").objects[0]!.data],
      [0x01, 0x20, 0x30],
    );
    // with an even count nothing is dropped: 0102 then 03 → [1, 2, 3]
    assert.deepEqual([...parse("{\\rtf1{\\*\\objdata 0102\\'4103}}").objects[0]!.data], [1, 2, 3]);
  });

  test('objdata: \\binN inserts N raw bytes; a negative or missing N is 0', () => {
    const raw = '{\\rtf1{\\*\\objdata 01\\bin3 \u0000\u00ff\u007f02}}';
    const data = parseRtf(Uint8Array.from([...raw].map((c) => c.charCodeAt(0)))).objects[0]!.data;
    assert.deepEqual([...data], [0x01, 0x00, 0xff, 0x7f, 0x02]);
    assert.deepEqual([...parse('{\\rtf1{\\*\\objdata 01\\bin-5 02}}').objects[0]!.data], [1, 2]);
  });

  test('objdata: \\bin past the end takes what is there, with E_RTF_BIN_TRUNCATED', () => {
    const doc = parse('{\\rtf1{\\*\\objdata 01\\bin100 AB');
    assert.deepEqual([...doc.objects[0]!.data], [0x01, 0x41, 0x42]);
    assert.ok(doc.anomalies.some((a) => a.code === 'E_RTF_BIN_TRUNCATED'));
  });

  test('{\\*\\unknown} groups inside objdata are skipped, plain groups are read', () => {
    assert.deepEqual(
      [...parse('{\\rtf1{\\*\\objdata 01{\\*\\foo 99}02{\\b 03}}}').objects[0]!.data],
      [1, 2, 3],
    );
  });

  test('an odd number of hex digits loses the last one', () => {
    const [o] = parse('{\\rtf1{\\*\\objdata 01020}}').objects;
    assert.deepEqual([...o!.data], [1, 2]);
    assert.deepEqual(o!.obfuscation, ['an odd number of hex digits']);
  });

  test('object flags and class: \\objautlink \\objupdate {\\*\\objclass}', () => {
    const [o] = parse(
      '{\\rtf1{\\object\\objautlink\\objupdate{\\*\\objclass Word.Document.8}{\\*\\objdata 0A}}}',
    ).objects;
    assert.equal(o!.kind, 'autlink');
    assert.equal(o!.isUpdate, true);
    assert.equal(o!.objclass, 'Word.Document.8');
    assert.deepEqual([...o!.data], [10]);
  });

  test('\\objdata written without braces replaces \\object at its level and still belongs to it', () => {
    const [o] = parse('{\\rtf1{\\object\\objemb{\\*\\objclass Package}\\objdata 0B0C}}').objects;
    assert.equal(o!.objclass, 'Package');
    assert.deepEqual([...o!.data], [11, 12]);
  });

  test('an \\object without \\objdata is still an object (a link)', () => {
    const doc = parse('{\\rtf1{\\object\\objlink{\\*\\objclass Excel.Sheet.8}{\\result x}}}');
    assert.equal(doc.objects.length, 1);
    assert.equal(doc.objects[0]!.data.length, 0);
    assert.equal(doc.objects[0]!.kind, 'link');
  });

  test("fields: instruction text across groups, escapes, \\u and \\'hh characters", () => {
    const doc = parse(
      '{\\rtf1{\\field{\\*\\fldinst {\\rtlch DDE}{AUTO c:\\\\\\\\x\\\\\\\\cmd.exe "/c \\u99?\\\'61lc"}}{\\fldrslt r}}}',
    );
    assert.deepEqual(
      doc.fields.map((f) => f.instruction),
      ['DDEAUTO c:\\\\x\\\\cmd.exe "/c calc"'],
    );
  });

  test('remote template: {\\*\\template URL}', () => {
    assert.deepEqual(
      parse('{\\rtf1{\\*\\template http://192.0.2.1/t.dotm}}').templates.map((t) => t.target),
      ['http://192.0.2.1/t.dotm'],
    );
  });
});

describe('rtf: hostile input', () => {
  test('missing closing braces: objects and fields are still closed at the end', () => {
    const doc = parse(
      '{\\rtf1{\\object{\\*\\objclass Package}{\\*\\objdata 0102{\\field{\\*\\fldinst DDE x y',
    );
    assert.deepEqual([...doc.objects[0]!.data], [1, 2]);
    assert.deepEqual(
      doc.fields.map((f) => f.instruction),
      ['DDE x y'],
    );
    assert.ok(doc.anomalies.some((a) => a.code === 'E_RTF_UNCLOSED_GROUPS'));
  });

  test('unbalanced closing braces are one anomaly, and parsing goes on', () => {
    const doc = parse(`{\\rtf1}${'}'.repeat(10_000)}{\\*\\objdata 0A}`);
    assert.deepEqual(
      doc.anomalies.map((a) => a.code),
      ['E_RTF_UNBALANCED'],
    );
    assert.deepEqual([...doc.objects[0]!.data], [10]);
  });

  test('100,000 nested groups cost a counter, and the object inside is found', () => {
    const deep = `{\\rtf1${'{'.repeat(100_000)}{\\*\\objdata 0102}${'}'.repeat(100_000)}}`;
    const doc = parse(deep);
    assert.equal(doc.maxGroupDepth, 100_002);
    assert.deepEqual([...doc.objects[0]!.data], [1, 2]);
  });

  test('maxDestinationDepth: at the limit destinations nest; past it, E_RTF_TOO_DEEP', () => {
    const nested = (n: number) =>
      `{\\rtf1${'{\\*\\foo '.repeat(n)}{\\*\\objdata 0A}${'}'.repeat(n)}}`;
    assert.deepEqual(parse(nested(8), { maxDestinationDepth: 10 }).anomalies, []);
    const over = parse(nested(9), { maxDestinationDepth: 10 });
    assert.deepEqual(
      over.anomalies.map((a) => a.code),
      ['E_RTF_TOO_DEEP'],
    );
  });

  test('maxObjectBytes: data at the cap is whole; one byte more is cut with E_LIMIT_RTF_OBJECT_BYTES', () => {
    const rtf = `{\\rtf1{\\*\\objdata ${'ab'.repeat(1000)}}}`;
    const whole = parse(rtf, { maxObjectBytes: 1000 });
    assert.equal(whole.objects[0]!.data.length, 1000);
    assert.equal(whole.objects[0]!.isTruncated, false);
    const cut = parse(rtf, { maxObjectBytes: 999 });
    assert.equal(cut.objects[0]!.data.length, 999);
    assert.equal(cut.objects[0]!.isTruncated, true);
    assert.deepEqual(
      cut.anomalies.map((a) => a.code),
      ['E_LIMIT_RTF_OBJECT_BYTES'],
    );
  });

  test('maxTotalObjectBytes: shared by all objects', () => {
    const rtf = `{\\rtf1{\\*\\objdata ${'ab'.repeat(60)}}{\\*\\objdata ${'cd'.repeat(60)}}}`;
    const doc = parse(rtf, { maxTotalObjectBytes: 100 });
    assert.deepEqual(
      doc.objects.map((o) => o.data.length),
      [60, 40],
    );
  });

  test('maxObjects: at the limit all are kept; one more is dropped with E_LIMIT_RTF_OBJECTS', () => {
    const rtf = (n: number) => `{\\rtf1${'{\\object{\\*\\objdata 01}}'.repeat(n)}}`;
    assert.equal(parse(rtf(5), { maxObjects: 5 }).objects.length, 5);
    const over = parse(rtf(6), { maxObjects: 5 });
    assert.equal(over.objects.length, 5);
    assert.deepEqual(
      over.anomalies.map((a) => a.code),
      ['E_LIMIT_RTF_OBJECTS'],
    );
  });

  test('maxTextChars: a field instruction longer than the cap is cut', () => {
    const doc = parse(`{\\rtf1{\\*\\fldinst DDE ${'x'.repeat(500)}}}`, { maxTextChars: 100 });
    assert.equal(doc.fields[0]!.instruction.length, 100);
    assert.ok(doc.anomalies.some((a) => a.code === 'E_RTF_TEXT_TOO_LONG'));
  });

  test('huge hex (8 MiB of digits) parses in one linear pass under a 1 MiB cap', () => {
    const rtf = enc(`{\\rtf1{\\*\\objdata ${'0'.repeat(8 * 1024 * 1024)}}}`);
    const doc = parseRtf(rtf, { maxObjectBytes: 1 << 20 });
    assert.equal(doc.objects[0]!.data.length, 1 << 20);
    assert.equal(doc.objects[0]!.isTruncated, true);
  });

  test('a control word of 10,000 letters and a 300-digit parameter do not break the reader', () => {
    const doc = parse(`{\\rtf1\\${'a'.repeat(10_000)}${'9'.repeat(300)} {\\*\\objdata 0F}}`);
    assert.deepEqual([...doc.objects[0]!.data], [15]);
  });

  test('checkDeadline is called on large inputs and can stop the parse', () => {
    let calls = 0;
    const big = enc(`{\\rtf1${'{ }'.repeat(1 << 20)}}`);
    parseRtf(big, { checkDeadline: () => void calls++ });
    assert.ok(calls >= 2);
    assert.throws(
      () =>
        parseRtf(big, {
          checkDeadline: () => {
            throw new Error('deadline');
          },
        }),
      /deadline/,
    );
  });

  test('random bytes after {\\rt never throw', () => {
    let seed = 1;
    for (let n = 0; n < 200; n++) {
      const b = Uint8Array.from(
        { length: 2000 },
        () => ((seed = (seed * 1103515245 + 12345) >>> 0) >> 16) & 0xff,
      );
      b.set(enc('{\\rt'));
      assert.doesNotThrow(() => parseRtf(b));
    }
  });
});
