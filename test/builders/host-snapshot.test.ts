import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  parseHostSnapshot,
  parseVelociraptorCollection,
} from '../../src/formats/host-snapshot/index.js';
import {
  buildCleanSnapshot,
  buildVelociraptorCollection,
  snapshotBytes,
  withEmotetV1,
  withEmotetV2,
  withEmotetV3,
  withEmotetV4,
  withEmotetV4Service,
  withEmotetV5,
  withNetwork,
  withWmiPowerShell,
  type SnapshotSpec,
} from './host-snapshot.js';

/** What the parser gives back for a spec: the spec itself, with the parser's defaults filled in. */
function expected(spec: SnapshotSpec) {
  return {
    ...spec,
    schema: spec.schema ?? 'emoguard.host-snapshot/1',
    volumeSerial: Number.parseInt(spec.volumeSerial, 16),
    arch: spec.arch ?? null,
    processes: spec.processes.map((p) => ({ user: '', createdAt: null, ...p })),
    services: spec.services.map((s) => ({
      displayName: '',
      serviceDll: '',
      startType: '',
      state: '',
      account: '',
      ...s,
    })),
    scheduledTasks: spec.scheduledTasks.map((t) => ({
      arguments: '',
      enabled: null,
      userId: '',
      author: '',
      ...t,
    })),
    files: spec.files.map((f) => ({
      size: null,
      mtime: null,
      ctime: null,
      isDir: false,
      isPe: null,
      ...f,
    })),
    network: { addresses: spec.network?.addresses ?? [] },
    source: 'snapshot',
  };
}

const TRAITS: [string, (s: SnapshotSpec) => SnapshotSpec][] = [
  ['clean', (s) => s],
  ['v1', withEmotetV1],
  ['v2', (s) => withEmotetV2(s)],
  ['v3', (s) => withEmotetV3(s)],
  ['v4', (s) => withEmotetV4(s)],
  ['v4 service', withEmotetV4Service],
  ['v5', (s) => withEmotetV5(s)],
  ['wmi powershell', (s) => withWmiPowerShell(s)],
  ['network addresses', (s) => withNetwork(s)],
];

describe('builders/host-snapshot round trip', () => {
  for (const [name, trait] of TRAITS) {
    test(`${name}: parse(build(spec)) gives the spec back, with no anomaly`, () => {
      const spec = trait(buildCleanSnapshot());
      const { snapshots, anomalies } = parseHostSnapshot(snapshotBytes(spec));
      assert.deepEqual(anomalies, []);
      assert.deepEqual(snapshots, [expected(spec)]);
    });
  }

  test('a Velociraptor collection carries the same snapshot, marked as from Velociraptor', async () => {
    const spec = withEmotetV4(buildCleanSnapshot());
    const { snapshots } = await parseVelociraptorCollection(
      buildVelociraptorCollection({ results: { 'Custom.Emoguard.HostSnapshot/Snapshot': [spec] } }),
    );
    assert.deepEqual(snapshots, [{ ...expected(spec), source: 'velociraptor' }]);
  });
});
