import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildLegacySheet,
  buildLegacyWorkbook,
  legacyXlmSpec,
} from '../../../test/builders/biff-legacy.js';
import { FAKE_DISARMERS, macroDocm } from '../../../test/support/disarm-fakes.js';
import { isKnownTechnique, LimitError, resolveLimits } from '../../core/index.js';
import { DISARM_FINDINGS, disarmDocument, DISARMERS } from './index.js';

const limits = resolveLimits({});
const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

test('disarm findings: ids under disarm., known ATT&CK ids, a description each', () => {
  for (const f of DISARM_FINDINGS) {
    assert.match(f.def.id, /^disarm\.[a-z0-9-]+$/);
    assert.ok(f.def.attack.every(isKnownTechnique), f.def.id);
    assert.ok(f.def.description.length > 40);
  }
});

test('the built-in disarmers cover OLE, OOXML, RTF and SYLK, and nothing else', () => {
  assert.deepEqual(Object.keys(DISARMERS).sort(), ['ole', 'ooxml', 'rtf', 'sylk']);
});

describe('disarm dispatch (engines/disarm)', () => {
  test('PDF → refused unsupported, and the reason says PDF is out of scope', () => {
    const out = disarmDocument(pdf, { limits });
    assert.equal(out.status, 'refused');
    assert.equal(out.refusal, 'unsupported');
    assert.equal(out.inputType, 'pdf');
    assert.match(out.reason!, /PDF disarm is out of scope/);
    assert.equal(out.output, undefined);
  });

  test('an Office type without a disarmer → refused unsupported, never passed through', () => {
    const out = disarmDocument(macroDocm(), { limits, disarmers: {} });
    assert.deepEqual([out.status, out.refusal, out.inputType], ['refused', 'unsupported', 'ooxml']);
    assert.match(out.reason!, /ooxml disarmer is not available/);
  });

  test('text and other types → refused unsupported with the type named', () => {
    const out = disarmDocument(new TextEncoder().encode('hello'), { limits });
    assert.equal(out.refusal, 'unsupported');
    assert.match(out.reason!, /^text content cannot be disarmed/);
  });

  test('a disarmer past its deadline → refused limit; any other throw → refused malformed', () => {
    const timed = disarmDocument(macroDocm(), {
      limits,
      checkDeadline: () => {
        throw new LimitError('E_LIMIT_TIME', 'late', { limit: 'maxTimePerArtifactMs', max: 1 });
      },
      disarmers: {
        ooxml: (bytes, o) => {
          o.checkDeadline?.();
          return { status: 'unchanged', output: bytes, removed: [] };
        },
      },
    });
    assert.deepEqual([timed.status, timed.refusal, timed.output], ['refused', 'limit', undefined]);
    assert.match(timed.reason!, /E_LIMIT_TIME/);
    const broken = disarmDocument(macroDocm(), {
      limits,
      disarmers: {
        ooxml: () => {
          throw new RangeError('offset out of bounds');
        },
      },
    });
    assert.deepEqual([broken.status, broken.refusal], ['refused', 'malformed']);
  });

  test('a refusal never carries output, even when a disarmer leaves one behind', () => {
    const out = disarmDocument(macroDocm(), {
      limits,
      disarmers: {
        ooxml: (b) => ({ status: 'refused', output: b, removed: [], refusal: 'limit' }),
      },
    });
    assert.equal(out.output, undefined);
    assert.equal(out.refusal, 'limit');
  });

  test('input over maxFileSize → refused limit (one byte over), accepted at the limit', () => {
    const doc = macroDocm();
    const over = disarmDocument(doc, {
      limits: resolveLimits({ maxFileSize: doc.length - 1 }),
      disarmers: FAKE_DISARMERS,
    });
    assert.equal(over.refusal, 'limit');
    const at = disarmDocument(doc, {
      limits: resolveLimits({ maxFileSize: doc.length }),
      disarmers: FAKE_DISARMERS,
    });
    assert.equal(at.status, 'disarmed');
  });
});

describe('disarm dispatch: Excel 2.x–4.0 (biff) files are refused by name', () => {
  test('a BIFF4 macro sheet (.xlm) → refused: nothing but macros, no macro-free copy', () => {
    const out = disarmDocument(buildLegacySheet(4, legacyXlmSpec()), { limits });
    assert.deepEqual([out.status, out.refusal, out.inputType], ['refused', 'unsupported', 'biff']);
    assert.match(out.reason!, /Excel 4\.0 macro sheet \(BIFF4 \.xlm\) is nothing but macros/);
    assert.equal(out.output, undefined);
  });

  test('a BIFF3 worksheet and a BIFF4W workbook → refused with their own reasons, never "cannot be disarmed"', () => {
    const sheet = buildLegacySheet(3, { cells: [{ ref: 'A1', value: 'total' }] });
    const book = buildLegacyWorkbook({
      version: 4,
      sheets: [{ name: 'Macro1', ...legacyXlmSpec() }],
    });
    const s = disarmDocument(sheet, { limits });
    const b = disarmDocument(book, { limits });
    assert.deepEqual([s.refusal, b.refusal], ['unsupported', 'unsupported']);
    assert.match(s.reason!, /Excel 2\.x–4\.0 files \(BIFF3\) are not rewritten/);
    assert.match(b.reason!, /Excel 4\.0 workbook \(BIFF4W\) is not rewritten/);
    for (const r of [s.reason!, b.reason!]) assert.doesNotMatch(r, /cannot be disarmed/);
  });
});
