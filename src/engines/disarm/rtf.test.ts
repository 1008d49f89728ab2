import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { concatBytes, DEFAULT_LIMITS, LimitError, resolveLimits } from '../../core/index.js';
import { parseRtf } from '../../formats/rtf/index.js';
import { classifyFieldCode } from '../../formats/msxml-office/index.js';
import { buildOle1Object, buildPackageNative } from '../../../test/builders/oleobj.js';
import { buildRtf, rtfObject, type HexTrick } from '../../../test/builders/rtf.js';
import { disarmRtf, isActiveRtfField } from './rtf.js';

const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder('latin1').decode(b);
const options = { limits: DEFAULT_LIMITS };

const packageObject = () =>
  buildOle1Object({
    className: 'Package',
    nativeData: buildPackageNative({
      fileName: 'invoice.txt',
      sourcePath: 'C:\\Users\\user\\invoice.txt',
      tempPath: 'C:\\Temp\\invoice.txt',
      data: enc('inert emoguard test payload'),
    }),
  });
const equationObject = () =>
  buildOle1Object({ className: 'Equation.3', nativeData: enc('inert native data') });

/**
 * The output read back by the scanner's parser holds no object, no DDE/INCLUDE field and no template.
 * (The full pipeline re-scan of these cases is test/disarm/rtf-rescan.test.ts: engines may not import
 * the pipeline.)
 */
async function assertRescansClean(output: Uint8Array): Promise<void> {
  const doc = parseRtf(output);
  assert.equal(doc.hasHeader, true);
  assert.deepEqual(doc.objects, []);
  assert.deepEqual(
    doc.fields.filter((f) => classifyFieldCode(f.instruction)),
    [],
  );
  assert.deepEqual(doc.templates, []);
}

describe('disarmRtf', () => {
  test('objects, DDE field and remote template go; body, field result and object result stay', async () => {
    const input = buildRtf({
      body: 'Dear customer, the invoice is attached.',
      template: 'http://203.0.113.7/t.dotm',
      fields: ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k echo inert"'],
      objects: [{ objclass: 'Package', data: packageObject(), isUpdate: true }],
    });
    const before = parseRtf(input);
    assert.deepEqual(
      [before.objects.length, before.fields.length, before.templates.length],
      [1, 1, 1],
    );
    const outcome = disarmRtf(input, options);
    assert.equal(outcome.status, 'disarmed');
    assert.deepEqual(outcome.removed.map((r) => r.kind).sort(), [
      'dde-field',
      'embedded-package',
      'remote-template',
    ]);
    const out = text(outcome.output!);
    assert.match(out, /Dear customer, the invoice is attached\./);
    assert.match(out, /\{result\}/);
    assert.match(out, /object/);
    assert.doesNotMatch(out, /objdata|fldinst|template|DDEAUTO/);
    await assertRescansClean(outcome.output!);
  });

  for (const trick of [
    'whitespace',
    'control-words',
    'ignorable-groups',
    'bin',
    'odd-digit',
  ] as HexTrick[]) {
    test(`an object whose hex uses the ${trick} trick is removed`, async () => {
      const input = buildRtf({
        objects: [{ objclass: 'Equation.3', data: equationObject(), tricks: [trick] }],
      });
      const outcome = disarmRtf(input, options);
      assert.equal(outcome.status, 'disarmed');
      assert.deepEqual(outcome.removed, [
        {
          kind: 'rtf-object',
          location: outcome.removed[0]!.location,
          detail: '\\object Equation.3',
        },
      ]);
      await assertRescansClean(outcome.output!);
    });
  }

  test('\\objdata in odd destinations and at the top level is cut, text before it kept', async () => {
    const hex = Buffer.from(equationObject()).toString('hex');
    const input = enc(
      `{\\rtf1 keep one{\\*\\pxe{\\*\\objdata ${hex}}}{\\pict\\wmetafile8 {\\*\\objdata ${hex}}}` +
        `keep two {\\rtlch keep three\\objdata ${hex}}}`,
    );
    assert.equal(parseRtf(input).objects.length, 3);
    const outcome = disarmRtf(input, options);
    assert.equal(outcome.status, 'disarmed');
    assert.equal(outcome.removed.length, 3);
    assert.ok(outcome.removed.every((r) => r.detail === '\\objdata outside an object Equation.3'));
    assert.match(text(outcome.output!), /keep one.*keep two.*keep three/s);
    await assertRescansClean(outcome.output!);
  });

  test('an overlong control word inside the hex does not hide the object', async () => {
    const hex = Buffer.from(equationObject()).toString('hex');
    const input = enc(`{\\rtf1{\\object\\objemb{\\*\\objdata \\${'a'.repeat(400)} ${hex}}}}`);
    const outcome = disarmRtf(input, options);
    assert.equal(outcome.status, 'disarmed');
    await assertRescansClean(outcome.output!);
  });

  test('INCLUDEPICTURE and INCLUDETEXT fields go, PAGE stays: a plain document is unchanged', async () => {
    const input = buildRtf({
      fields: [
        'INCLUDEPICTURE "http://198.51.100.4/x.png" \\d',
        'INCLUDETEXT "\\\\\\\\192.0.2.1\\\\s\\\\a.docx"',
      ],
    });
    const outcome = disarmRtf(input, options);
    assert.equal(outcome.status, 'disarmed');
    assert.deepEqual(
      outcome.removed.map((r) => r.kind),
      ['external-relationship', 'external-relationship'],
    );
    await assertRescansClean(outcome.output!);
    const plain = buildRtf({ fields: ['PAGE \\* MERGEFORMAT'] });
    assert.deepEqual(disarmRtf(plain, options), {
      status: 'unchanged',
      output: plain,
      outputType: 'rtf',
      removed: [],
    });
  });

  test('a DDE instruction spelt by nested QUOTE fields is removed', () => {
    const input = enc(
      '{\\rtf1 before {\\field{\\*\\fldinst {\\field{\\*\\fldinst QUOTE 68 68 69 65 85 84 79}}' +
        ' c:\\\\windows\\\\system32\\\\cmd.exe "/k echo inert"}{\\fldrslt shown}} after}',
    );
    const outcome = disarmRtf(input, options);
    assert.equal(outcome.status, 'disarmed');
    assert.equal(outcome.removed[0]?.kind, 'dde-field');
    assert.match(outcome.removed[0]?.detail ?? '', /nested fields/);
    assert.equal(text(outcome.output!), '{\\rtf1 before {shown} after}');
    assert.equal(isActiveRtfField('IF 1 = 1 "a" "b"', true), false);
    assert.equal(isActiveRtfField('PAGE', false), false);
  });

  test('\\datastore, mail merge sources and form-field macros are cut', () => {
    const input = enc(
      '{\\rtf1 text{\\*\\datastore 0105000002000000}{\\*\\mailmerge\\mmconnectstr{\\*\\mmconnectstr x}}' +
        '{\\formfield{\\*\\ffentrymcr AutoRun}}}',
    );
    const outcome = disarmRtf(input, options);
    assert.equal(outcome.status, 'disarmed');
    assert.deepEqual(
      outcome.removed.map((r) => r.detail),
      ['\\datastore', '\\mailmerge', '\\ffentrymcr'],
    );
    assert.equal(text(outcome.output!), '{\\rtf1 text{}{}{\\formfield{}}}');
  });

  test('an object after a bare control word keeps the words apart', async () => {
    const input = enc(`{\\rtf1{\\pard\\object\\objemb{\\*\\objdata 0105}{\\result text}}}`);
    const outcome = disarmRtf(input, options);
    assert.equal(text(outcome.output!), '{\\rtf1{\\pard text}}');
  });

  test('unbalanced braces: unclosed groups and stray } are tolerated, the object still goes', async () => {
    const object = rtfObject({ data: equationObject() });
    const open = concatBytes([enc('{\\rtf1 a}} b{{'), object.subarray(0, object.length - 1)]);
    const outcome = disarmRtf(open, options);
    assert.equal(outcome.status, 'disarmed');
    await assertRescansClean(outcome.output!);
  });

  test('Japanese text in \\u escapes and Shift_JIS hex is copied byte for byte', () => {
    const input = enc("{\\rtf1\\ansi\\ansicpg932 \\u35531?\\u27714?\\'90\\'bf{\\*\\datastore 00}}");
    const outcome = disarmRtf(input, options);
    assert.equal(
      text(outcome.output!),
      "{\\rtf1\\ansi\\ansicpg932 \\u35531?\\u27714?\\'90\\'bf{}}",
    );
  });
});

