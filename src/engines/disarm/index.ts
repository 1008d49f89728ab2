/**
 * @module engines/disarm — content disarm and reconstruction (CDR): a copy of an Office document that
 * keeps its content and loses what can run (MS-OVBA VBA projects, XLM macro sheets, ActiveX, OLE objects,
 * external relationships of ECMA-376 Part 2, DDE fields, RTF `\object`). Dispatches by sniffed type to the
 * format disarmers; PDF and other types are refused as `unsupported`. The pipeline (`pipeline/disarm.ts`)
 * re-scans every copy and refuses it unless it comes out clean.
 *
 * @example
 * const out = disarmDocument(bytes, { limits: DEFAULT_LIMITS });
 * out.status // 'disarmed' | 'unchanged' | 'refused'
 */
export { disarmableTypes, disarmDocument, DISARMERS } from './dispatch.js';
export type { DispatchedOutcome, DispatchOptions } from './dispatch.js';
export { activeContentRemoved, DISARM_FINDINGS, disarmRefused } from './findings.js';
export type {
  Disarmer,
  DisarmOptions,
  DisarmOutcome,
  DisarmStatus,
  Removal,
  RemovalKind,
} from './types.js';
