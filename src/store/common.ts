/**
 * Backend-neutral helpers: argument checks, paging and result-tree flattening. Every backend uses them so
 * that the same misuse gets the same `E_STORE_*` code on SQLite and PostgreSQL.
 */
import {
  ConfigError,
  isSeverity,
  isStep,
  SEVERITIES,
  severityRank,
  type ScanResult,
  type Severity,
  type Step,
} from '../core/index.js';
import {
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  type IncidentPatch,
  type NewIncident,
} from './store.js';

export const DEFAULT_PAGE_SIZE = 100;
/** A page bigger than this is cut: one API call must not pull a whole database into memory. */
export const MAX_PAGE_SIZE = 10_000;

export function notFound(what: string, id: number): ConfigError {
  return new ConfigError('E_STORE_NOT_FOUND', `${what} ${id} does not exist`);
}

function checkCount(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new ConfigError('E_STORE_INVALID_QUERY', `${name} must be a non-negative integer`);
  }
}

/** `limit` defaults to `DEFAULT_PAGE_SIZE` and is capped at `MAX_PAGE_SIZE`. */
export function pageOf(query: { limit?: number; offset?: number } = {}): {
  limit: number;
  offset: number;
} {
  checkCount('limit', query.limit);
  checkCount('offset', query.offset);
  return {
    limit: Math.min(query.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    offset: query.offset ?? 0,
  };
}

export function checkId(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) {
    throw new ConfigError('E_STORE_INVALID_QUERY', `${name} must be a positive integer`);
  }
}

export function isoTime(value: Date | undefined, fallback: Date): string {
  const date = value ?? fallback;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new ConfigError('E_STORE_INVALID_DATE', 'expected a valid Date');
  }
  return date.toISOString();
}

/** Severities at or above `min`, for `minSeverity` filters. */
export function severitiesFrom(min: Severity): Severity[] {
  if (!isSeverity(min)) throw new ConfigError('E_STORE_INVALID_QUERY', 'unknown severity');
  return SEVERITIES.slice(severityRank(min));
}

export function zeroCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

export function checkIncident(input: NewIncident | IncidentPatch): void {
  const bad = (what: string) => new ConfigError('E_STORE_INVALID_INCIDENT', `invalid ${what}`);
  if (input.title !== undefined && typeof input.title !== 'string') throw bad('title');
  if (input.severity !== undefined && !isSeverity(input.severity)) throw bad('severity');
  if (
    input.status !== undefined &&
    !(INCIDENT_STATUSES as readonly string[]).includes(input.status)
  ) {
    throw bad('status');
  }
  if (input.steps !== undefined && !(Array.isArray(input.steps) && input.steps.every(isStep))) {
    throw bad('steps');
  }
  if (input.hostId !== undefined && input.hostId !== null) checkId('hostId', input.hostId);
  if (input.owner !== undefined && input.owner !== null && typeof input.owner !== 'string') {
    throw bad('owner');
  }
  if ('kind' in input && input.kind !== undefined) {
    if (!(INCIDENT_KINDS as readonly string[]).includes(input.kind)) throw bad('kind');
  }
  if ('subject' in input && input.subject !== undefined && typeof input.subject !== 'string') {
    throw bad('subject');
  }
}

/** Distinct steps in kill-chain order, so stored incidents compare equal however they were built. */
export function normalizeSteps(steps: readonly Step[]): Step[] {
  const order: readonly Step[] = ['1', '2', '3', '4', '5', '6', 'post'];
  return order.filter((s) => steps.includes(s));
}

/** One node of a result tree, parents before children; `parent` indexes into the same list. */
export interface FlatNode {
  node: ScanResult;
  depth: number;
  parent: number | null;
  name: string;
}

/**
 * Flattens result trees without recursion. A tree that contains itself (only possible when built in
 * memory by mistake) throws `E_STORE_RESULT_CYCLE` instead of looping forever.
 */
export function flattenResults(results: readonly ScanResult[]): FlatNode[] {
  const out: FlatNode[] = [];
  const stack: { node: ScanResult; depth: number; parent: number | null }[] = [];
  for (let i = results.length - 1; i >= 0; i--) {
    stack.push({ node: results[i]!, depth: 0, parent: null });
  }
  while (stack.length > 0) {
    const { node, depth, parent } = stack.pop()!;
    // A node shared by two parents is fine (stored twice); a node inside itself is not.
    for (let a = parent; a !== null; a = out[a]!.parent) {
      if (out[a]!.node === node)
        throw new ConfigError('E_STORE_RESULT_CYCLE', 'result tree has a cycle');
    }
    const parentPath = parent === null ? undefined : out[parent]!.node.path;
    out.push({ node, depth, parent, name: artifactName(node.path, parentPath) });
    const index = out.length - 1;
    for (let c = node.children.length - 1; c >= 0; c--) {
      stack.push({ node: node.children[c]!, depth: depth + 1, parent: index });
    }
  }
  return out;
}

/**
 * A child's path is `<parent path>!<name>` (core/artifact.ts); an input's name is its base name. Member
 * names may themselves contain `!` or `/`, so the parent prefix is cut rather than the last separator.
 */
export function artifactName(path: string, parentPath?: string): string {
  if (parentPath !== undefined && path.startsWith(`${parentPath}!`)) {
    return path.slice(parentPath.length + 1);
  }
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'), path.lastIndexOf('!'));
  return path.slice(cut + 1) || path;
}
