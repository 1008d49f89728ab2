import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TSHARK_SKIP, useDownloadCapture } from '../../../../test/support/tshark-capture.js';
import { fakeIO, runCli } from '../../../../test/support/cli-io.js';
import { main } from '../main.js';
import { openStore } from './scan.js';

const skip = TSHARK_SKIP;

let dir = '';
let capture = '';
let docSha = '';
useDownloadCapture('emoguard-hunt-pcap-', 'trace.pcap', (c) => {
  ({ dir, capture } = c);
  docSha = createHash('sha256').update(c.doc).digest('hex');
  writeFileSync(join(dir, 'intel.txt'), `c2.example.net\n${docSha}\n`);
});

describe('hunt: packet captures', { skip }, () => {
  test('--json: the TLS SNI hits the intel and the downloaded .doc is scanned with its hash matched', async () => {
    const r = await runCli([
      'hunt',
      '--json',
      '--no-store',
      '--intel',
      join(dir, 'intel.txt'),
      capture,
    ]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>);
    const sni = lines.find((d) => d.engine === 'ioc' && d.ioc?.value === 'c2.example.net');
    assert.ok(sni, `an intel hit on the SNI in ${r.stdout}`);
    assert.deepEqual([sni.host, sni.source.path, sni.source.recordId], ['192.0.2.10', capture, 16]);
    const ids = lines.filter((d) => d.artifact).map((d) => d.rule.id);
    assert.ok(ids.includes('vba.autoexec-execution-chain'), `macro chain in ${ids}`);
    assert.ok(
      ids.some((id) => id.startsWith('ioc.known-malicious')),
      `hash hit in ${ids}`,
    );
  });

  test('stored: the exported objects are children of the capture, the capture is typed pcap', async () => {
    const db = join(dir, 'store.db');
    const r = await runCli(['hunt', '--db', db, capture]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /Hunted 1 file\(s\), 5 event\(s\)/);
    const store = await openStore(db);
    try {
      const artifacts = await store.listArtifacts();
      const root = artifacts.find((a) => a.path === capture);
      const doc = artifacts.find((a) => a.path === `${capture}!http/INV-2026.doc`);
      assert.ok(root && doc, `capture and document stored: ${artifacts.map((a) => a.path)}`);
      assert.equal(doc.parentId, root.id);
      assert.equal(root.verdict, 'malicious');
    } finally {
      await store.close();
    }
  });
});

describe('hunt: packet captures without tshark', () => {
  test('a missing tshark is an error naming the package, exit 2', async () => {
    const f = fakeIO();
    f.io.env = { NO_COLOR: '1', EMOGUARD_TSHARK: join(dir, 'no-such-tshark') };
    const code = await main(['hunt', '--no-store', capture], f.io);
    assert.equal(code, 2);
    assert.match(f.err(), /tshark not found .*apt-get install tshark/);
  });
});
