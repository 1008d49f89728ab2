import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildIncidentViewFixture, CSV_INJECTION } from '../../../test/builders/incident-view.js';
import {
  defineFinding,
  emptyExtracted,
  mergeExtracted,
  type ScanResult,
} from '../../core/index.js';
// Tests may build a real store; the export code itself imports only types from store.
import { openSqliteStore, type Store } from '../../store/index.js';
import {
  csvCell,
  exportDataFromIncident,
  OCSF_CLASS_UID,
  readExportData,
  stixPattern,
  TIMESKETCH_COLUMNS,
  toNavigatorLayer,
  toOcsfJsonLines,
  toStixBundle,
  toTimesketchCsv,
  type ExportData,
} from './index.js';

const now = new Date('2026-11-22T00:00:00.000Z');
const incidentData = (): ExportData => exportDataFromIncident(buildIncidentViewFixture(), now);
const STIX_ID =
  /^([a-z0-9-]+)--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const STIX_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** RFC 4180 reader, enough to check what a spreadsheet would see in each cell. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(cell), (cell = ''));
    else if (c === '\r' && text[i + 1] === '\n') {
      (row.push(cell), rows.push(row), (row = []), (cell = ''), i++);
    } else cell += c;
  }
  return rows;
}

describe('exports: STIX 2.1', () => {
  const bundle = toStixBundle(incidentData());
  const byId = new Map(bundle.objects.map((o) => [o.id, o]));

  test('every object has the common required properties and a well-formed id', () => {
    assert.equal(bundle.type, 'bundle');
    assert.match(bundle.id, STIX_ID);
    for (const o of bundle.objects) {
      assert.equal(o.spec_version, '2.1', o.id);
      assert.equal(STIX_ID.exec(o.id)?.[1], o.type, o.id);
      assert.match(String(o.created), STIX_TIME);
      assert.match(String(o.modified), STIX_TIME);
    }
    assert.equal(new Set(bundle.objects.map((o) => o.id)).size, bundle.objects.length);
  });

  test('indicators carry STIX patterns; quotes in a value cannot break out of the literal', () => {
    const patterns = bundle.objects.filter((o) => o.type === 'indicator').map((o) => o.pattern);
    assert.deepEqual(patterns, [
      "[url:value = 'http://203.0.113.5/loader.dll']",
      "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port = 8080]",
      "[domain-name:value = 'evil.example.com\\'] OR [x:y = \\'1']",
      "[email-addr:value = 'ceo@example.org']",
      `[file:hashes.'SHA-256' = '${'c'.repeat(64)}']`,
    ]);
    assert.equal(
      stixPattern({ kind: 'ip', value: '2001:db8::1' }),
      "[ipv6-addr:value = '2001:db8::1']",
    );
    assert.equal(stixPattern({ kind: 'file', value: 'a\\b.exe' }), "[file:name = 'a\\\\b.exe']");
    for (const o of bundle.objects.filter((x) => x.type === 'indicator')) {
      assert.equal(o.pattern_type, 'stix');
      assert.match(String(o.valid_from), STIX_TIME);
    }
  });

  test('sightings point at indicators and host identities, with first/last seen and count', () => {
    const sightings = bundle.objects.filter((o) => o.type === 'sighting');
    assert.equal(sightings.length, 5);
    for (const s of sightings) {
      assert.equal(byId.get(String(s.sighting_of_ref))?.type, 'indicator');
      const where = s.where_sighted_refs as string[];
      assert.deepEqual(
        where.map((r) => byId.get(r)?.name),
        ['pc-1'],
      );
      assert.ok(
        String(s.first_seen) <= String(s.last_seen),
        'expected: String(s.first_seen) <= String(s.last_seen)',
      );
      assert.ok(Number(s.count) >= 1, 'expected: Number(s.count) >= 1');
    }
    const c2 = sightings.find(
      (s) => byId.get(String(s.sighting_of_ref))?.name === 'ip: 198.51.100.7:8080',
    )!;
    assert.equal(c2.first_seen, '2026-11-20T01:10:00.000Z');
  });

  test('malware, attack-patterns and relationships are linked; ids are stable across exports', () => {
    const malware = bundle.objects.filter((o) => o.type === 'malware');
    assert.deepEqual(
      malware.map((m) => [m.name, m.is_family]),
      [['Emotet', true]],
    );
    const patterns = bundle.objects.filter((o) => o.type === 'attack-pattern');
    assert.ok(
      patterns.some(
        (p) =>
          (p.external_references as Array<{ external_id: string }>)[0]!.external_id === 'T1047',
      ),
    );
    for (const r of bundle.objects.filter((o) => o.type === 'relationship')) {
      assert.ok(byId.has(String(r.source_ref)) && byId.has(String(r.target_ref)), String(r.id));
    }
    const again = toStixBundle(incidentData());
    assert.deepEqual(
      again.objects.map((o) => o.id),
      bundle.objects.map((o) => o.id),
    );
    assert.equal(again.id, bundle.id);
  });
});

