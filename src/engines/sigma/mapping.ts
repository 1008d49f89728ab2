/**
 * Sigma logsource → Windows event sources, read from a mapping file (data, not code:
 * rules/mappings/sigma-windows.yml). A rule runs only on the channels and EventIDs its logsource maps
 * to: matching by field values alone fires process_creation rules on any event that happens to carry
 * an `Image` field, the false positives Chainsaw and Zircolite were reported for.
 */
import { RuleError } from '../../core/index.js';
import type { Logsource, SourceVariant } from './types.js';
import {
  isMap,
  isScalar,
  isSeq,
  parseYamlDocuments,
  type Node,
  type YamlDoc,
} from './yaml-node.js';

export interface CategorySource {
  channels: readonly string[];
  eventIds: readonly number[];
  fields: Readonly<Record<string, string>>;
  values: Readonly<Record<string, Readonly<Record<string, string>>>>;
  available?: ReadonlySet<string>;
  where: Readonly<Record<string, readonly string[]>>;
}

export interface SigmaMapping {
  path: string;
  product: string;
  /** service → channels (as written) */
  services: ReadonlyMap<string, readonly string[]>;
  categories: ReadonlyMap<string, readonly CategorySource[]>;
}

/** YAML nodes of a mapping file, aliases included (an alias bomb in a mapping stops here). */
export const MAX_MAPPING_NODES = 200_000;

function strings(y: YamlDoc, node: Node | null | undefined, what: string): string[] {
  if (node === undefined || node === null) return [];
  const list = isSeq(node) ? node.items.map((x) => y.resolve(x)) : [node];
  return list.map((x) => {
    if (!x || !isScalar(x) || x.value === null)
      throw y.error('E_SIGMA_MAPPING', `${what}: expected text`, x);
    return y.scalarText(x)!;
  });
}

function record(y: YamlDoc, node: Node | null | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (node === undefined || node === null) return out;
  if (!isMap(node)) throw y.error('E_SIGMA_MAPPING', `${what}: expected a map`, node);
  for (const [k, v] of y.entries(node)) out[k] = strings(y, v, `${what}.${k}`)[0] ?? '';
  return out;
}

/** Parses the mapping file; throws RuleError (E_SIGMA_MAPPING / E_SIGMA_YAML) with the position. */
export function parseSigmaMapping(
  text: string,
  path: string,
  maxNodes = MAX_MAPPING_NODES,
): SigmaMapping {
  const { docs, errors } = parseYamlDocuments(path, text, maxNodes);
  if (errors[0]) throw errors[0];
  const y = docs[0];
  const root = y?.resolve(y.doc.contents);
  if (!y || !root || !isMap(root))
    throw new RuleError('E_SIGMA_MAPPING', 'mapping file must be a YAML map', {
      span: { file: path, line: 1, col: 1 },
    });
  const product = strings(y, y.get(root, 'product'), 'product')[0] ?? 'windows';
  const services = new Map<string, string[]>();
  const svc = y.get(root, 'services');
  if (svc) {
    if (!isMap(svc))
      throw y.error('E_SIGMA_MAPPING', 'services: expected a map of service → channels', svc);
    for (const [name, v] of y.entries(svc)) services.set(name, strings(y, v, `services.${name}`));
  }
  const categories = new Map<string, CategorySource[]>();
  const cats = y.get(root, 'categories');
  if (cats) {
    if (!isMap(cats)) throw y.error('E_SIGMA_MAPPING', 'categories: expected a map', cats);
    for (const [name, v] of y.entries(cats)) {
      if (!v || !isSeq(v))
        throw y.error('E_SIGMA_MAPPING', `categories.${name}: expected a list of sources`, v);
      categories.set(
        name,
        v.items.map((item) => categorySource(y, y.resolve(item), `categories.${name}`, services)),
      );
    }
  }
  return { path, product, services, categories };
}

