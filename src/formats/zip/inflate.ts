import { constants as bufferConstants } from 'node:buffer';
import * as zlib from 'node:zlib';
import { concatBytes } from '../../core/index.js';

/** What `inflateRawSync` reports when its output passes `maxOutputLength`. */
export const ERR_BUFFER_TOO_LARGE = 'ERR_BUFFER_TOO_LARGE';

// The zlib binding handle behind a Node zlib stream (lib/zlib.js: processChunkSync drives it so).
interface ZlibHandle {
  reset(): void;
  writeSync(
    flush: number,
    input: Uint8Array,
    inOffset: number,
    inLength: number,
    output: Uint8Array,
    outOffset: number,
    outLength: number,
  ): void;
}

interface ReusableInflater {
  stream: zlib.InflateRaw;
  handle: ZlibHandle;
  /** [avail_out, avail_in] after each write, as the binding reports them. */
  state: Uint32Array;
}

/** Output is produced into this buffer, then copied out at its exact length. */
const SCRATCH_BYTES = 64 * 1024;
let scratch: Uint8Array | undefined;
let inflater: ReusableInflater | undefined | null;

/**
 * `inflateRawSync(data, { maxOutputLength, finishFlush: Z_SYNC_FLUSH })`, with the same output and the
 * same errors, at a fraction of its fixed cost: each call of the convenience function builds a stream
 * (Transform, EventEmitter, a zlib context of ~40 KiB, a 16 KiB output buffer) for a part of a few
 * hundred bytes — a package has dozens. One zlib context is kept and reset between members instead.
 *
 * Output past `maxOutputLength` throws ERR_BUFFER_TOO_LARGE as zlib does, checked after each 64 KiB
 * (the stream checks after each 16 KiB: both stop a bomb within a chunk of the cap). Any zlib error
 * runs the member again through `inflateRawSync`, so that corrupt data fails exactly as it did; so
 * does a runtime whose zlib streams lack the internals used here.
 * SECURITY: the cap is on bytes produced, whatever the archive declares.
 */
export function inflateRawCapped(data: Uint8Array, maxOutputLength: number): Uint8Array {
  // As zlib takes the option: NaN means its default, anything else must lie in [1, MAX_LENGTH].
  const clamped = Math.min(Math.max(1, maxOutputLength), bufferConstants.MAX_LENGTH);
  const max = Number.isNaN(clamped) ? bufferConstants.MAX_LENGTH : clamped;
  const engine = reusableInflater();
  if (!engine) return official(data, max);
  const out = (scratch ??= new Uint8Array(SCRATCH_BYTES));
  engine.handle.reset();
  let chunks: Uint8Array[] | undefined;
  let total = 0;
  let inOffset = 0;
  let inLeft = data.length;
  for (;;) {
    engine.handle.writeSync(
      zlib.constants.Z_SYNC_FLUSH,
      data,
      inOffset,
      inLeft,
      out,
      0,
      out.length,
    );
    if (engine.stream.destroyed) {
      // zlib reported an error (the binding's onerror destroyed the stream): let Node say which.
      inflater = undefined;
      return official(data, max);
    }
    const outLeft = engine.state[0]!;
    const inAfter = engine.state[1]!;
    const have = out.length - outLeft;
    if (have > 0) {
      total += have;
      if (total > max) throw tooLarge(max);
      (chunks ??= []).push(out.slice(0, have));
    }
    if (outLeft !== 0) break; // all input consumed, or the stream ended
    inOffset += inLeft - inAfter;
    inLeft = inAfter;
  }
  if (!chunks) return new Uint8Array(0);
  return chunks.length === 1 ? chunks[0]! : concatBytes(chunks);
}

function official(data: Uint8Array, max: number): Uint8Array {
  const out = zlib.inflateRawSync(data, {
    maxOutputLength: max,
    finishFlush: zlib.constants.Z_SYNC_FLUSH,
  });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

function tooLarge(max: number): Error {
  return Object.assign(new RangeError(`Cannot create a Buffer larger than ${max} bytes`), {
    code: ERR_BUFFER_TOO_LARGE,
  });
}

/** The kept context, made on first use; null when this runtime's streams do not look as expected. */
function reusableInflater(): ReusableInflater | null {
  if (inflater !== undefined) return inflater;
  const stream = new zlib.InflateRaw();
  // A zlib error destroys the stream, which then emits 'error': it is handled by the fallback.
  stream.on('error', () => {});
  const internals = stream as unknown as { _handle?: Partial<ZlibHandle>; _writeState?: unknown };
  const handle = internals._handle;
  const state = internals._writeState;
  inflater =
    handle &&
    typeof handle.reset === 'function' &&
    typeof handle.writeSync === 'function' &&
    state instanceof Uint32Array &&
    state.length === 2
      ? { stream, handle: handle as ZlibHandle, state }
      : null;
  return inflater;
}
