import {
  configure,
  TextReader,
  Uint8ArrayReader,
  Uint8ArrayWriter,
  ZipWriter,
} from '@zip.js/zip.js';
import { ConfigError } from '../../core/index.js';
import type { QuarantineDir, QuarantineRecord } from '../smtp/index.js';

configure({ useWebWorkers: false });

/** The quarantine as the API sees it; `release` re-injects a message (the SMTP relay), if configured. */
export interface QuarantineAccess {
  dir: QuarantineDir;
  release?: (record: QuarantineRecord, message: Uint8Array) => Promise<string>;
}

export const MIN_ZIP_PASSWORD = 8;
export const MAX_ZIP_PASSWORD = 100;

/**
 * SECURITY: a quarantined message leaves the server only inside a WinZip AES-256 encrypted ZIP, sent as an
 * attachment: a browser never renders it, mail scanners and proxies on the way cannot open it by accident,
 * and the analyst must type the password to reach the malware.
 */
export async function encryptedZip(
  record: QuarantineRecord,
  message: Uint8Array,
  password: string,
): Promise<Uint8Array> {
  if (password.length < MIN_ZIP_PASSWORD || password.length > MAX_ZIP_PASSWORD) {
    throw new ConfigError(
      'E_QUARANTINE_PASSWORD',
      `the ZIP password has ${MIN_ZIP_PASSWORD} to ${MAX_ZIP_PASSWORD} characters`,
    );
  }
  const writer = new ZipWriter(new Uint8ArrayWriter(), { useWebWorkers: false });
  const options = { password, encryptionStrength: 3 as const, zipCrypto: false };
  await writer.add(`${record.id}.eml`, new Uint8ArrayReader(message), options);
  const note = [
    'This archive holds a message quarantined by emoguard as',
    `${record.verdict}: ${record.findings.join(', ')}.`,
    'It is probably malware. Open it only in an isolated analysis environment.',
    '',
  ].join('\n');
  await writer.add('README.txt', new TextReader(note), options);
  return writer.close();
}
