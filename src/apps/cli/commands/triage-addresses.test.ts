/**
 * `triage` records the host's network addresses (snapshot `network.addresses`, source `triage`), so a
 * network finding that names the client only by address (Zeek, proxy, Suricata) joins the host's incident.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  buildCleanSnapshot,
  HOST_IP,
  snapshotBytes,
  withEmotetV2,
  withNetwork,
} from '../../../../test/builders/host-snapshot.js';
import { buildFeodoCsv } from '../../../../test/builders/intel.js';
import { buildZeekTsv, connRow } from '../../../../test/builders/netlog.js';
import { runCli } from '../../../../test/support/cli-io.js';
import { openSqliteStore } from '../../../store/index.js';
import { hostAddressesOf } from './triage.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-triage-addr-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const C2 = '203.0.113.77'; // RFC 5737
const save = (name: string, data: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};

function inputs(tag: string) {
  const snapshot = save(
    `${tag}-ws.json`,
    snapshotBytes(withNetwork(withEmotetV2(buildCleanSnapshot({ hostname: 'WS-0042' })))),
  );
  const feed = save(
    `${tag}-feodo.csv`,
    buildFeodoCsv([{ firstSeen: '2024-01-10 10:00:00', ip: C2, port: 7080, malware: 'Emotet' }]),
  );
  const conn = save(
    `${tag}-conn.log`,
    buildZeekTsv('conn', [connRow({ 'id.orig_h': HOST_IP, 'id.resp_h': C2, 'id.resp_p': 7080 })]),
  );
  return { snapshot, feed, conn, db: join(dir, `${tag}.db`) };
}

async function incidentsOf(db: string) {
  const store = openSqliteStore(db);
  try {
    const out = [];
    for (const incident of await store.listIncidents()) {
      const findings = await store.listFindings({ incidentId: incident.id });
      out.push({ subject: incident.subject, rules: findings.map((f) => f.ruleId).sort() });
    }
    return out;
  } finally {
    await store.close();
  }
}

describe('cli: triage records host addresses for correlation', () => {
  for (const order of ['triage first', 'hunt first'] as const) {
    test(`${order}: a C2 hit of the host's LAN address in a Zeek log lands in the host's incident`, async () => {
      const { snapshot, feed, conn, db } = inputs(order.replace(' ', '-'));
      const steps = [
        ['triage', '--db', db, snapshot],
        ['hunt', '--db', db, '--intel', feed, conn],
      ];
      for (const args of order === 'triage first' ? steps : steps.reverse()) {
        const r = await runCli(args);
        assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
      }
      const open = (await incidentsOf(db)).filter((i) => i.rules.length > 0);
      assert.equal(open.length, 1, JSON.stringify(open));
      assert.equal(open[0]!.subject, 'WS-0042');
      assert.ok(
        open[0]!.rules.some((r) => r.startsWith('triage.')),
        `triage finding linked: ${open[0]!.rules.join(', ')}`,
      );
      assert.ok(
        open[0]!.rules.some((r) => !r.startsWith('triage.')),
        `network finding linked: ${open[0]!.rules.join(', ')}`,
      );
    });
  }

  test('--json carries the addresses; loopback and link-local are not recorded as host addresses', async () => {
    const { snapshot } = inputs('json');
    const r = await runCli(['triage', '--json', '--no-store', snapshot]);
    const line = JSON.parse(r.stdout.trim()) as { triage: { addresses: { ip: string }[] } };
    assert.deepEqual(
      line.triage.addresses.map((a) => a.ip),
      [HOST_IP, 'fe80::215:5dff:fe01:203'],
    );
    const report = {
      hostname: 'WS-0042',
      collectedAt: '2024-05-01T10:20:30+09:00',
      addresses: [{ ip: HOST_IP }, { ip: '127.0.0.1' }, { ip: 'fe80::1' }, { ip: '169.254.1.2' }],
    };
    const rows = hostAddressesOf(report as never, new Date(0));
    assert.deepEqual(rows, [
      {
        host: 'WS-0042',
        address: HOST_IP,
        seenAt: new Date('2024-05-01T01:20:30Z'),
        source: 'triage',
      },
    ]);
  });
});
