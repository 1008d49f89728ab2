import type { Layer } from './types.js';

/**
 * The layer of each engine (the part of a finding id before the first dot). An engine not listed here
 * is a document engine: every `scan` engine analyses a delivered file unless it says otherwise.
 */
const ENGINE_LAYERS: Readonly<Record<string, Layer>> = {
  mail: 'mail',
  filter: 'mail',
  gateway: 'mail',
  quarantine: 'mail',
  disarm: 'disarm',
  sigma: 'endpoint',
  chain: 'endpoint',
  hunt: 'endpoint',
  evtx: 'endpoint',
  ioc: 'network',
  netlog: 'network',
  memory: 'memory',
  'emotet-config': 'memory',
  minidump: 'memory',
  triage: 'response',
};

export function layerOf(ruleId: string): Layer {
  const dot = ruleId.indexOf('.');
  const engine = dot < 0 ? ruleId : ruleId.slice(0, dot);
  return ENGINE_LAYERS[engine] ?? 'document';
}

/** Layers whose findings happened on the host they are stored under (not on the scanning machine). */
export function isHostLayer(layer: Layer): boolean {
  return layer === 'endpoint' || layer === 'network' || layer === 'response';
}

/** Layers whose findings describe delivered content (mail, attachments, documents). */
export function isContentLayer(layer: Layer): boolean {
  return layer === 'mail' || layer === 'document' || layer === 'disarm';
}
