/**
 * STIX 2.1 bundles (https://docs.oasis-open.org/cti/stix/v2.1/os/stix-v2.1-os.html): `indicator` objects
 * with `pattern_type: stix` (2.0 bundles have none), reduced to indicators by `parseStixPattern`. The
 * malware family comes from `indicates` relationships to `malware` objects, the source from the
 * creator's `identity`. Revoked indicators are skipped; `valid_until` is the expiry.
 */
import { confidenceOf, emit, makeIoc, present, tagsOf, timeOf, type IntelSink } from './build.js';
import { parseStixPattern } from './stix-pattern.js';

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

export function readStixBundle(
  value: unknown,
  defaultSource: string | undefined,
  sink: IntelSink,
): void {
  const root = obj(value);
  const objects: unknown[] = Array.isArray(value)
    ? value
    : Array.isArray(root?.objects)
      ? (root!.objects as unknown[])
      : root?.type === 'indicator'
        ? [root]
        : [];
  if (objects.length === 0 && root?.type !== 'bundle') {
    return sink.reject('not a STIX bundle (no objects)', undefined, 'E_INTEL_JSON');
  }
  const byId = new Map<string, Record<string, unknown>>();
  for (const o of objects) {
    const r = obj(o);
    const id = present(r?.id);
    if (r && id) byId.set(id, r);
  }
  const malwareOf = new Map<string, string>();
  for (const r of byId.values()) {
    if (r.type !== 'relationship' || r.relationship_type !== 'indicates') continue;
    const target = byId.get(String(r.target_ref));
    const name = present(target?.name);
    if (target?.type === 'malware' && name) malwareOf.set(String(r.source_ref), name);
  }
  for (const o of objects) {
    const r = obj(o);
    if (!r || r.type !== 'indicator') continue;
    readIndicator(r, byId, malwareOf, defaultSource, sink);
  }
}

function readIndicator(
  r: Record<string, unknown>,
  byId: Map<string, Record<string, unknown>>,
  malwareOf: Map<string, string>,
  defaultSource: string | undefined,
  sink: IntelSink,
): void {
  const id = present(r.id) ?? 'indicator';
  if (r.revoked === true) return sink.skip();
  const patternType = present(r.pattern_type) ?? 'stix';
  if (patternType !== 'stix') {
    return sink.reject(
      `${id}: pattern_type ${patternType.slice(0, 30)} is not STIX patterning`,
      undefined,
      'E_INTEL_UNSUPPORTED',
    );
  }
  const pattern = present(r.pattern);
  if (pattern === undefined) return sink.reject(`${id}: no pattern`, undefined, 'E_INTEL_RECORD');
  const parsed = parseStixPattern(pattern);
  if ('error' in parsed) {
    return sink.reject(
      `${id}: pattern refused: ${parsed.error}`,
      undefined,
      'E_INTEL_STIX_PATTERN',
    );
  }
  const creator = byId.get(String(r.created_by_ref));
  const creatorName = creator?.type === 'identity' ? present(creator.name) : undefined;
  const refs = Array.isArray(r.external_references) ? r.external_references : [];
  const meta = {
    source: defaultSource ?? (creatorName ? `stix:${creatorName}` : 'stix'),
    firstSeen: timeOf(r.valid_from),
    lastSeen: timeOf(r.modified),
    confidence: confidenceOf(r.confidence),
    malware: malwareOf.get(id),
    expiresAt: timeOf(r.valid_until),
    reference: refs.map((x) => present(obj(x)?.url)).find((u) => u !== undefined),
    tags: tagsOf(r.indicator_types, r.labels),
  };
  for (const indicator of parsed.indicators)
    emit(sink, makeIoc(indicator.type, indicator.value, meta));
}
