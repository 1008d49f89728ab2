/**
 * @module intel — threat-intel feeds as normalised indicators: abuse.ch Feodo Tracker (CSV/JSON/plain
 * list; https://feodotracker.abuse.ch/blocklist/), URLhaus CSV (https://urlhaus.abuse.ch/api/#csv),
 * ThreatFox CSV/JSON export and API JSON (https://threatfox.abuse.ch/export/), SSLBL JA3 CSV, MISP feeds
 * (manifest.json + event JSON, `to_ids` attributes only; https://www.misp-project.org/datamodels/), STIX
 * 2.1 bundles (comparison subset of patterning; https://docs.oasis-open.org/cti/stix/v2.1/) and plain
 * lists. Also the normal forms matchers key on (IP, CIDR, domain with IDNA, URL), default expiry, and
 * exports (Suricata rules, blocklists, STIX bundle). Pure: bytes in, indicators + anomalies out.
 *
 * @example
 * const parser = new IntelParser({ name: 'ipblocklist.csv' });
 * const iocs = [...parser.push(bytes), ...parser.end()];
 */
export { DEFAULT_TTL_DAYS, withDefaultExpiry } from './expiry.js';
export {
  SURICATA_SID_BASE,
  stixPatternOf,
  toBlocklist,
  toStixBundle,
  toSuricataRules,
  type BlocklistKind,
  type BlocklistOptions,
  type ExportIoc,
  type StixSighting,
  type SuricataExport,
} from './export.js';
export {
  formatIpv4,
  formatIpv6,
  ipBytes,
  normalizeCidr,
  normalizeIp,
  parseIpv4,
  parseIpv6,
} from './ip.js';
export {
  writeFeodoCsv,
  writeThreatFoxCsv,
  writeUrlhausCsv,
  type AbusechWriteOptions,
  type FeodoEntry,
  type ThreatFoxEntry,
  type UrlhausEntry,
} from './abusech-write.js';
export {
  classifyIndicator,
  ipPortKey,
  normalizeDomain,
  normalizeIoc,
  normalizeIpPort,
  normalizeUrl,
  urlHost,
  urlKey,
} from './normalize.js';
export {
  detectIntelFormat,
  IntelParser,
  MAX_FEED_IOCS,
  MAX_INTEL_ANOMALIES,
  MAX_JSON_BYTES,
  parseIntel,
  type DetectedFeed,
  type IntelSummary,
} from './parser.js';
export { parseStixPattern, type PatternIndicator, type PatternResult } from './stix-pattern.js';
export {
  INTEL_FORMATS,
  IOC_TYPES,
  isIocType,
  type IntelAnomaly,
  type IntelFormat,
  type IntelParseOptions,
  type Ioc,
  type IocType,
} from './types.js';
