import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { concatBytes } from '../../core/index.js';

export interface ReadInput {
  bytes: Uint8Array;
  /** The file's real size; larger than bytes.length when it was cut at maxFileSize. */
  size: number;
}

/** Reads at most `maxBytes` of a file: a 50 GB input must not be loaded whole. */
export async function readInputFile(path: string, maxBytes: number): Promise<ReadInput> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const want = Math.min(size, maxBytes);
    const bytes = new Uint8Array(want);
    let offset = 0;
    while (offset < want) {
      const { bytesRead } = await handle.read(bytes, offset, want - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return {
      bytes: offset === want ? bytes : bytes.subarray(0, offset),
      size: Math.max(size, offset),
    };
  } finally {
    await handle.close();
  }
}

/**
 * `readInputFile` without the promise round trips, for scan workers: a worker runs one input at a time,
 * so blocking its own thread costs nothing, and small files read several times faster this way.
 */
export function readInputFileSync(path: string, maxBytes: number): ReadInput {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const want = Math.min(size, maxBytes);
    const bytes = new Uint8Array(want);
    let offset = 0;
    while (offset < want) {
      const bytesRead = readSync(fd, bytes, offset, want - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return {
      bytes: offset === want ? bytes : bytes.subarray(0, offset),
      size: Math.max(size, offset),
    };
  } finally {
    closeSync(fd);
  }
}

/** Reads standard input up to `maxBytes`; the rest is drained and counted, not kept. */
export async function readStdin(maxBytes: number): Promise<ReadInput> {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (kept < maxBytes) {
      const part = chunk.subarray(0, maxBytes - kept);
      chunks.push(part);
      kept += part.length;
    }
  }
  return { bytes: concatBytes(chunks), size };
}
