import { describeError, LimitError, type Anomaly } from '../../core/index.js';
import {
  MAX_CFB_ENTRIES,
  parseCfb,
  readCfbTree,
  writeCfb,
  type CfbNode,
  type CfbRoot,
  type CfbTree,
} from '../../formats/cfb/index.js';
import { blankDdeFields, checkWordDocument } from './ole-doc.js';
import { disarmPptStream } from './ole-ppt.js';
import { removeEmbeddedObjects, removeVbaProjects } from './ole-storages.js';
import { disarmWorkbookStream } from './ole-xls.js';
import type { DisarmOptions, DisarmOutcome, Removal } from './types.js';

/** Reader anomalies that say a limit was hit rather than that the file is broken. */
const LIMIT_ANOMALIES = new Set([
  'E_CFB_TOO_MANY_ENTRIES',
  'E_CFB_STREAM_TOO_LARGE',
  'E_CFB_TOO_DEEP',
  'E_CFB_CHAIN_BUDGET',
]);

type Refusal = Required<Pick<DisarmOutcome, 'refusal' | 'reason'>>;

/**
 * Disarms a compound file (.doc, .xls, .ppt and other OLE2 documents, [MS-CFB]): removes VBA
 * projects (MS-OVBA; `Macros`, `_VBA_PROJECT_CUR`, any storage holding `VBA`) and the ObjProj record
 * that announces one, turns Excel 4.0 macro sheets into formula-less worksheets and renames auto-run
 * names ([MS-XLS]), blanks DDE/DDEAUTO field instructions in Word text ([MS-DOC] 2.8.25), and drops
 * embedded objects (Word ObjectPool, Excel MBD…, any object storage; PowerPoint's VBA project and
 * objects are emptied in place, see `disarmPptStream`), then writes a new compound file with its own
 * writer and re-reads it. Refuses — never half-written — files the reader found broken (looping
 * chains, bad directories), files over the limits, and encrypted documents.
 *
 * @example
 * const out = disarmOle(bytes, { limits: DEFAULT_LIMITS });
 * if (out.status === 'disarmed') save(out.output!); // out.removed lists what went
 */
export function disarmOle(bytes: Uint8Array, options: DisarmOptions): DisarmOutcome {
  try {
    return disarm(bytes, options);
  } catch (error) {
    const refusal = error instanceof LimitError ? 'limit' : 'malformed';
    return { status: 'refused', removed: [], refusal, reason: describeError(error) };
  }
}

function disarm(bytes: Uint8Array, options: DisarmOptions): DisarmOutcome {
  const refuse = ({ refusal, reason }: Refusal): DisarmOutcome => ({
    status: 'refused',
    removed: [],
    refusal,
    reason,
  });
  const maxEntries = Math.min(MAX_CFB_ENTRIES, options.limits.maxMembers);
  const tree = readCfbTree(bytes, { maxStreamBytes: options.limits.maxFileSize, maxEntries });
  const broken = checkAnomalies(tree);
  if (broken) return refuse(broken);
  options.checkDeadline?.();
  const removed: Removal[] = [];
  const refused = disarmDocumentStreams(tree.root, removed, options);
  if (refused) return refuse(refused);
  removeVbaProjects(tree.root, removed);
  removeEmbeddedObjects(tree.root, removed);
  if (removed.length === 0)
    return { status: 'unchanged', output: bytes, outputType: 'ole', removed };
  options.checkDeadline?.();
  const output = writeCfb(tree.root);
  // SECURITY: what leaves here must read back clean with the same reader the scanner uses.
  const reread = parseCfb(output).anomalies;
  if (reread.length > 0) {
    return refuse({
      refusal: 'malformed',
      reason: `rewritten file re-reads with ${reread[0]!.code}`,
    });
  }
  return { status: 'disarmed', output, outputType: 'ole', removed };
}

/**
 * Any reader anomaly refuses the file but two the rewrite makes moot: orphan entries (not copied) and
 * the high half of a version 3 stream size, which MS-CFB 2.6.3 says old writers left uninitialised
 * and readers MUST ignore (the reader did; the writer writes zero).
 */
function checkAnomalies(tree: CfbTree): Refusal | undefined {
  const isMoot = (a: Anomaly): boolean =>
    a.code === 'E_CFB_ORPHAN_ENTRY' ||
    (a.code === 'E_CFB_BAD_ENTRY' && a.message.includes('high 32 bits of a version 3'));
  const blocking = tree.anomalies.filter((a) => !isMoot(a));
  const first = blocking[0];
  if (!first) return undefined;
  const isLimit = blocking.some((a) => LIMIT_ANOMALIES.has(a.code));
  const more = blocking.length > 1 ? ` (and ${blocking.length - 1} more)` : '';
  return {
    refusal: isLimit ? 'limit' : 'malformed',
    reason: `compound file not rewritten: ${first.code} ${first.message}${more}`,
  };
}

/** Word, Excel and PowerPoint streams at the root: their own checks and in-stream edits. */
function disarmDocumentStreams(
  root: CfbRoot,
  removed: Removal[],
  options: DisarmOptions,
): Refusal | undefined {
  const stream = (name: string): CfbNode | undefined =>
    root.children.find((c) => c.type === 'stream' && c.name.toUpperCase() === name.toUpperCase());
  if (stream('EncryptedPackage') || stream('EncryptedSummary')) {
    return { refusal: 'encrypted', reason: 'the document is encrypted (MS-OFFCRYPTO)' };
  }
  const word = stream('WordDocument');
  if (word?.data) {
    const check = checkWordDocument(word.data);
    if (check) return check;
    const blanked = blankDdeFields(word.data, removed, options.checkDeadline);
    if (blanked) word.data = blanked;
  }
  const book = stream('Workbook') ?? stream('Book');
  if (book?.data) {
    const result = disarmWorkbookStream(book.data, removed);
    if ('refusal' in result) return result;
    if (result.stream) book.data = result.stream;
  }
  const ppt = stream('PowerPoint Document');
  if (ppt?.data) {
    const result = disarmPptStream(ppt.data, removed, options.limits.maxFileSize);
    if ('refusal' in result) return result;
    if (result.stream) ppt.data = result.stream;
  }
  return undefined;
}
