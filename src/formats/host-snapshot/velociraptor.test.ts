import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildCleanSnapshot,
  buildVelociraptorCollection,
  jsonl,
  pslistRows,
  serviceRows,
  startupRows,
  withEmotetV4,
} from '../../../test/builders/host-snapshot.js';
import { writeZip } from '../zip/index.js';
import {
  collectionKinds,
  isVelociraptorCollection,
  parseHostInput,
  parseHostSnapshot,
  parseVelociraptorCollection,
} from './index.js';
import { listZip } from '../zip/index.js';

const encode = (text: string) => new TextEncoder().encode(text);

describe('host-snapshot: Velociraptor results', () => {
  test('a collection with Custom.Emoguard.HostSnapshot: the snapshot row, marked as from Velociraptor', async () => {
    const spec = withEmotetV4(buildCleanSnapshot());
    const zip = buildVelociraptorCollection({
      results: { 'Custom.Emoguard.HostSnapshot/Snapshot': [spec] },
    });
    const { snapshots, anomalies } = await parseVelociraptorCollection(zip);
    assert.deepEqual(anomalies, []);
    assert.equal(snapshots.length, 1);
    assert.equal(snapshots[0]!.source, 'velociraptor');
    assert.equal(snapshots[0]!.processes.length, spec.processes.length);
    assert.equal(snapshots[0]!.files.length, spec.files.length);
  });

  test('built-in artifacts (Pslist, StartupItems, Services) fill one snapshot named by client_info.json', async () => {
    const spec = withEmotetV4(buildCleanSnapshot());
    const zip = buildVelociraptorCollection({
      hostname: 'WS-7',
      results: {
        'Windows.System.Pslist': pslistRows(spec.processes),
        'Windows.Sys.StartupItems': [
          ...startupRows(spec.registry.slice(0, 2)),
          { Name: 'x.lnk', OSPath: 'C:\\Users\\a\\Start Menu\\x.lnk', Command: 'x' },
        ],
        'Windows.System.Services': serviceRows(spec.services),
        'Windows.EventLogs.Evtx': [{ irrelevant: true }],
      },
      extra: { 'uploads/auto/C%3A/Windows/notes.txt': 'uploaded file' },
    });
    const { snapshots, anomalies } = await parseVelociraptorCollection(zip);
    assert.deepEqual(anomalies, []);
    const s = snapshots[0]!;
    assert.equal(s.hostname, 'WS-7');
    assert.equal(s.volumeSerial, null);
    assert.deepEqual(
      s.processes.find((p) => p.pid === 5400)?.commandLine,
      spec.processes.at(-1)!.commandLine,
    );
    assert.equal(s.registry.length, 2, 'the Start Menu file is not a registry value');
    assert.equal(
      s.registry[0]!.key,
      'HKEY_USERS\\S-1-5-21-1111-2222-3333-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
    );
    assert.equal(s.services[1]!.serviceDll, '%SystemRoot%\\System32\\dnsrslvr.dll');
  });

  test('a collection with both keeps the whole snapshot and drops the partial one of the same host', async () => {
    const spec = buildCleanSnapshot();
    const zip = buildVelociraptorCollection({
      results: {
        'Windows.System.Pslist': pslistRows(spec.processes),
        'Custom.Emoguard.HostSnapshot/Snapshot': [spec],
      },
    });
    const { snapshots } = await parseVelociraptorCollection(zip);
    assert.equal(snapshots.length, 1);
    assert.equal(snapshots[0]!.files.length, spec.files.length);
    const { entries } = await listZip(zip);
    assert.deepEqual([...collectionKinds(entries)].sort(), ['process', 'snapshot']);
  });

  test('hunt export JSONL: Pslist rows of two hosts (Fqdn column) become two snapshots', () => {
    const spec = buildCleanSnapshot();
    const text = jsonl([
      ...pslistRows(spec.processes.slice(0, 3), 'a.example.com'),
      ...pslistRows(spec.processes.slice(3), 'b.example.com'),
    ]);
    const { snapshots, anomalies } = parseHostSnapshot(encode(text));
    assert.deepEqual(anomalies, []);
    assert.deepEqual(
      snapshots.map((s) => [s.hostname, s.processes.length]),
      [
        ['a.example.com', 3],
        ['b.example.com', spec.processes.length - 3],
      ],
    );
  });

  test('a row of an unknown shape is an anomaly; the known rows are still read', () => {
    const text = jsonl([{ Pid: 1, Name: 'a.exe', Exe: 'C:\\a.exe' }, { Foo: 'bar' }]);
    const { snapshots, anomalies } = parseHostSnapshot(encode(text));
    assert.equal(snapshots[0]!.processes.length, 1);
    assert.deepEqual(
      anomalies.map((a) => [a.code, a.location]),
      [['E_SNAPSHOT_ROW', 'input line 2']],
    );
  });

  test('TaskScheduler/Analysis rows: the task name is the path below System32\\Tasks', async () => {
    const zip = buildVelociraptorCollection({
      results: {
        'Windows.System.TaskScheduler/Analysis': [
          {
            OSPath: 'C:\\Windows\\System32\\Tasks\\Updater',
            Command: ['C:\\x.exe', 'C:\\y.exe'],
            Arguments: null,
            UserId: 'S-1-5-18',
          },
        ],
      },
    });
    const { snapshots } = await parseVelociraptorCollection(zip);
    assert.deepEqual(snapshots[0]!.scheduledTasks[0], {
      name: '\\Updater',
      command: 'C:\\x.exe',
      arguments: '',
      enabled: null,
      userId: 'S-1-5-18',
      author: '',
    });
  });

  test('isVelociraptorCollection needs results/*.json and a collection metadata file', () => {
    assert.equal(
      isVelociraptorCollection([
        { name: 'results/Windows.System.Pslist.json' },
        { name: 'uploads.json' },
      ]),
      true,
    );
    assert.equal(isVelociraptorCollection([{ name: 'results/Windows.System.Pslist.json' }]), false);
    assert.equal(
      isVelociraptorCollection([{ name: 'word/document.xml' }, { name: 'log.json' }]),
      false,
    );
  });

  test('a broken result line and a broken client_info.json are anomalies; the rest is read', async () => {
    const zip = writeZip([
      { name: 'client_info.json', data: '{not json' },
      {
        name: 'results/Windows.System.Pslist.json',
        data: '{"Pid":1,"Name":"a.exe","Exe":"C:\\\\a.exe"}\n{oops\n',
      },
    ]);
    const out = await parseHostInput(zip);
    assert.equal(out.format, 'velociraptor-collection');
    assert.equal(out.snapshots[0]!.processes.length, 1);
    assert.deepEqual(
      out.anomalies.map((a) => a.code),
      ['E_SNAPSHOT_JSON', 'E_SNAPSHOT_JSON'],
    );
  });

  test('maxCollectionBytes: result files past the budget are not inflated', async () => {
    const spec = buildCleanSnapshot();
    const zip = buildVelociraptorCollection({
      results: { 'Windows.System.Pslist': pslistRows(spec.processes) },
    });
    const out = await parseVelociraptorCollection(zip, { maxCollectionBytes: 100 });
    assert.equal(out.snapshots.length, 0);
    assert.equal(out.anomalies[0]!.code, 'E_LIMIT_MEMBER_SIZE');
  });
});
