import { type Anomaly, LimitError } from '../../core/index.js';
import type { CfbFile } from '../cfb/index.js';
import { decryptWordStreams, docScheme, findWordEncryption } from './doc.js';
import { parseEncryptionInfo } from './encryption-info.js';
import { decryptOoxml, ooxmlScheme } from './ooxml.js';
import { detectPptEncryption } from './ppt.js';
import { rebuildCfb } from './rebuild.js';
import {
  resolveOptions,
  type DecryptOptions,
  type DecryptResult,
  type EncryptionScheme,
  type ResolvedOptions,
} from './types.js';
import { decryptWorkbook, findFilePass, xlsScheme } from './xls.js';

/**
 * Tells whether a compound file is an encrypted Office document, and how, without trying any password:
 * OOXML in `EncryptionInfo`/`EncryptedPackage` ([MS-OFFCRYPTO] 2.3.4), Excel FILEPASS ([MS-XLS] 2.4.117),
 * Word FibBase.fEncrypted ([MS-DOC] 2.5.2) or a PowerPoint CryptSession10Container ([MS-PPT] 2.3.7).
 */
export function detectEncryption(
  cfb: CfbFile,
  anomalies: Anomaly[] = [],
): EncryptionScheme | undefined {
  return inspect(cfb, anomalies)?.scheme;
}

/**
 * Decrypts an encrypted Office document with the default password "VelvetSweatshop" or the passwords
 * given. Returns undefined when the file is not encrypted. Never throws for bad bytes: broken headers are
 * anomalies; a limit (spin count, output size, deadline) gives status `limit` with the error.
 *
 * @example
 * const result = decryptOffice(parseCfb(bytes));
 * if (result?.status === 'decrypted') scan(result.bytes); // the .docx zip, or a rebuilt .xls
 */
export function decryptOffice(
  cfb: CfbFile,
  options: DecryptOptions = {},
): DecryptResult | undefined {
  const anomalies: Anomaly[] = [];
  const found = inspect(cfb, anomalies);
  if (!found) return undefined;
  const resolved = resolveOptions(options);
  try {
    return found.decrypt(resolved, anomalies);
  } catch (error) {
    if (error instanceof LimitError) {
      return {
        scheme: found.scheme,
        status: 'limit',
        reason: error.message,
        limit: error,
        anomalies,
      };
    }
    // SECURITY: crypto primitives throw on inputs the checks above did not foresee; a hostile header
    // must end as "could not decrypt", never as an exception out of the parser.
    const message = error instanceof Error ? error.message : String(error);
    anomalies.push({ code: 'E_OFFCRYPTO_FAILED', message, location: found.scheme.container });
    return { scheme: found.scheme, status: 'unsupported', reason: message, anomalies };
  }
}

interface Found {
  scheme: EncryptionScheme;
  decrypt(options: ResolvedOptions, anomalies: Anomaly[]): DecryptResult;
}

function inspect(cfb: CfbFile, anomalies: Anomaly[]): Found | undefined {
  return (
    inspectOoxml(cfb, anomalies) ??
    inspectXls(cfb, anomalies) ??
    inspectDoc(cfb, anomalies) ??
    inspectPpt(cfb)
  );
}

function inspectOoxml(cfb: CfbFile, anomalies: Anomaly[]): Found | undefined {
  const infoBytes = cfb.readStream('EncryptionInfo');
  const packageBytes = cfb.readStream('EncryptedPackage');
  if (!infoBytes || !packageBytes) return undefined;
  const info = parseEncryptionInfo(infoBytes, anomalies);
  const scheme: EncryptionScheme = info
    ? ooxmlScheme(info)
    : { container: 'ooxml', method: 'unknown', detail: 'unreadable EncryptionInfo' };
  return {
    scheme,
    decrypt: (options, a) =>
      info
        ? decryptOoxml(info, packageBytes, options, a)
        : { scheme, status: 'unsupported', reason: scheme.detail, anomalies: a },
  };
}

function inspectXls(cfb: CfbFile, anomalies: Anomaly[]): Found | undefined {
  for (const name of ['Workbook', 'Book']) {
    const stream = cfb.readStream(name);
    if (!stream) continue;
    const pass = findFilePass(stream, anomalies);
    if (!pass) return undefined;
    const scheme = xlsScheme(pass, name);
    return {
      scheme,
      decrypt: (options, a) => {
        if (name !== 'Workbook')
          return { scheme, status: 'unsupported', reason: 'BIFF5 encryption', anomalies: a };
        const result = decryptWorkbook(stream, pass, options, a);
        if (result.status !== 'decrypted' || !result.bytes) return result;
        const bytes = rebuildCfb(
          cfb,
          new Map([[pathOf(cfb, 'Workbook'), result.bytes]]),
          options.checkDeadline,
        );
        return { ...result, bytes };
      },
    };
  }
  return undefined;
}

function inspectDoc(cfb: CfbFile, anomalies: Anomaly[]): Found | undefined {
  const word = cfb.readStream('WordDocument');
  if (!word) return undefined;
  const read = (name: string) => cfb.readStream(name);
  const enc = findWordEncryption(word, read, anomalies);
  if (!enc) return undefined;
  return {
    scheme: docScheme(enc),
    decrypt: (options, a) => {
      const { streams, ...result } = decryptWordStreams(enc, read, options, a);
      if (!streams) return result;
      const replaced = new Map([...streams].map(([name, data]) => [pathOf(cfb, name), data]));
      return { ...result, bytes: rebuildCfb(cfb, replaced, options.checkDeadline) };
    },
  };
}

function inspectPpt(cfb: CfbFile): Found | undefined {
  const scheme = detectPptEncryption(
    cfb.readStream('Current User'),
    cfb.readStream('PowerPoint Document'),
  );
  if (!scheme) return undefined;
  return {
    scheme,
    decrypt: (_options, a) => ({
      scheme,
      status: 'unsupported',
      reason: scheme.detail,
      anomalies: a,
    }),
  };
}

/** The stream's path as the file spells it (lookups are case-insensitive, the writer is not). */
function pathOf(cfb: CfbFile, name: string): string {
  return cfb.find(name)?.path ?? name;
}
