import type { Anomaly, IocType } from '../../core/index.js';

export { IOC_TYPES, isIocType, type IocType } from '../../core/index.js';

/** One indicator from one feed. `value` is normalised (see normalize.ts); times are ISO 8601 UTC. */
export interface Ioc {
  type: IocType;
  value: string;
  /** The feed it came from (`feodotracker`, `urlhaus`, `misp:<org>` … or `--source`). */
  source: string;
  firstSeen?: string;
  lastSeen?: string;
  /** 0–100, when the feed says. */
  confidence?: number;
  tags: string[];
  /** Malware family as the feed names it (`Emotet`, `Heodo`, `win.emotet` …). */
  malware?: string;
  /** After this the indicator is stale and `expire` removes it. */
  expiresAt?: string;
  /** A link to the feed's page or report about the indicator. */
  reference?: string;
  /** 1-based line of the record in a text feed (reports only; not stored). */
  line?: number;
}

export const INTEL_FORMATS = [
  'feodo',
  'urlhaus',
  'threatfox',
  'sslbl',
  'misp',
  'stix',
  'text',
] as const;
export type IntelFormat = (typeof INTEL_FORMATS)[number];

/** A feed record that was skipped: malformed, of an unsupported kind, or refused with a reason. */
export interface IntelAnomaly extends Anomaly {
  /** 1-based line for text feeds. */
  line?: number;
}

export interface IntelParseOptions {
  /** `auto` (default) detects the format from the content and the file name. */
  format?: IntelFormat | 'auto';
  /** Overrides the feed's own source name. */
  source?: string;
  /** File name: used by detection, default source names and anomaly locations. */
  name: string;
  /** Records kept past this are refused (`E_INTEL_TOO_MANY`); default `MAX_FEED_IOCS`. */
  maxIocs?: number;
  /** JSON feeds are parsed whole; bigger ones are refused (`E_INTEL_TOO_LARGE`). */
  maxJsonBytes?: number;
  maxLineChars?: number;
  /** Anomalies kept (all are counted); default 1000. */
  maxAnomalies?: number;
}