describe('exports: OCSF, Navigator, Timesketch', () => {
  test('OCSF: one Detection Finding per line with the class, category, type and activity ids', () => {
    const data = incidentData();
    data.findings[0]!.title = 'line one\nline two\u2028"}';
    const lines = toOcsfJsonLines(data, { productVersion: '9.9.9' }).trimEnd().split('\n');
    assert.equal(lines.length, data.findings.length);
    const events = lines.map((l) => JSON.parse(l) as Record<string, any>);
    for (const e of events) {
      assert.equal(e.class_uid, OCSF_CLASS_UID);
      assert.equal(e.category_uid, 2);
      assert.equal(e.activity_id, 1);
      assert.equal(e.type_uid, 200401);
      assert.ok(
        e.severity_id >= 1 && e.severity_id <= 5,
        'expected: e.severity_id >= 1 && e.severity_id <= 5',
      );
      assert.equal(typeof e.time, 'number');
      assert.equal(e.metadata.product.name, 'emoguard');
      assert.equal(e.metadata.version, '1.1.0');
      assert.equal(typeof e.finding_info.uid, 'string');
      assert.equal(typeof e.finding_info.title, 'string');
    }
    assert.equal(events[0]!.finding_info.title, 'line one\nline two\u2028"}');
    const vba = events.find((e) => e.finding_info.types[0] === 'vba.autoexec-execution-chain')!;
    assert.equal(vba.severity_id, 5);
    assert.deepEqual(vba.attacks[1], {
      technique: { uid: 'T1047', name: 'Windows Management Instrumentation' },
      tactic: { uid: 'TA0002', name: 'Execution' },
      version: '14',
    });
    assert.equal(vba.metadata.correlation_uid, 'emoguard-incident-7');
  });

  test('Navigator: layer 4.5, enterprise domain, techniques scored by findings with titles', () => {
    const layer = toNavigatorLayer(incidentData());
    assert.equal(layer.versions.layer, '4.5');
    assert.equal(layer.domain, 'enterprise-attack');
    const t1047 = layer.techniques.filter((t) => t.techniqueID === 'T1047');
    assert.deepEqual(
      t1047.map((t) => [t.tactic, t.score]),
      [['execution', 2]],
    );
    assert.match(t1047[0]!.comment, /Macro runs on open and starts a process \(1\)/);
    const runKey = layer.techniques
      .filter((t) => t.techniqueID === 'T1547.001')
      .map((t) => t.tactic);
    assert.deepEqual(runKey, ['persistence', 'privilege-escalation']);
    assert.equal(layer.gradient.maxValue, 2);
  });

  test('Timesketch: required columns, ISO datetimes oldest first, formula cells neutralised', () => {
    const data = incidentData();
    data.findings[0]!.artifactPath = CSV_INJECTION;
    data.findings[0]!.host = '@SUM(1+1)';
    const rows = parseCsv(toTimesketchCsv(data));
    assert.deepEqual(rows[0], [...TIMESKETCH_COLUMNS]);
    const body = rows.slice(1);
    assert.equal(body.length, data.findings.length);
    const dt = body.map((r) => r[1]!);
    assert.deepEqual(dt, [...dt].sort());
    for (const r of body) {
      assert.match(r[1]!, /^\d{4}-\d\d-\d\dT/);
      assert.ok(
        r[3] === 'Event Time' || r[3] === 'Time Stored',
        "expected: r[3] === 'Event Time' || r[3] === 'Time Stored'",
      );
      for (const cell of r) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, cell);
    }
    const first = body.find((r) => r[13] === '1')!;
    assert.equal(first[10], `'${CSV_INJECTION}`);
    assert.equal(first[4], "'@SUM(1+1)");
    assert.equal(csvCell('-2+3'), `"'-2+3"`);
    assert.equal(csvCell('plain "quoted"\ntext'), '"plain ""quoted"" ↵ text"');
  });
});

describe('exports: reading the store', () => {
  let store: Store;
  let scanId: number;
  const hit = defineFinding({
    id: 'vba.autoexec-execution-chain',
    title: 'Macro runs on open',
    severity: 'critical',
    step: '4',
    attack: ['T1047'],
    description: '',
  });
  const result = (i: number): ScanResult => ({
    path: `in/${i}.doc`,
    sha256: i.toString(16).padStart(64, 'd'),
    size: 10,
    type: 'ole',
    verdict: 'malicious',
    findings: [hit({ text: 'AutoOpen' })],
    extracted: mergeExtracted(emptyExtracted(), { iocs: { urls: ['http://203.0.113.9/x'] } }),
    children: [],
  });

  before(async () => {
    store = openSqliteStore(':memory:');
    await store.migrate();
    scanId = await store.beginScan({ command: 'scan', args: [], host: 'pc-9', startedAt: now });
    await store.saveResults(scanId, [result(1), result(2), result(3)]);
  });
  after(async () => store.close());

  test('findings, IOCs with host sightings, and malicious artifacts as hash indicators', async () => {
    const data = await readExportData(store, { scanId, now });
    assert.equal(data.findings.length, 3);
    assert.equal(data.findings[0]!.layer, 'document');
    assert.equal(data.isTruncated, false);
    const url = data.iocs.find((i) => i.kind === 'url')!;
    assert.deepEqual(url.sightings, [
      { host: 'pc-9', firstSeen: now.toISOString(), lastSeen: now.toISOString(), count: 3 },
    ]);
    assert.equal(data.iocs.filter((i) => i.kind === 'sha256').length, 3);
  });

  test('maxFindings: at the limit nothing is cut, below it the export says it was truncated', async () => {
    assert.equal((await readExportData(store, { maxFindings: 3 })).isTruncated, false);
    const cut = await readExportData(store, { maxFindings: 2 });
    assert.equal(cut.findings.length, 2);
    assert.equal(cut.isTruncated, true);
    await assert.rejects(readExportData(store, { scanId: 999 }), {
      code: 'E_REPORT_SCAN_NOT_FOUND',
    });
  });
});
