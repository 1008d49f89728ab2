import type { Anomaly } from '../../core/index.js';

export const NETLOG_FORMATS = [
  'zeek-tsv',
  'zeek-json',
  'suricata-eve',
  'squid',
  'proxy-csv',
] as const;
export type NetlogFormat = (typeof NETLOG_FORMATS)[number];

/** A parse problem on one line of a log: the line is skipped, the rest of the log is read. */
export interface NetlogAnomaly extends Anomaly {
  /** 1-based line in the log. */
  line?: number;
}

/**
 * Column mapping for proxy logs exported as CSV (Blue Coat, Zscaler, FortiGate, Squid logformat …).
 * Each canonical field names the CSV column (header name, or 0-based index when `hasHeader` is false).
 * Mapped columns are emitted under the canonical names (the Squid names below), the others under
 * their own header names.
 */
export interface ProxyCsvConfig {
  delimiter?: string;
  /** Default true: the first non-comment line names the columns. */
  hasHeader?: boolean;
  columns: Partial<Record<ProxyField, string | number>>;
}

/** Canonical field names of proxy records (Squid native access.log and mapped CSV). */
export const PROXY_FIELDS = [
  'time',
  'elapsed_ms',
  'client_ip',
  'result_code',
  'status',
  'bytes',
  'method',
  'url',
  'host',
  'user',
  'hierarchy',
  'server_ip',
  'server_port',
  'content_type',
  'user_agent',
  'referrer',
] as const;
export type ProxyField = (typeof PROXY_FIELDS)[number];

/**
 * A record before it is parsed into an event: the raw text of a field by the log's own field name
 * (Zeek escapes not decoded), undefined when unset or absent. `path` is the Zeek log name.
 */
export interface RawRecord {
  readonly path: string | undefined;
  get(field: string): string | undefined;
}

/**
 * Decides from a few raw fields whether a record is worth parsing (false: skipped, counted in
 * `filtered`). Used where it saves work (Zeek TSV); other dialects parse first and never filter.
 */
export type RecordFilter = (record: RawRecord) => boolean;

export interface NetlogOptions {
  /** The log's path, used in event sources and to name Zeek logs without a `#path` line. */
  path: string;
  /** `auto` (default) detects from the first line. */
  format?: NetlogFormat | 'auto';
  maxLineChars?: number;
  /** Anomalies kept in `anomalies` (all are counted). Default 1000. */
  maxAnomalies?: number;
  /** Required for `proxy-csv`. */
  proxyCsv?: ProxyCsvConfig;
  /** Skips records no detection can use before they are parsed (see `RecordFilter`). */
  filter?: RecordFilter;
}
