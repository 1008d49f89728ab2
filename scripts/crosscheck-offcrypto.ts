/**
 * Dev-only cross-check (not in CI): files encrypted by test/builders/offcrypto.ts are decrypted by
 * msoffcrypto-tool (Debian: apt-get install python3-msoffcrypto-tool) and by emoguard; both must give
 * the plaintext back. Run: node --import tsx scripts/crosscheck-offcrypto.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCfb } from '../src/formats/cfb/index.js';
import { decryptOffice } from '../src/formats/offcrypto/index.js';
import { buildDocm } from '../src/formats/ooxml/index.js';
import { buildVbaProjectBin, vbaModuleSource } from '../src/formats/ovba/index.js';
import {
  buildEncryptedDoc,
  buildEncryptedXls,
  encryptAgile,
  encryptStandard,
  seededBytes,
} from '../test/builders/offcrypto.js';

const python = '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import msoffcrypto'], { encoding: 'utf8' });
if (probe.status !== 0) {
  console.log(
    'skipped: msoffcrypto-tool is not installed (apt-get install python3-msoffcrypto-tool)',
  );
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'emoguard-offcrypto-'));
// msoffcrypto checks that the plaintext is a ZIP, so the payload is a real .docm.
const plain = buildDocm({
  vbaProjectBin: buildVbaProjectBin({
    modules: [{ name: 'Module1', code: vbaModuleSource('Module1', seededText()) }],
  }),
});

function seededText(): string {
  return Array.from(seededBytes('crosscheck', 6000), (b) => `' ${b.toString(16)}`).join('\n');
}
const cases: { name: string; bytes: Uint8Array; password: string; expected?: Uint8Array }[] = [
  {
    name: 'agile-sha512.docx',
    bytes: encryptAgile(plain),
    password: 'VelvetSweatshop',
    expected: plain,
  },
  {
    name: 'agile-sha1-other.docx',
    bytes: encryptAgile(plain, { hashAlgorithm: 'SHA1', keyBits: 128, password: 'Secret1' }),
    password: 'Secret1',
    expected: plain,
  },
  {
    name: 'standard-128.docx',
    bytes: encryptStandard(plain),
    password: 'VelvetSweatshop',
    expected: plain,
  },
  {
    name: 'rc4cryptoapi.xls',
    bytes: buildEncryptedXls('inert cell text').bytes,
    password: 'VelvetSweatshop',
  },
  {
    name: 'rc4.xls',
    bytes: buildEncryptedXls('inert', { method: 'rc4' }).bytes,
    password: 'VelvetSweatshop',
  },
  {
    name: 'rc4cryptoapi.doc',
    bytes: buildEncryptedDoc('inert body').bytes,
    password: 'VelvetSweatshop',
  },
];

let failed = 0;
for (const c of cases) {
  const input = join(dir, c.name);
  const output = join(dir, `${c.name}.out`);
  writeFileSync(input, c.bytes);
  // Agile files are also checked against their dataIntegrity HMAC (verify_integrity=True), and OOXML
  // passwords against the verifier (verify_password=True), except SHA-1 agile: msoffcrypto 5.0 compares
  // the 20-byte hashes with the whole 32-byte decrypted block there and always fails.
  const verify = c.name.endsWith('.docx') && !c.name.includes('sha1');
  const script =
    'import sys, msoffcrypto\n' +
    'f = msoffcrypto.OfficeFile(open(sys.argv[1], "rb"))\n' +
    `f.load_key(password=sys.argv[3]${verify ? ', verify_password=True' : ''})\n` +
    `kw = ${verify ? '{"verify_integrity": True} if getattr(f, "type", "") == "agile" else {}' : '{}'}\n` +
    'f.decrypt(open(sys.argv[2], "wb"), **kw)\n';
  const run = spawnSync(python, ['-c', script, input, output, c.password], { encoding: 'utf8' });
  const ours = decryptOffice(parseCfb(c.bytes), { passwords: [c.password] });
  let verdict: string;
  if (run.status !== 0) verdict = `msoffcrypto failed: ${run.stderr.trim().split('\n').pop()}`;
  else {
    const theirs = new Uint8Array(readFileSync(output));
    if (c.expected) {
      verdict = Buffer.compare(theirs, c.expected) === 0 ? 'ok' : 'msoffcrypto output differs';
      if (ours?.bytes && Buffer.compare(ours.bytes, theirs) !== 0) verdict += '; ours differs';
    } else {
      // Binary formats: compare the decrypted streams, not the rebuilt container layout.
      const name = c.name.endsWith('.xls') ? 'Workbook' : 'WordDocument';
      const a = parseCfb(theirs).readStream(name);
      const b = ours?.bytes && parseCfb(ours.bytes).readStream(name);
      verdict = a && b && Buffer.compare(a, b) === 0 ? 'ok' : `${name} differs`;
    }
  }
  if (verdict !== 'ok') failed++;
  console.log(`${verdict === 'ok' ? 'ok  ' : 'FAIL'} ${c.name}: ${verdict}`);
}
rmSync(dir, { recursive: true, force: true });
console.log(`${cases.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
