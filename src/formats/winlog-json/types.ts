import type { Anomaly, LogEvent } from '../../core/index.js';

/** The JSON sources read; each but the first two needs a mapping from rules/mappings. */
export type WinlogSource = 'evtx-json' | 'sysmon-linux' | 'nxlog' | 'ecs';

/**
 * A field mapping (rules/mappings/winlog-<source>.yml) after validation by `compileWinlogMapping`.
 * Paths are split on dots; targets are paths under `Event` in the evtx-rs layout.
 */
export interface WinlogMapping {
  source: 'nxlog' | 'ecs';
  /** Source path → target path; when several sources hit one target, the first present wins. */
  fields: { from: string[]; to: string[] }[];
  /** Top-level fields that are the collector's own and are not kept. */
  drop: Set<string>;
  /** A dropped field that is the event's own when the marker field is present (renamed collision). */
  collisions: Map<string, string>;
  /** Where the other top-level fields go (NXLog flattens EventData into the top level). */
  rest: string[] | undefined;
  /** Objects whose keys become the keys of a target element (ECS winlog.event_data → EventData). */
  spread: { from: string[]; to: string[] }[];
  /** Keys of a spread object that stand for unnamed <Data> elements (Winlogbeat's param1, param2 …). */
  unnamedData: RegExp | undefined;
  /** Target path (dotted) → conversion; `hex64`: a signed or unsigned 64-bit integer → `0x…`. */
  convert: Map<string, 'hex64'>;
  /** Target paths (dotted) whose integer strings become numbers, as evtx-rs prints them. */
  numbers: Set<string>;
  time:
    | {
        field: string[];
        /** Local receive time and the same moment in UTC: their difference is the zone offset of `field`. */
        localReceived: string[] | undefined;
        utcReceived: string[] | undefined;
      }
    | undefined;
  /** Lower-cased channel → canonical channel name. */
  channels: Map<string, string>;
  /** Channels whose Message becomes the event's unnamed Data (classic PowerShell). */
  messageAsData: Set<string>;
}

export interface WinlogMappings {
  nxlog?: WinlogMapping;
  ecs?: WinlogMapping;
}

export interface WinlogJsonOptions {
  /** The file's path, for `LogEvent.source.path`. */
  path: string;
  mappings?: WinlogMappings;
  /** Characters of one JSON value or text line; longer ones are skipped with an anomaly. */
  maxValueLength?: number;
  /** Nesting of one event's JSON or XML; deeper events are skipped with an anomaly. */
  maxDepth?: number;
  /**
   * The text is a run of whole lines cut from a `lines` log (detectWinlogLayout) at newlines, read
   * apart from the rest (hunt-runner): line numbers count from the fragment's first line, anomalies
   * are neither capped nor summed up (the caller replays them through the file's WinlogAnomalyLog).
   */
  fragment?: boolean;
}

export type WinlogItem =
  | { type: 'event'; event: LogEvent }
  /** `line`: the 1-based line the anomaly is about, when it is about one. */
  | { type: 'anomaly'; anomaly: Anomaly; line?: number };
