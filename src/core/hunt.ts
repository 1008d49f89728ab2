import type { Severity } from './severity.js';
import type { Step } from './steps.js';

/**
 * Log hunting (`emoguard hunt`): events stream from log files through hunt engines, which return
 * detections. Windows events keep the evtx-rs JSON layout that Chainsaw, Hayabusa and SigmaHQ's test data
 * use; network events keep their log's own field names (Zeek, Suricata, proxy).
 */
export type LogEventKind = 'windows' | 'network';

/** Where an event came from: a record id for binary logs, a 1-based line for text logs. */
export interface EventSource {
  path: string;
  recordId?: number;
  line?: number;
}

export interface LogEvent {
  kind: LogEventKind;
  source: EventSource;
  /** Computer name (Windows) or sensor/host name, when the log says. */
  host?: string;
  /** ISO 8601 UTC. */
  time?: string;
  /** The event as plain JSON: `{ Event: { System: …, EventData: … } }` for Windows logs. */
  data: Record<string, unknown>;
}

export interface DetectionRule {
  id: string;
  title: string;
  /** emoguard severity; Sigma's `informational` is `info`. */
  level: Severity;
  /** The rule file, when the rule came from one. */
  path?: string;
}

/** One hit of a hunt engine; printed as one JSON line by `hunt --json` and stored as a finding. */
export interface Detection {
  /** The hunt engine that made it (`sigma`, `ioc`, `chain`); stamped by the pipeline when absent. */
  engine?: string;
  rule: DetectionRule;
  source: EventSource;
  host?: string;
  time?: string;
  step: Step;
  attack: string[];
  /** The matching event (or, for correlations and chains, the events that made it). */
  event?: Record<string, unknown>;
  events?: Record<string, unknown>[];
  /** The indicator that matched, for threat-intel detections. */
  ioc?: { type: string; value: string; feed: string; field?: string; malware?: string };
}

/**
 * A detection engine over event streams. `match` sees each event once, in file order; `finish` runs after
 * the last input and returns what needs all events (correlations, process chains, rotations).
 */
export interface HuntEngine {
  readonly name: string;
  readonly kinds: readonly LogEventKind[];
  match(event: LogEvent): Detection[];
  finish?(): Detection[];
}
