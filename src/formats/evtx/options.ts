import { ConfigError } from '../../core/index.js';
import { MAX_EVTX_DEPTH, MAX_EVTX_RECORD_NODES } from './constants.js';
import type { EvtxOptions, ResolvedEvtxOptions } from './types.js';

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(
      'E_CONFIG_LIMIT',
      `evtx option ${name} must be a positive integer, got ${value}`,
    );
  }
  return value;
}

const resolvedMark = new WeakSet<object>();

/** Validated options with defaults; already-resolved options pass through untouched. */
export function resolveEvtxOptions(
  options: EvtxOptions | ResolvedEvtxOptions,
): ResolvedEvtxOptions {
  if (resolvedMark.has(options)) return options as ResolvedEvtxOptions;
  const resolved: ResolvedEvtxOptions = {
    maxDepth: positive('maxDepth', options.maxDepth, MAX_EVTX_DEPTH),
    maxRecordNodes: positive('maxRecordNodes', options.maxRecordNodes, MAX_EVTX_RECORD_NODES),
    verifyChecksums: options.verifyChecksums ?? true,
  };
  resolvedMark.add(resolved);
  return resolved;
}
