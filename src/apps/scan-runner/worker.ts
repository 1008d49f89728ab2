import type { Engine, Limits, ScanResult } from '../../core/index.js';
// scan.js and registry.js, not pipeline/index.js: the index also holds hunt and disarm, which a scan
// worker never runs (their modules would only lengthen its start-up).
import { ENGINES } from '../../pipeline/registry.js';
import { scanInput } from '../../pipeline/scan.js';
import type { openSentMessageIndex } from '../msgid/index.js';
import { enginesWithYara } from '../yara-backend/index.js';
import type { ResultSummary } from './pool.js';
import { serveTasks, type WireTask } from './pool-protocol.js';
import { readInputFileSync } from './read.js';

/**
 * The result goes back as its JSON text: a string is copied in one piece, where the structured clone of
 * a result's object tree costs more than JSON.stringify here plus JSON.parse in the pool, and the CLI
 * prints JSON anyway (the text parses back to the same object: results hold only JSON values).
 */
export type WorkerReply =
  | { seq: number; ok: true; json: string; summary: ResultSummary }
  | { seq: number; ok: false; code: string; message: string };

// One Message-ID index per worker and file, opened read-only on first use and kept for the next inputs.
// The module (SQLite) is loaded only when a scan asks for it.
const sentIndexes = new Map<string, ReturnType<typeof openSentMessageIndex>>();

async function enginesFor(request: WireTask): Promise<readonly Engine[]> {
  let engines: readonly Engine[] = ENGINES;
  if (request.msgidDb) {
    let index = sentIndexes.get(request.msgidDb);
    if (index === undefined) {
      const { openSentMessageIndex } = await import('../msgid/index.js');
      index = openSentMessageIndex(request.msgidDb);
      sentIndexes.set(request.msgidDb, index);
    }
    const { createMailEngine } = await import('../../engines/mail/index.js');
    const mail = createMailEngine({ sentMessages: index });
    engines = engines.map((e) => (e.name === 'mail' ? mail : e));
  }
  return request.yara ? enginesWithYara(engines, request.yara) : engines;
}

async function handle(task: WireTask, limits: Limits): Promise<WorkerReply> {
  try {
    // Bytes from standard input or SMTP are in shared memory: scan a private copy.
    const input = task.bytes
      ? { bytes: new Uint8Array(task.bytes).slice(), size: task.size ?? task.bytes.byteLength }
      : readInputFileSync(task.path, limits.maxFileSize);
    const result = await scanInput(
      { path: task.path, bytes: input.bytes, size: input.size },
      {
        limits,
        ...(task.yara || task.msgidDb ? { engines: await enginesFor(task) } : {}),
      },
    );
    const summary = {
      verdict: result.verdict,
      size: result.size,
      artifacts: countArtifacts(result),
    };
    return { seq: task.seq, ok: true, json: JSON.stringify(result), summary };
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    return {
      seq: task.seq,
      ok: false,
      code: err.code ? `E_INPUT_${err.code}` : 'E_SCAN_FAILED',
      message: err.message,
    };
  }
}

/** The result and its descendants (walkResults without a generator per node). */
function countArtifacts(result: ScanResult): number {
  let count = 1;
  for (const child of result.children) count += countArtifacts(child);
  return count;
}

serveTasks(handle);
