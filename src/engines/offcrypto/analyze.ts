import {
  findingForError,
  parseError,
  type AnalysisContext,
  type ChildInput,
  type EngineOutput,
  type Finding,
} from '../../core/index.js';
import { parseCfb } from '../../formats/cfb/index.js';
import {
  decryptOffice,
  DEFAULT_PASSWORD,
  type DecryptResult,
  type EncryptionScheme,
} from '../../formats/offcrypto/index.js';
import * as F from './findings.js';

/** Where each container keeps its encryption header, for evidence. */
const LOCATIONS: Record<EncryptionScheme['container'], string> = {
  ooxml: 'EncryptionInfo',
  xls: 'Workbook:FILEPASS',
  doc: 'WordDocument:FibBase.fEncrypted',
  ppt: 'Current User:headerToken',
};

/**
 * Encrypted Office documents: decrypt with the default password and hand the plaintext back to the
 * pipeline as a child, so every other engine analyses it; otherwise say that the content is unseen.
 */
export function analyzeOffcrypto(ctx: AnalysisContext): EngineOutput {
  const cfb = ctx.memo('cfb', () =>
    parseCfb(ctx.bytes, { maxStreamBytes: ctx.limits.maxFileSize }),
  );
  const result = decryptOffice(cfb, {
    passwords: [DEFAULT_PASSWORD],
    maxOutputBytes: ctx.remainingBytes(),
    checkDeadline: () => ctx.checkDeadline(),
  });
  if (!result) return {};
  const location = LOCATIONS[result.scheme.container];
  const findings: Finding[] = result.anomalies.map((a) =>
    parseError({ location: a.location ?? location, text: `${a.code}: ${a.message}` }),
  );
  if (result.status === 'decrypted' && result.bytes) {
    findings.push(
      F.defaultPassword({
        text: result.scheme.detail,
        location,
        note: `password: ${result.password}`,
      }),
    );
    return { findings, children: [decryptedChild(result, result.bytes)] };
  }
  if (result.limit) findings.push(findingForError(result.limit, location));
  findings.push(
    F.encrypted({
      text: result.scheme.detail,
      location,
      note: result.status === 'wrong-password' ? 'not the default password' : result.reason,
    }),
  );
  return { findings };
}

function decryptedChild(result: DecryptResult, bytes: Uint8Array): ChildInput {
  if (result.scheme.container !== 'ooxml') {
    return {
      name: `decrypted.${result.scheme.container}`,
      bytes,
      relation: 'decrypted',
      typeHint: 'ole',
    };
  }
  return {
    name: `decrypted.${ooxmlExtension(bytes)}`,
    bytes,
    relation: 'decrypted',
    typeHint: 'ooxml',
  };
}

/**
 * The package's extension from the member names (stored uncompressed in every ZIP header): the name
 * tells a responder what was inside; the pipeline still sniffs the bytes.
 */
function ooxmlExtension(zip: Uint8Array): string {
  const text = new TextDecoder('latin1').decode(zip.subarray(Math.max(0, zip.length - 65_536)));
  const hasMacros = /vbaProject\.bin|macrosheets\//i.test(text);
  if (text.includes('word/')) return hasMacros ? 'docm' : 'docx';
  if (text.includes('xl/')) return hasMacros ? 'xlsm' : 'xlsx';
  if (text.includes('ppt/')) return hasMacros ? 'pptm' : 'pptx';
  return 'zip';
}
