/**
 * @module tshark — packet captures through Debian's `tshark` (https://www.wireshark.org/docs/man-pages/tshark.html):
 * `tshark -r FILE -T ek -e …` streamed into network events (formats/pcap maps the lines), and
 * `--export-objects http|imf` into a temp folder whose files go through the scanner as the capture's
 * children. Only saved captures are read, never live interfaces; every run has a timeout.
 *
 * @example
 * for await (const event of readCaptureEvents('trace.pcap')) …
 * const { children } = await scanCaptureObjects('trace.pcap');
 */
export {
  attachCaptureChildren,
  captureObjectLines,
  captureTypeOf,
  isCaptureFile,
  scanCaptureObjects,
  withCaptureVerdict,
  worstChildRank,
  type CaptureObjects,
} from './capture-hunt.js';
export {
  DEFAULT_EXPORT_LIMITS,
  exportCaptureObjects,
  type ExportLimits,
  type ExportReport,
  type ExportedObject,
} from './export.js';
export {
  checkCapturePath,
  DEFAULT_TSHARK_TIMEOUT_MS,
  readCaptureEvents,
  runTshark,
  TsharkError,
  type CaptureSummary,
  type TsharkOptions,
} from './run.js';
