import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { patternBytes } from '../../../test/builders/cfb.js';
import { compressOvba, decompressOvba } from './index.js';

const hex = (s: string): Uint8Array =>
  new Uint8Array(
    s
      .trim()
      .split(/\s+/)
      .map((x) => Number.parseInt(x, 16)),
  );
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder('latin1').decode(b);
const codes = (r: { anomalies: { code: string }[] }): string[] => r.anomalies.map((a) => a.code);

// MS-OVBA 3.2 Compression and Decompression examples.
const NO_COMPRESSION = hex(
  '01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E',
);
const NORMAL = hex(
  '01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D 6E 6F ' +
    '70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C',
);
const MAXIMUM = hex('01 03 B0 02 61 45 00');

describe('ovba: decompression (MS-OVBA 2.4.1.3.1)', () => {
  it('decompresses the spec example without compression (3.2.1)', () => {
    const result = decompressOvba(NO_COMPRESSION);
    assert.equal(text(result.data), 'abcdefghijklmnopqrstuv.');
    assert.deepEqual(result.anomalies, []);
  });

  it('decompresses the spec example with normal compression (3.2.2)', () => {
    const result = decompressOvba(NORMAL);
    assert.equal(text(result.data), '#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa');
    assert.deepEqual(result.anomalies, []);
  });

  it('decompresses the spec example with maximum compression (3.2.3): overlapping copy', () => {
    assert.equal(text(decompressOvba(MAXIMUM).data), 'a'.repeat(73));
  });

  it('truncated last chunk → E_OVBA_TRUNCATED with the bytes decoded so far', () => {
    const result = decompressOvba(NO_COMPRESSION.subarray(0, 20));
    assert.equal(text(result.data), 'abcdefghijklmno');
    assert.deepEqual(codes(result), ['E_OVBA_TRUNCATED']);
  });

  it('wrong container signature → E_OVBA_BAD_SIGNATURE and no output', () => {
    const result = decompressOvba(ascii('Attribute VB_Name'));
    assert.equal(result.data.length, 0);
    assert.deepEqual(codes(result), ['E_OVBA_BAD_SIGNATURE']);
  });

  it('bad chunk signature → E_OVBA_BAD_CHUNK, earlier chunks kept', () => {
    const two = compressOvba(ascii('x'.repeat(5000)));
    const broken = two.slice();
    const second = 1 + ((two[1]! | (two[2]! << 8)) & 0x0fff) + 3;
    broken[second + 1] = 0x00; // signature bits 0b000
    const result = decompressOvba(broken);
    assert.deepEqual(codes(result), ['E_OVBA_BAD_CHUNK']);
    assert.equal(text(result.data), 'x'.repeat(4096));
  });

  it('copy token reaching before its chunk → E_OVBA_BAD_COPY_TOKEN', () => {
    // Flag 0x01: the very first token is a copy token, with nothing to copy from.
    const result = decompressOvba(hex('01 02 B0 01 00 00'));
    assert.deepEqual(codes(result), ['E_OVBA_BAD_COPY_TOKEN']);
  });

  it('output is bounded by maxOut → E_OVBA_OUTPUT_LIMIT', () => {
    const bomb = compressOvba(new Uint8Array(1 << 20)); // 1 MiB of zeros in ~770 bytes
    const result = decompressOvba(bomb, 10_000);
    assert.equal(result.data.length, 10_000);
    assert.deepEqual(codes(result), ['E_OVBA_OUTPUT_LIMIT']);
  });

  it('output exactly at maxOut is complete, with no anomaly', () => {
    const result = decompressOvba(compressOvba(new Uint8Array(10_000)), 10_000);
    assert.equal(result.data.length, 10_000);
    assert.deepEqual(result.anomalies, []);
  });

  it('garbage never throws and output stays bounded', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const bytes = patternBytes(1 + (seed % 97) * 13, seed);
      bytes[0] = 0x01;
      if (seed % 3 === 0) bytes[2] = 0xb0 | (bytes[2]! & 0x0f);
      const result = decompressOvba(bytes, 50_000);
      assert.ok(result.data.length <= 50_000);
    }
  });
});

describe('ovba: compression (MS-OVBA 2.4.1.3.6)', () => {
  it('compresses the spec examples to the spec bytes', () => {
    assert.deepEqual(compressOvba(ascii('abcdefghijklmnopqrstuv.')), NO_COMPRESSION);
    assert.deepEqual(compressOvba(ascii('a'.repeat(73))), MAXIMUM);
  });

  it('round-trips the normal example to the same length as the spec', () => {
    const input = ascii('#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa');
    const packed = compressOvba(input);
    assert.equal(packed.length, NORMAL.length);
    assert.deepEqual(decompressOvba(packed).data, input);
  });

  it('round-trips empty input, chunk boundaries and repetitive text', () => {
    const line = 'Dim s As String: s = "http://" & "example.com/x" & Chr(47)\r\n';
    for (const input of [
      new Uint8Array(0),
      ascii('A'),
      ascii('x'.repeat(4096)),
      ascii('x'.repeat(4097)),
      ascii(line.repeat(3000)),
    ]) {
      const packed = compressOvba(input);
      const result = decompressOvba(packed);
      assert.deepEqual(result.anomalies, []);
      assert.deepEqual(result.data, input);
    }
    assert.ok(compressOvba(ascii(line.repeat(3000))).length < line.length * 300);
  });

  it('round-trips random data in whole chunks, stored as raw chunks', () => {
    const input = patternBytes(3 * 4096, 99);
    const packed = compressOvba(input);
    assert.equal(packed[2], 0x3f, 'raw chunk header 0x3FFF');
    assert.deepEqual(decompressOvba(packed).data, input);
  });

  it('pads an incompressible final chunk to 4096 bytes with zeros, as the spec says', () => {
    const input = patternBytes(4096 + 3900, 5);
    const out = decompressOvba(compressOvba(input)).data;
    assert.equal(out.length, 8192);
    assert.deepEqual(out.subarray(0, input.length), input);
    assert.ok(out.subarray(input.length).every((b) => b === 0));
  });

  it('round-trips mixed random and repetitive data of odd sizes', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const noise = patternBytes(seed * 331, seed);
      const input = new Uint8Array(seed * 997);
      for (let i = 0; i < input.length; i++)
        input[i] = i % 7 < 4 ? noise[i % noise.length]! & 0x7 : 65;
      assert.deepEqual(decompressOvba(compressOvba(input)).data, input, `seed ${seed}`);
    }
  });
});
