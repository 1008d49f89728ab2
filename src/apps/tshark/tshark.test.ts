import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TSHARK_SKIP, useDownloadCapture } from '../../../test/support/tshark-capture.js';
import type { LogEvent } from '../../core/index.js';
import { viewOf } from '../../formats/netlog/index.js';
import {
  captureTypeOf,
  exportCaptureObjects,
  isCaptureFile,
  readCaptureEvents,
  scanCaptureObjects,
  TsharkError,
  type CaptureSummary,
} from './index.js';

const skip = TSHARK_SKIP;

let dir = '';
let capture = '';
useDownloadCapture('emoguard-tshark-test-', 'trace.bin', (c) => ({ dir, capture } = c));

async function collect(it: AsyncIterable<LogEvent>): Promise<LogEvent[]> {
  const out: LogEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('tshark: capture events', { skip }, () => {
  test('a built capture gives DNS, the HTTP transaction, the TLS hello and the SMTP envelope', async () => {
    const summary: CaptureSummary = { packets: 0, events: 0, anomalies: [], anomalyCount: 0 };
    const events = await collect(readCaptureEvents(capture, {}, summary));
    const views = events.map(viewOf);
    assert.deepEqual(
      views.map((v) => v.kind),
      ['dns', 'dns', 'http', 'tls', 'smtp'],
    );
    const http = views.find((v) => v.kind === 'http')!;
    assert.deepEqual(
      [http.host, http.uri, http.method, http.status, http.declaredType, http.dstIp, http.dstPort],
      [
        'dl.example.com',
        '/invoice/INV-2026.doc',
        'GET',
        200,
        'application/msword',
        '203.0.113.5',
        80,
      ],
    );
    assert.match(http.userAgent ?? '', /WindowsPowerShell/);
    const tls = views.find((v) => v.kind === 'tls')!;
    assert.equal(tls.sni, 'c2.example.net');
    assert.equal(tls.ja3, 'd83ae3a9c3698053a4d27433ffa6cfff');
    assert.ok(
      events.every((e) => e.host === '192.0.2.10'),
      'every event is about the client',
    );
    assert.equal(summary.events, events.length);
    assert.equal(summary.anomalyCount, 0);
  });

  test(
    'pcapng (converted by editcap) gives the same events as pcap',
    {
      skip:
        spawnSync('editcap', ['-h'], { stdio: 'ignore' }).status === 0
          ? false
          : 'editcap is not installed',
    },
    async () => {
      const ng = join(dir, 'trace.ng');
      assert.equal(
        spawnSync('editcap', ['-F', 'pcapng', capture, ng]).status,
        0,
        'editcap converts',
      );
      assert.equal(captureTypeOf(ng), 'pcapng');
      const strip = (e: LogEvent) => ({ ...e, source: { ...e.source, path: '' } });
      assert.deepEqual(
        (await collect(readCaptureEvents(ng))).map(strip),
        (await collect(readCaptureEvents(capture))).map(strip),
      );
    },
  );

  test('sniffed by content: the capture is named .bin', () => {
    assert.equal(isCaptureFile(capture), true);
    assert.equal(isCaptureFile(join(import.meta.dirname, 'index.ts')), false);
  });

  test('exported objects: the HTTP .doc scans as malicious, the SMTP mail as a mail', async () => {
    const { children, notes } = await scanCaptureObjects(capture);
    assert.deepEqual(notes, []);
    assert.deepEqual(
      children.map((c) => [c.path, c.relation, c.type]),
      [
        [`${capture}!http/INV-2026.doc`, 'exported-http', 'ole'],
        [`${capture}!imf/test.eml`, 'exported-imf', 'eml'],
      ],
    );
    assert.equal(children[0]!.verdict, 'malicious');
    assert.ok(
      children[0]!.findings.some((f) => f.id === 'vba.autoexec-execution-chain'),
      'the macro chain is found in the downloaded document',
    );
  });

  test('export bounds: at maxObjects all are kept, below it the rest are skipped', async () => {
    assert.equal((await exportCaptureObjects(capture, { maxObjects: 2 })).skipped, 0);
    const one = await exportCaptureObjects(capture, { maxObjects: 1 });
    assert.deepEqual([one.objects.length, one.skipped], [1, 1]);
  });

  test('export bounds: an object over maxObjectBytes is not read', async () => {
    const r = await exportCaptureObjects(capture, { maxObjectBytes: 200 });
    assert.deepEqual(
      r.objects.map((o) => o.name),
      ['test.eml'],
    );
    assert.equal(r.tooLarge, 1);
  });

  test('timeout: tshark is stopped and the error says so', async () => {
    await assert.rejects(
      collect(readCaptureEvents(capture, { timeoutMs: 1 })),
      (e: TsharkError) => {
        assert.equal(e.code, 'E_TSHARK_TIMEOUT');
        return true;
      },
    );
  });

  test('a corrupt capture: tshark fails and the error carries its message', async () => {
    const bad = join(dir, 'bad.pcap');
    writeFileSync(bad, Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 1, 2, 3));
    await assert.rejects(collect(readCaptureEvents(bad)), (e: TsharkError) => {
      assert.equal(e.code, 'E_TSHARK_FAILED');
      return true;
    });
  });
});

describe('tshark: refusals (no tshark needed)', () => {
  test('tshark missing: a clear error naming the Debian package', async () => {
    await assert.rejects(
      collect(readCaptureEvents(capture, { binary: join(dir, 'no-such-tshark') })),
      (e: TsharkError) => {
        assert.equal(e.code, 'E_TSHARK_MISSING');
        assert.match(e.message, /apt-get install tshark/);
        return true;
      },
    );
  });

  test('only regular files: a directory is refused before tshark runs', async () => {
    await assert.rejects(collect(readCaptureEvents(dir)), (e: TsharkError) => {
      assert.equal(e.code, 'E_TSHARK_INPUT');
      return true;
    });
  });
});
