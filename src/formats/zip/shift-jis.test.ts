import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shiftJisName } from '../../../test/builders/zip.js';
import { decodeShiftJis, isShiftJis } from './index.js';

test('isShiftJis: Japanese CP932 names → true; ASCII only → false (nothing to re-decode)', () => {
  assert.equal(isShiftJis(shiftJisName('見積書.xlsm')), true);
  assert.equal(isShiftJis(shiftJisName('ｼﾞｮﾌﾞ表.doc')), true, 'half-width katakana + kanji');
  assert.equal(isShiftJis(new TextEncoder().encode('invoice.doc')), false);
});

test('isShiftJis: invalid lead/trail bytes and a dangling lead byte → false', () => {
  assert.equal(isShiftJis(new Uint8Array([0x80, 0x41])), false);
  assert.equal(isShiftJis(new Uint8Array([0x82, 0x7f])), false);
  assert.equal(isShiftJis(new Uint8Array([0x41, 0x82])), false);
  assert.equal(isShiftJis(new Uint8Array([0xfd, 0x41])), false);
});

test('decodeShiftJis: round-trips a name; a well-formed but unmapped pair → undefined', () => {
  assert.equal(decodeShiftJis(shiftJisName('請求書_2024年.doc')), '請求書_2024年.doc');
  assert.equal(decodeShiftJis(new Uint8Array([0x85, 0x40])), undefined);
});