describe('disarmRtf refuses what it cannot rewrite safely', () => {
  test('not RTF → malformed', () => {
    const outcome = disarmRtf(enc('hello'), options);
    assert.equal(outcome.status, 'refused');
    assert.equal(outcome.refusal, 'malformed');
    assert.equal(outcome.output, undefined);
  });

  test('\\bin past the end → malformed', () => {
    assert.equal(disarmRtf(enc('{\\rtf1 {\\object\\bin999 ab}}'), options).refusal, 'malformed');
  });

  test('group depth: 1000 nested groups are rewritten, 1001 are refused as a limit', () => {
    const nest = (groups: number) =>
      enc(`{\\rtf1${'{'.repeat(groups - 2)}{\\*\\datastore 00}${'}'.repeat(groups - 1)}`);
    assert.equal(parseRtf(nest(1000)).maxGroupDepth, 1000);
    assert.equal(disarmRtf(nest(1000), options).status, 'disarmed');
    const deep = disarmRtf(nest(1001), options);
    assert.equal(deep.refusal, 'limit');
    assert.match(deep.reason ?? '', /deeper than 1000/);
  });

  test('maxFileSize: an input at the limit is read, one byte over is refused', () => {
    const input = buildRtf({ body: 'x' });
    const at = { limits: resolveLimits({ maxFileSize: input.length }) };
    assert.equal(disarmRtf(input, at).status, 'unchanged');
    const under = { limits: resolveLimits({ maxFileSize: input.length - 1 }) };
    assert.equal(disarmRtf(input, under).refusal, 'limit');
  });

  test('a deadline that has passed refuses with limit, never a half-written copy', () => {
    const input = concatBytes([enc('{\\rtf1 '), new Uint8Array(3 << 20).fill(0x61), enc('}')]);
    const outcome = disarmRtf(input, {
      limits: DEFAULT_LIMITS,
      checkDeadline: () => {
        throw new LimitError('E_LIMIT_TIME', 'time is up', {
          limit: 'maxTimePerArtifactMs',
          max: 1,
        });
      },
    });
    assert.equal(outcome.status, 'refused');
    assert.equal(outcome.refusal, 'limit');
    assert.equal(outcome.output, undefined);
  });
});
