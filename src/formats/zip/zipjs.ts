import { configure } from '@zip.js/zip.js';

// zip.js defaults to web workers; under Node they would be worker_threads started per archive. Inline
// codecs keep a scan in one thread, which the pipeline's own workers and deadlines already manage.
configure({ useWebWorkers: false });

/**
 * Options for every ZipReader and getData call. `tolerant` reads what Windows and 7-Zip would read
 * instead of rejecting ambiguous archives; the ambiguities come back as warnings, then anomalies.
 */
export const READER_OPTIONS = {
  useWebWorkers: false,
  strictness: 'tolerant',
  // SECURITY: names such as `../../x.exe` are listed, never rejected: a rejected name would hide the member.
  filenameValidation: 'tolerant',
  // Matches sniff.ts: the end record lies in the last 64 KiB + 22 bytes, as APPNOTE 4.3.16 allows.
  maxAppendedDataSize: 0xffff + 22,
} as const;
