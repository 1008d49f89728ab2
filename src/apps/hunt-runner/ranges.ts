import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { EVTX_CHUNK_SIZE, EVTX_FILE_HEADER_SIZE, isEvtx } from '../../formats/evtx/index.js';
import { detectWinlogLayout } from '../../formats/winlog-json/index.js';
import type { HuntTask } from './worker.js';

/** Bytes of a line-per-event log per task: ~1,000 events, parsed and matched in one worker step. */
export const LINE_RANGE_BYTES = 1024 * 1024;
/** Head read to tell a log's layout (formats/winlog-json reads up to one 1 MiB value to decide). */
const HEAD_BYTES = 1024 * 1024;
/** Read at each cut to find the next newline (event lines are a few KiB). */
const PROBE_BYTES = 4096;
const NEWLINE = 0x0a;
let headBuffer: Uint8Array | undefined;

/**
 * What the pool can split: EVTX (by signature) into chunks, and a UTF-8 log whose layout is one event
 * per line (JSON Lines, syslog with event XML: detectWinlogLayout) into line ranges. Undefined: the
 * main thread reads it whole (a JSON array or pretty-printed JSON, whose objects span lines, cannot be
 * cut at a newline without parsing all that precedes; UTF-16 logs).
 */
export function poolKind(path: string): 'evtx' | 'lines' | undefined {
  const fd = openSync(path, 'r');
  try {
    const head = (headBuffer ??= new Uint8Array(HEAD_BYTES));
    const n = readSync(fd, head, 0, head.length, 0);
    if (isEvtx(head.subarray(0, Math.min(n, 8)))) return 'evtx';
    // (The buffer is reused: only its first n bytes are this file's.)
    const isUtf16 =
      n >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
    if (isUtf16) return undefined;
    const text = new TextDecoder('utf-8').decode(head.subarray(0, n), { stream: true });
    return detectWinlogLayout(text, n < head.length) === 'lines' ? 'lines' : undefined;
  } finally {
    closeSync(fd);
  }
}

/** The tasks of one file, in source order. */
export function huntTasks(path: string, kind: 'evtx' | 'lines'): HuntTask[] {
  const size = statSync(path).size;
  if (kind === 'evtx') {
    const chunks = Math.max(0, Math.ceil((size - EVTX_FILE_HEADER_SIZE) / EVTX_CHUNK_SIZE));
    return Array.from({ length: chunks }, (_, index) => ({ type: 'chunk', path, index }));
  }
  return lineRanges(path, size).map(({ start, end }) => ({ type: 'lines', path, start, end }));
}

/**
 * Byte ranges of about `step` bytes that cover the file and end just after a newline (or at its
 * end): a line that straddles a nominal cut belongs to the range where it starts.
 */
export function lineRanges(
  path: string,
  size = statSync(path).size,
  step = LINE_RANGE_BYTES,
): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const fd = openSync(path, 'r');
  try {
    const probe = new Uint8Array(PROBE_BYTES);
    for (let start = 0; start < size;) {
      const end = start + step >= size ? size : nextLineStart(fd, start + step - 1, size, probe);
      out.push({ start, end });
      start = end;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/** The offset after the first newline at or after `from`, or `size` (a last line without one). */
function nextLineStart(fd: number, from: number, size: number, probe: Uint8Array): number {
  for (let at = from; at < size;) {
    const n = readSync(fd, probe, 0, probe.length, at);
    if (n <= 0) break;
    const i = probe.subarray(0, n).indexOf(NEWLINE);
    if (i >= 0) return at + i + 1;
    at += n;
  }
  return size;
}
