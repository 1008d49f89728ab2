/**
 * zip.js, loaded on first use: a well-formed Office document or archive is listed and read without it
 * (central.ts, direct.ts, decrypt.ts), and its 49 modules cost each thread about 45 ms of CPU to load.
 */
export type ZipJs = typeof import('@zip.js/zip.js');

let loading: Promise<ZipJs> | undefined;

export function loadZipJs(): Promise<ZipJs> {
  return (loading ??= import('@zip.js/zip.js').then((zipjs) => {
    // zip.js defaults to web workers; under Node they would be worker_threads started per archive.
    // Inline codecs keep a scan in one thread, which the pipeline's own workers and deadlines manage.
    zipjs.configure({ useWebWorkers: false });
    return zipjs;
  }));
}

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

/** zip.js's ERR_INVALID_PASSWORD, as its path words a failed password check (zipjs.test.ts checks it). */
export const ZIPJS_INVALID_PASSWORD = 'Invalid password';
