import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildDownloadCapture, buildPcap, readPcap, tcpSession, udpPacket } from './pcap.js';

describe('builders/pcap', () => {
  test('round trip: readPcap(buildPcap(packets)) gives the packets back', () => {
    const packets = [
      udpPacket(
        1_700_000_000.25,
        { ip: '192.0.2.1', port: 5 },
        { ip: '192.0.2.2', port: 53 },
        Uint8Array.of(1, 2),
      ),
      ...tcpSession(1_700_000_001, { ip: '192.0.2.1', port: 6 }, { ip: '192.0.2.2', port: 80 }, [
        { fromClient: true, data: new Uint8Array(3000).fill(0x41) },
      ]),
    ];
    const back = readPcap(buildPcap(packets));
    assert.equal(back.length, packets.length);
    for (const [i, p] of packets.entries()) {
      assert.deepEqual(back[i]!.data, p.data, `packet ${i}`);
      assert.ok(Math.abs(back[i]!.time - p.time) < 1e-6, `time of packet ${i}`);
    }
  });

  test('a TCP message over the MSS is cut into segments: 3 handshake + 3 data + 3 teardown', () => {
    const packets = tcpSession(0, { ip: '192.0.2.1', port: 6 }, { ip: '192.0.2.2', port: 80 }, [
      { fromClient: true, data: new Uint8Array(3000) },
    ]);
    assert.equal(packets.length, 9);
  });

  test('the download capture starts with the pcap magic and holds the document bytes', () => {
    const doc = new TextEncoder().encode('INERT-DOCUMENT-MARKER');
    const bytes = buildDownloadCapture(doc);
    assert.deepEqual([...bytes.subarray(0, 4)], [0xd4, 0xc3, 0xb2, 0xa1]);
    assert.ok(Buffer.from(bytes).includes(Buffer.from(doc)), 'document bytes in the capture');
  });
});
