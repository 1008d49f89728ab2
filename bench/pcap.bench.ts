/**
 * Packet captures in `emoguard hunt`: a generated ~50 MB pcap (BENCH_PCAP_MB) of HTTP downloads with
 * 16 KiB bodies, DNS queries and answers and TLS ClientHellos, read through `tshark -T ek` into network
 * events (src/apps/tshark). Measures packets/s and MB/s of the capture, the Node process's peak RSS, and
 * in the notes tshark's own peak RSS and the time of `--export-objects` on the same capture.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildPcap,
  dnsMessage,
  tcpSession,
  tlsClientHello,
  udpPacket,
  type PcapPacket,
} from '../test/builders/pcap.js';
import {
  exportCaptureObjects,
  readCaptureEvents,
  type CaptureSummary,
} from '../src/apps/tshark/index.js';
import { TSHARK_DISPLAY_FILTER, TSHARK_FIELDS } from '../src/formats/pcap/index.js';
import { benchResult, MB, runChild, startRssSampler, type BenchResult } from './lib.js';

export const name = 'pcap';

const enc = (s: string) => new TextEncoder().encode(s);

/** Writes the capture batch by batch, so that generating it never holds it in memory (RSS is measured). */
function writeCapture(path: string, targetBytes: number): number {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, buildPcap([]));
    const body = new Uint8Array(16 * 1024).fill(0x41);
    let size = 24;
    let count = 0;
    for (let i = 0; size < targetBytes; i++) {
      const packets = batch(i, body);
      const records = buildPcap(packets).subarray(24);
      writeSync(fd, records);
      size += records.length;
      count += packets.length;
    }
    return count;
  } finally {
    closeSync(fd);
  }
}

function batch(i: number, body: Uint8Array): PcapPacket[] {
  const t = 1_700_000_000 + i;
  const client = { ip: `192.0.2.${10 + (i % 200)}`, port: 40_000 + (i % 20_000) };
  return [
    udpPacket(
      t,
      client,
      { ip: '192.0.2.53', port: 53 },
      dnsMessage(i & 0xffff, `h${i}.example.com`),
    ),
    udpPacket(
      t,
      { ip: '192.0.2.53', port: 53 },
      client,
      dnsMessage(i & 0xffff, `h${i}.example.com`, ['203.0.113.5']),
    ),
    ...tcpSession(t + 0.1, client, { ip: '203.0.113.5', port: 80 }, [
      {
        fromClient: true,
        data: enc(
          `GET /f/${i}.bin HTTP/1.1\r\nHost: h${i}.example.com\r\nUser-Agent: bench\r\n\r\n`,
        ),
      },
      {
        fromClient: false,
        data: new Uint8Array([
          ...enc(
            `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`,
          ),
          ...body,
        ]),
      },
    ]),
    ...tcpSession(
      t + 0.2,
      { ip: client.ip, port: client.port + 1 },
      { ip: '198.51.100.7', port: 443 },
      [
        {
          fromClient: true,
          data: tlsClientHello({
            sni: `t${i}.example.net`,
            ciphers: [0xc02b, 0xc02f],
            groups: [29],
            pointFormats: [0],
          }),
        },
      ],
    ),
  ];
}

export async function run(): Promise<BenchResult> {
  if (spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('tshark is not installed (apt-get install tshark)');
  }
  const targetMb = Number(process.env.BENCH_PCAP_MB ?? 50);
  const dir = mkdtempSync(join(tmpdir(), 'emoguard-bench-pcap-'));
  try {
    const path = join(dir, 'bench.pcap');
    const items = writeCapture(path, targetMb * MB);
    const bytes = statSync(path).size;
    const rss = startRssSampler();
    const summary: CaptureSummary = { packets: 0, events: 0, anomalies: [], anomalyCount: 0 };
    const started = performance.now();
    for await (const _ of readCaptureEvents(path, {}, summary)) void _;
    const seconds = (performance.now() - started) / 1000;
    const peakRssMb = rss.stop();
    const args = ['-n', '-r', path, '-Y', TSHARK_DISPLAY_FILTER, '-T', 'ek'];
    for (const f of TSHARK_FIELDS) args.push('-e', f);
    const tshark = await runChild('tshark', args);
    const exportStart = performance.now();
    const exported = await exportCaptureObjects(path, { maxObjects: 100_000 });
    const exportSeconds = (performance.now() - exportStart) / 1000;
    return benchResult({
      name,
      items,
      bytes,
      seconds,
      peakRssMb,
      notes:
        `${summary.events} events from ${summary.packets} dissected packets; tshark alone ` +
        `${tshark.seconds.toFixed(1)} s, peak RSS ${tshark.peakRssMb?.toFixed(0) ?? '?'} MiB (${tshark.peakRssSource}); ` +
        `--export-objects ${exported.objects.length} objects in ${exportSeconds.toFixed(1)} s`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
