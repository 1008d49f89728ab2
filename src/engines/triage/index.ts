/**
 * @module triage — step ⑥, the infected host: JPCERT/CC EmoCheck's five published methods
 * (https://github.com/JPCERTCC/EmoCheck, emocheck/modules/scan_v1…v5.cpp) over a host snapshot —
 * the v1 name from the volume serial, the v2 XOR-encoded name in the Explorer registry value, v3
 * System32-named copies with their Run value, v4 random-folder DLLs run by rundll32, v5 the 7-day
 * timestamp offset — and emoguard's own checks (random names in user-writable folders, autoruns
 * pointing at them, rundll32/regsvr32 loading user-folder DLLs, PowerShell under WMI, system names
 * outside C:\Windows). Also writes EmoCheck's report files' layout.
 *
 * @example
 * const { reports } = await triageInput(bytes);
 * reports[0]?.isInfected // true: a running process is Emotet
 */
import type { Engine } from '../../core/index.js';
import { analyzeTriage } from './engine.js';
import { TRIAGE_FINDINGS } from './findings.js';

export const triageEngine: Engine = {
  name: 'triage',
  // ZIPs and JSONL are looked at only when they hold host data (a Velociraptor collection or results).
  types: ['host-snapshot', 'zip', 'jsonl'],
  // scan.parse-error and scan.limit-exceeded are reported too; core declares them (SCAN_FINDINGS).
  findings: TRIAGE_FINDINGS,
  analyze: analyzeTriage,
};

export { findingsForAnomalies, triageInput } from './engine.js';
export type { TriageInput, TriageInputOptions } from './engine.js';
export { triageSnapshot } from './triage.js';
export type { TriageOptions, TriageReport } from './triage.js';
export type { EmoCheckMethod, EmotetDetection } from './candidate.js';
export { decodeV2Name, emotetV1Names, encodeV2Name, V1_DICTIONARY } from './emocheck-names.js';
export {
  EMOCHECK_LAYOUT_VERSION,
  emocheckReportName,
  emocheckScanTime,
  renderEmoCheckJson,
  renderEmoCheckText,
} from './emocheck-report.js';
export type { EmoCheckReportOptions } from './emocheck-report.js';
export { TRIAGE_FINDINGS } from './findings.js';
export { looksRandomName } from './names.js';
