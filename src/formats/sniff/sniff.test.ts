import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sniffType } from './index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (...b: number[]) => Uint8Array.from(b);

test('sniff: magic bytes decide, whatever the name', () => {
  assert.equal(sniffType(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0)), 'ole');
  assert.equal(sniffType(enc('ElfFile\0rest')), 'evtx');
  assert.equal(sniffType(enc('MDMP\x93\xa7')), 'minidump');
  assert.equal(sniffType(bytes(0x1f, 0x8b, 0x08, 0)), 'gzip');
  assert.equal(sniffType(enc('%PDF-1.7\n')), 'pdf');
  assert.equal(sniffType(enc('{\\rtf1\\ansi')), 'rtf');
  assert.equal(sniffType(enc('{\\rtxyz')), 'rtf'); // Word only checks "{\rt"
});

test('sniff: empty input', () => assert.equal(sniffType(new Uint8Array()), 'empty'));

test('sniff: zip vs OOXML by [Content_Types].xml', () => {
  const local = (name: string) => {
    const head = new Uint8Array(30 + name.length);
    head.set([0x50, 0x4b, 0x03, 0x04]);
    head[26] = name.length;
    head.set(enc(name), 30);
    return head;
  };
  assert.equal(sniffType(local('[Content_Types].xml')), 'ooxml');
  assert.equal(sniffType(local('readme.txt')), 'zip');
});

test('sniff: PE needs PE\\0\\0 at e_lfanew; "MZ" text is text', () => {
  const pe = new Uint8Array(0x100);
  pe.set([0x4d, 0x5a]);
  pe[0x3c] = 0x80;
  pe.set([0x50, 0x45, 0, 0], 0x80);
  assert.equal(sniffType(pe), 'pe');
  assert.equal(
    sniffType(enc('MZ is a postal code prefix, not an executable header at all.....')),
    'text',
  );
});

test('sniff: VBA source, PowerShell, mail and HTML text', () => {
  assert.equal(sniffType(enc('Sub AutoOpen()\r\n  MsgBox "hi"\r\nEnd Sub\r\n')), 'vba-source');
  assert.equal(sniffType(enc('Attribute VB_Name = "Module1"\n')), 'vba-source');
  assert.equal(sniffType(enc('powershell -nop -w hidden -enc SQBFAFgA')), 'powershell');
  assert.equal(
    sniffType(enc('$c = New-Object Net.WebClient\nInvoke-Expression $c.DownloadString($u)\n')),
    'powershell',
  );
  assert.equal(
    sniffType(enc('From: a@example.com\r\nTo: b@example.com\r\nSubject: x\r\n\r\nbody')),
    'eml',
  );
  assert.equal(
    sniffType(enc('From a@example.com Thu Jan  1 00:00:00 2026\nFrom: a@example.com\nDate: x\n\n')),
    'mbox',
  );
  assert.equal(sniffType(enc('<!DOCTYPE html><html><body>x</body></html>')), 'html');
  assert.equal(sniffType(enc('Set s = CreateObject("WScript.Shell")\ns.Run "calc"')), 'script');
  assert.equal(sniffType(enc('just some notes\nnothing here\n')), 'text');
});

test('sniff: Japanese Shift_JIS and ISO-2022-JP text is text', () => {
  assert.equal(sniffType(bytes(0x82, 0xa0, 0x82, 0xa2, 0x0a, 0x82, 0xa4)), 'text');
  assert.equal(sniffType(bytes(0x1b, 0x24, 0x42, 0x30, 0x21, 0x1b, 0x28, 0x42, 0x0a)), 'text');
});

test('sniff: binary noise is unknown', () => {
  assert.equal(sniffType(bytes(0, 1, 2, 3, 0xff, 0xfe, 0, 0, 7, 8)), 'unknown');
});

test('sniff: JSON logs (JSON Lines, arrays of objects) are jsonl', () => {
  assert.equal(sniffType(enc('{"Event":{"System":{"EventID":1}}}\n{"Event":{}}\n')), 'jsonl');
  assert.equal(sniffType(enc('[\n  {"winlog": {"event_id": 4688}}\n]')), 'jsonl');
  assert.equal(sniffType(enc('{\\rtf1\\ansi')), 'rtf');
});

test('sniff: RTF with raw \\bin bytes, ActiveMime blobs, MHTML behind junk lines', () => {
  assert.equal(
    sniffType(Uint8Array.of(...enc('{\\rtf1{\\*\\objdata \\bin4 '), 0, 0, 1, 2, 0x7d)),
    'rtf',
  );
  assert.equal(sniffType(enc('ActiveMime\0\0\x01\xf0')), 'activemime');
  assert.equal(
    sniffType(enc('junk that Word skips\nMIME-Version: 1.0\n\nQWN0aXZlTWltZQAAAA==\n')),
    'mhtml',
  );
});

test('sniff: SYLK needs the ID;P record first and a SYLK record after it', () => {
  assert.equal(
    sniffType(enc('ID;PWXL;N;E\r\nO;E\r\nNN;NAuto_open;ER1C1\r\nC;X1;Y1;K0;EHALT()\r\nE\r\n')),
    'sylk',
  );
  assert.equal(sniffType(enc('ID;P\nC;Y1;X1;K"x"\nE\n')), 'sylk');
  assert.equal(sniffType(enc('ID;Parser notes\nnothing else here\n')), 'text');
});
