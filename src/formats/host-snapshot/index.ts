/**
 * @module formats/host-snapshot — the state of one Windows host for triage (processes, Run keys, the
 * Explorer values EmoCheck reads, services, scheduled tasks, files with times), as written by
 * collectors/windows/collect.ps1 and the Velociraptor artifact Custom.Emoguard.HostSnapshot
 * (schema: collectors/README.md), plus the built-in Velociraptor artifacts' JSONL results and collection
 * ZIPs (https://docs.velociraptor.app/docs/vql/artifacts/) mapped into the same shape. Pure and bounded:
 * bytes in, snapshots and anomalies out; `writeHostSnapshot` writes the collector's format (demo, tests).
 *
 * @example
 * const { snapshots, anomalies } = await parseHostInput(bytes);
 * snapshots[0]?.volumeSerial // 0x1a2b3c4d
 */
export { parseHostSnapshot, resolveSnapshotLimits, MAX_ROWS } from './parse.js';
export type { ParseSnapshotOptions } from './parse.js';
export {
  collectionKinds,
  isVelociraptorCollection,
  parseVelociraptorCollection,
} from './collection.js';
export type { CollectionOptions } from './collection.js';
export { looksLikeHostRows, looksLikeHostSnapshot, parseHostInput } from './input.js';
export type { HostInputFormat } from './input.js';
export { rowKindOfArtifact, VELOCIRAPTOR_ARTIFACTS } from './velociraptor.js';
export type { RowKind } from './velociraptor.js';
export { parseVolumeSerial } from './fields.js';
export { normalizeIp } from './network.js';
export {
  baseWindowsProcesses,
  processRowOf,
  writeHostSnapshot,
  type FileSpec,
  type ProcessRow,
  type ProcessSpec,
  type RegistrySpec,
  type ServiceSpec,
  type SnapshotSpec,
  type TaskSpec,
} from './write.js';
export { baseName } from './validate.js';
export {
  isoFromMicros,
  parseTimestampMicros,
  wallClockOf,
  wallClockOfMicros,
  type WallClock,
} from './time.js';
export {
  DEFAULT_SNAPSHOT_LIMITS,
  HOST_SNAPSHOT_SCHEMA,
  type FileEntry,
  type HostSnapshot,
  type NetworkAddress,
  type RegistryValue,
  type ScheduledTask,
  type ServiceEntry,
  type SnapshotLimits,
  type SnapshotParse,
  type SnapshotProcess,
  type System32Entry,
} from './types.js';
