/**
 * @module formats/winlog-json — Windows events from JSON and text logs into the evtx-rs layout of
 * formats/evtx (omerbenamram/evtx JSON, as Chainsaw, Hayabusa and SigmaHQ test data use), so one set of
 * rules reads them all:
 * - the evtx-rs layout itself, as JSON Lines, a JSON array or concatenated objects (`evtx_dump -o json`);
 * - ECS / Winlogbeat (`winlog.event_data`, `winlog.event_id`, `host.name`, `@timestamp`);
 * - NXLog im_msvistalog flat JSON (OTRF Security-Datasets);
 * - Windows event XML: Sysmon for Linux in syslog lines or in a JSON `message` field
 *   (https://github.com/Sysinternals/SysmonForLinux), `wevtutil qe /f:xml` output.
 * Field mappings are data (rules/mappings/winlog-*.yml), parsed by the caller and compiled here with
 * `compileWinlogMapping`. Lines, objects and nesting are bounded; malformed input becomes anomalies.
 *
 * Anomaly codes: E_WINLOG_BAD_JSON, E_WINLOG_BAD_XML, E_WINLOG_TOO_LONG, E_WINLOG_TOO_DEEP,
 * E_WINLOG_TRUNCATED, E_WINLOG_NO_MAPPING, E_WINLOG_UNKNOWN_SOURCE, E_WINLOG_TOO_MANY_ANOMALIES.
 *
 * @example
 * const mappings = { nxlog: compileWinlogMapping(YAML.parse(nxlogYaml), 'winlog-nxlog.yml') };
 * for (const item of readWinlogJson(bytes, { path: 'events.json', mappings })) {
 *   if (item.type === 'event') console.log(item.event.data);
 * }
 */
export { compileWinlogMapping } from './mapping.js';
export { MAX_WINLOG_ANOMALIES, WinlogAnomalyLog } from './anomalies.js';
export {
  detectWinlogLayout,
  detectWinlogSource,
  MAX_WINLOG_DEPTH,
  MAX_WINLOG_VALUE_LENGTH,
  readWinlogJson,
  WinlogReader,
} from './reader.js';
export type {
  WinlogItem,
  WinlogJsonOptions,
  WinlogMapping,
  WinlogMappings,
  WinlogSource,
} from './types.js';