function categorySource(
  y: YamlDoc,
  node: Node | null,
  what: string,
  services: Map<string, string[]>,
): CategorySource {
  if (!node || !isMap(node))
    throw y.error(
      'E_SIGMA_MAPPING',
      `${what}: each source is a map (channel/service, eventIds, fields…)`,
      node,
    );
  const service = strings(y, y.get(node, 'service'), `${what}.service`)[0];
  const channels = [...strings(y, y.get(node, 'channel'), `${what}.channel`)];
  if (service !== undefined) {
    const mapped = services.get(service);
    if (!mapped)
      throw y.error(
        'E_SIGMA_MAPPING',
        `${what}: unknown service '${service}' (define it under services)`,
        node,
      );
    channels.push(...mapped);
  }
  if (channels.length === 0)
    throw y.error('E_SIGMA_MAPPING', `${what}: a source needs a channel or a service`, node);
  const eventIds = strings(y, y.get(node, 'eventIds'), `${what}.eventIds`).map((t) => {
    const n = Number(t);
    if (!Number.isInteger(n))
      throw y.error('E_SIGMA_MAPPING', `${what}.eventIds: '${t}' is not an integer`, node);
    return n;
  });
  const values: Record<string, Record<string, string>> = {};
  const valuesNode = y.get(node, 'values');
  if (valuesNode && isMap(valuesNode)) {
    for (const [field, table] of y.entries(valuesNode)) {
      const t = record(y, table, `${what}.values.${field}`);
      values[field] = Object.fromEntries(Object.entries(t).map(([k, v]) => [k.toLowerCase(), v]));
    }
  }
  const where: Record<string, string[]> = {};
  const whereNode = y.get(node, 'where');
  if (whereNode && isMap(whereNode))
    for (const [f, v] of y.entries(whereNode)) where[f] = strings(y, v, `${what}.where.${f}`);
  const availableNode = y.get(node, 'available');
  const fields = record(y, y.get(node, 'fields'), `${what}.fields`);
  return {
    channels,
    eventIds,
    fields,
    values,
    where,
    ...(availableNode
      ? {
          available: new Set([
            ...strings(y, availableNode, `${what}.available`),
            ...Object.keys(fields),
          ]),
        }
      : {}),
  };
}

/**
 * The sources a logsource runs on, or a reason it cannot run. Category and service together narrow
 * the category's sources to the service's channels.
 */
export function resolveLogsource(ls: Logsource, mapping: SigmaMapping): SourceVariant[] | string {
  if (ls.product !== undefined && ls.product !== mapping.product)
    return `product '${ls.product}' is not handled (this engine hunts in ${mapping.product} event logs)`;
  let serviceChannels: readonly string[] | undefined;
  if (ls.service !== undefined) {
    serviceChannels = mapping.services.get(ls.service);
    if (!serviceChannels) return `service '${ls.service}' has no channel in ${mapping.path}`;
  }
  const plain = { fields: {}, values: {}, where: {} };
  if (ls.category === undefined) {
    if (ls.product === undefined && ls.service === undefined)
      return 'logsource names no product, category or service';
    const channels = serviceChannels ?? [];
    return [
      {
        ...plain,
        label: channels.length ? channels.join(',') : 'any channel',
        channels: channels.map((c) => c.toLowerCase()),
        eventIds: [],
      },
    ];
  }
  const sources = mapping.categories.get(ls.category);
  if (!sources) return `category '${ls.category}' has no Windows event source in ${mapping.path}`;
  const out: SourceVariant[] = [];
  for (const s of sources) {
    const channels = serviceChannels
      ? s.channels.filter((c) => serviceChannels.some((x) => x.toLowerCase() === c.toLowerCase()))
      : s.channels;
    if (channels.length === 0) continue;
    out.push({
      label: `${channels.join(',')}${s.eventIds.length ? `:${s.eventIds.join(',')}` : ''}`,
      channels: channels.map((c) => c.toLowerCase()),
      eventIds: s.eventIds,
      fields: s.fields,
      values: s.values,
      where: s.where,
      ...(s.available ? { available: s.available } : {}),
    });
  }
  if (out.length === 0)
    return `category '${ls.category}' and service '${ls.service}' share no channel in ${mapping.path}`;
  return out;
}
