import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCapturePath, runTshark, TsharkError, type TsharkOptions } from './run.js';

export interface ExportLimits {
  /** Objects kept per capture (http and imf together); the rest are counted in `skipped`. */
  maxObjects?: number;
  /** An object larger than this is not read (counted in `tooLarge`). */
  maxObjectBytes?: number;
  /** Bytes of all objects read from one capture. */
  maxTotalBytes?: number;
}

export const DEFAULT_EXPORT_LIMITS: Required<ExportLimits> = {
  maxObjects: 1000,
  maxObjectBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
};

export interface ExportedObject {
  /** `http` (HTTP bodies) or `imf` (mails sent over SMTP). */
  protocol: 'http' | 'imf';
  /** The name tshark gave the file (from the URI or the mail subject). */
  name: string;
  bytes: Uint8Array;
}

export interface ExportReport {
  objects: ExportedObject[];
  /** Objects past `maxObjects` or `maxTotalBytes`, and objects over `maxObjectBytes`. */
  skipped: number;
  tooLarge: number;
}

const PROTOCOLS = ['http', 'imf'] as const;

/**
 * Exports a capture's HTTP objects and SMTP mails (`tshark --export-objects http,DIR --export-objects
 * imf,DIR`) into a private temp folder, reads them within the limits and removes the folder.
 * SECURITY: the objects are attacker-controlled bytes (the loader a victim downloaded): they are only
 * read back into memory for the scanner, never run, and the folder is removed whatever happens.
 */
export async function exportCaptureObjects(
  path: string,
  limits: ExportLimits = {},
  options: TsharkOptions = {},
): Promise<ExportReport> {
  checkCapturePath(path);
  const bound = { ...DEFAULT_EXPORT_LIMITS, ...limits };
  const root = mkdtempSync(join(tmpdir(), 'emoguard-pcap-'));
  try {
    const args = ['-n', '-r', path, '-Q'];
    for (const p of PROTOCOLS) args.push('--export-objects', `${p},${join(root, p)}`);
    const run = runTshark(args, options);
    for await (const _ of run.stdout) void _;
    const { code, stderr } = await run.done;
    if (code !== 0) {
      const why = stderr.split('\n').find((l) => l.trim() !== '' && !/^Running as user/.test(l));
      throw new TsharkError(
        code === 'timeout' ? 'E_TSHARK_TIMEOUT' : 'E_TSHARK_FAILED',
        `${path}: tshark --export-objects failed (${code})${why ? `: ${why}` : ''}`,
      );
    }
    return readObjects(root, bound);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function readObjects(root: string, bound: Required<ExportLimits>): ExportReport {
  const report: ExportReport = { objects: [], skipped: 0, tooLarge: 0 };
  let total = 0;
  for (const protocol of PROTOCOLS) {
    let names: string[];
    try {
      names = readdirSync(join(root, protocol)).sort();
    } catch {
      continue; // tshark makes the folder only when it has objects to write
    }
    for (const name of names) {
      const file = join(root, protocol, name);
      const size = statSync(file).size;
      if (size > bound.maxObjectBytes) {
        report.tooLarge++;
        continue;
      }
      if (report.objects.length >= bound.maxObjects || total + size > bound.maxTotalBytes) {
        report.skipped++;
        continue;
      }
      total += size;
      report.objects.push({ protocol, name, bytes: new Uint8Array(readFileSync(file)) });
    }
  }
  return report;
}
