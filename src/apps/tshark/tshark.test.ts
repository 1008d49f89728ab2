import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  test('timeout: tshark is stopped, the capture ends with an E_TSHARK_TIMEOUT anomaly, nothing throws', async () => {
    const summary: CaptureSummary = { packets: 0, events: 0, anomalies: [], anomalyCount: 0 };
    await collect(readCaptureEvents(capture, { timeoutMs: 1 }, summary));
    assert.equal(summary.anomalies[0]?.code, 'E_TSHARK_TIMEOUT', 'the cut is reported');
  });

  test('output cap: past maxOutputBytes tshark is killed and E_TSHARK_OUTPUT reported', async () => {
    const summary: CaptureSummary = { packets: 0, events: 0, anomalies: [], anomalyCount: 0 };
    const events = await collect(readCaptureEvents(capture, { maxOutputBytes: 64 }, summary));
    assert.equal(events.length, 0);
    assert.equal(summary.anomalies[0]?.code, 'E_TSHARK_OUTPUT', 'the cut is reported');
  });

  test("output cap: at the capture's whole output nothing is cut", async () => {
    const summary: CaptureSummary = { packets: 0, events: 0, anomalies: [], anomalyCount: 0 };
    const events = await collect(readCaptureEvents(capture, { maxOutputBytes: 1 << 20 }, summary));
    assert.equal(events.length, 5);
    assert.equal(summary.anomalyCount, 0);
    assert.ok(summary.protections?.includes('clean-config'), 'the protections are named');
  });

  test("sandbox: a personal Lua plugin that loads under the caller's HOME is not loaded", async () => {
    const home = join(dir, 'home');
    const plugins = join(home, '.local', 'lib', 'wireshark', 'plugins');
    mkdirSync(plugins, { recursive: true });
    const marker = join(dir, 'lua-ran');
    writeFileSync(
      join(plugins, 'marker.lua'),
      `local f = io.open(${JSON.stringify(marker)}, "w") f:write("x") f:close()\n`,
    );
    // Control: tshark itself loads the plugin from that HOME, so its absence below means something.
    spawnSync('tshark', ['-n', '-r', capture, '-c', '1'], {
      env: { ...process.env, HOME: home, WIRESHARK_PLUGIN_DIR: plugins },
      stdio: 'ignore',
    });
    const control = existsSync(marker);
    rmSync(marker, { force: true });
    const saved = { home: process.env.HOME, plugin: process.env.WIRESHARK_PLUGIN_DIR };
    process.env.HOME = home;
    process.env.WIRESHARK_PLUGIN_DIR = plugins;
    try {
      await collect(readCaptureEvents(capture));
    } finally {
      process.env.HOME = saved.home;
      if (saved.plugin === undefined) delete process.env.WIRESHARK_PLUGIN_DIR;
      else process.env.WIRESHARK_PLUGIN_DIR = saved.plugin;
    }
    assert.ok(!existsSync(marker), 'the plugin did not run under emoguard');
    if (!control)
      assert.ok(true, 'this tshark loads no personal Lua at all (control did not fire)');
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
  test('timeout: the whole process group is killed, a grandchild included', async () => {
    const fake = join(dir, 'fake-tshark.sh');
    const pidFile = join(dir, 'grandchild.pid');
    writeFileSync(fake, `#!/bin/sh\nsleep 30 &\necho $! > ${pidFile}\nwait\n`, { mode: 0o755 });
    const summary: CaptureSummary = { packets: 0, events: 0, anomalies: [], anomalyCount: 0 };
    await collect(readCaptureEvents(capture, { binary: fake, timeoutMs: 300 }, summary));
    assert.equal(summary.anomalies[0]?.code, 'E_TSHARK_TIMEOUT');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    // Gone, or a zombie where no init reaps orphans (containers): either way it no longer runs.
    let state = 'gone';
    try {
      state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 'gone';
    } catch {
      // no such process
    }
    assert.ok(
      state === 'gone' || state === 'Z',
      `the sleep started by the fake tshark is gone (${state})`,
    );
  });

  test('output cap: a tool that floods stdout is killed at the cap', async () => {
    const fake = join(dir, 'flood-tshark.sh');
    writeFileSync(fake, '#!/bin/sh\nexec yes \'{"index":{}}\'\n', { mode: 0o755 });
    const summary: CaptureSummary = { packets: 0, events: 0, anomalies: [], anomalyCount: 0 };
    await collect(readCaptureEvents(capture, { binary: fake, maxOutputBytes: 1 << 20 }, summary));
    assert.equal(summary.anomalies[0]?.code, 'E_TSHARK_OUTPUT');
  });

  test('sandbox: tshark sees only the minimal environment', async () => {
    const fake = join(dir, 'env-tshark.sh');
    const out = join(dir, 'env.txt');
    writeFileSync(fake, `#!/bin/sh\nenv > ${out}\n`, { mode: 0o755 });
    process.env.EMOGUARD_TEST_SECRET = 'leak';
    try {
      await collect(readCaptureEvents(capture, { binary: fake }));
    } finally {
      delete process.env.EMOGUARD_TEST_SECRET;
    }
    const env = readFileSync(out, 'utf8');
    assert.doesNotMatch(env, /EMOGUARD_TEST_SECRET/);
    assert.match(env, /^WIRESHARK_CONFIG_DIR=.*emoguard-tshark-home-/m);
  });

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
