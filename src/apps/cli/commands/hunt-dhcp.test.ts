import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { buildEve, buildZeekTsv, httpRow, T0 } from '../../../../test/builders/netlog.js';
import { runCli } from '../../../../test/support/cli-io.js';
import { openSqliteStore } from '../../../store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-hunt-dhcp-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HOUR = 3600;
const C2 = '198.51.100.7';

/** Two hosts hold 10.0.0.5 one after the other; a C2 hit from 10.0.0.5 during each lease. */
function writeInputs(): { intel: string; dhcp: string; http: string[]; eve: string } {
  const intel = join(dir, 'c2.txt');
  writeFileSync(intel, `# test feed\n${C2}\n`);
  const dhcp = join(dir, 'dhcp.log');
  writeFileSync(
    dhcp,
    buildZeekTsv('dhcp', [
      {
        ts: T0,
        mac: '00:11:22:33:44:aa',
        host_name: 'PC-SALES-01',
        assigned_addr: '10.0.0.5',
        lease_time: HOUR,
        msg_types: ['REQUEST', 'ACK'],
      },
      {
        ts: T0 + 4 * HOUR,
        mac: '00:11:22:33:44:bb',
        host_name: 'PC-HR-02',
        assigned_addr: '10.0.0.5',
        lease_time: HOUR,
        msg_types: ['REQUEST', 'ACK'],
      },
    ]),
  );
  // Zeek rotates logs hourly: one http.log per lease (the ioc engine folds hits in one file per address).
  const http = [join(dir, '09', 'http.log'), join(dir, '13', 'http.log')];
  mkdirSync(join(dir, '09'), { recursive: true });
  mkdirSync(join(dir, '13'), { recursive: true });
  writeFileSync(
    http[0]!,
    buildZeekTsv('http', [httpRow({ ts: T0 + 300, 'id.resp_h': C2, host: C2, uri: '/a' })]),
  );
  writeFileSync(
    http[1]!,
    buildZeekTsv('http', [
      httpRow({ ts: T0 + 4 * HOUR + 300, 'id.resp_h': C2, host: C2, uri: '/b' }),
    ]),
  );
  const eve = join(dir, 'eve.json');
  writeFileSync(
    eve,
    buildEve([
      {
        timestamp: '2024-01-16T09:00:00.000000+0000',
        event_type: 'dhcp',
        src_ip: '10.0.0.9',
        dest_ip: '10.0.0.1',
        dhcp: { type: 'request', client_mac: '00:11:22:33:44:cc', hostname: 'PC-EVE-03' },
      },
      {
        timestamp: '2024-01-16T09:00:01.000000+0000',
        event_type: 'dhcp',
        src_ip: '10.0.0.1',
        dest_ip: '10.0.0.9',
        dhcp: {
          type: 'reply',
          dhcp_type: 'ack',
          client_mac: '00:11:22:33:44:cc',
          assigned_ip: '10.0.0.9',
        },
      },
    ]),
  );
  return { intel, dhcp, http, eve };
}

describe('cli: hunt records DHCP leases', () => {
  test('a Zeek C2 hit on 10.0.0.5 goes to the host that leased 10.0.0.5 at that time (two hosts, one address)', async () => {
    const { intel, dhcp, http, eve } = writeInputs();
    const db = join(dir, 'leases.db');
    const r = await runCli(['hunt', '--intel', intel, '--json', '--db', db, dhcp, ...http, eve]);
    assert.equal(r.code, 1, `C2 hits are malicious: ${r.stderr}`);
    const store = openSqliteStore(db);
    try {
      await store.migrate();
      const rows = await store.listHostAddresses({ addresses: ['10.0.0.5', '10.0.0.9'] });
      assert.deepEqual(
        rows.map((h) => `${h.host} ${h.address} ${h.seenAt.toISOString()} ${h.source}`).sort(),
        [
          'PC-EVE-03 10.0.0.9 2024-01-16T09:00:01.000Z dhcp',
          'PC-HR-02 10.0.0.5 2024-01-15T13:00:00.000Z dhcp',
          'PC-SALES-01 10.0.0.5 2024-01-15T09:00:00.000Z dhcp',
        ],
      );
      const incidents = (await store.listIncidents()).filter((i) => i.findingIds.length > 0);
      assert.deepEqual(incidents.map((i) => `${i.subject}:${i.findingIds.length}`).sort(), [
        'PC-HR-02:1',
        'PC-SALES-01:1',
      ]);
    } finally {
      await store.close();
    }
  });

  test('--no-store: nothing is written', async () => {
    const { intel, dhcp, http } = writeInputs();
    const r = await runCli([
      'hunt',
      '--intel',
      intel,
      '--json',
      '--no-store',
      '--db',
      join(dir, 'none.db'),
      dhcp,
      ...http,
    ]);
    assert.equal(r.code, 1, r.stderr);
  });
});
