import type { WinlogMapping } from './types.js';

type Obj = Record<string, unknown>;

export const EVENT_XMLNS = 'http://schemas.microsoft.com/win/2004/08/events/event';
/** The order of System children in Windows' own XML, which evtx-rs keeps. */
const SYSTEM_ORDER = [
  'Provider',
  'EventID',
  'Version',
  'Level',
  'Task',
  'Opcode',
  'Keywords',
  'TimeCreated',
  'EventRecordID',
  'Correlation',
  'Execution',
  'Channel',
  'Computer',
  'Security',
];

export function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sets a key without letting a hostile "__proto__" key replace the object's prototype. */
export function put(object: Obj, key: string, value: unknown): void {
  // SECURITY: keys come from the log; "__proto__" must stay an ordinary own property.
  if (key === '__proto__') {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    object[key] = value;
  }
}

/**
 * A dotted path looked up through nested objects and flattened keys alike ("winlog.event_id" as one key,
 * or winlog → event_id), longest key first.
 */
export function lookup(object: unknown, path: string[], from = 0): unknown {
  if (from === path.length) return object;
  if (!isObject(object)) return undefined;
  for (let to = path.length; to > from; to--) {
    const key = to - from === 1 ? (path[from] as string) : path.slice(from, to).join('.');
    if (!Object.hasOwn(object, key)) continue;
    const found = lookup(object[key], path, to);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Sets `path` under `root`, creating objects on the way; an existing value is kept (first source wins). */
export function setPath(root: Obj, path: string[], value: unknown): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    let next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (!isObject(next)) {
      if (next !== undefined && next !== null) return; // a value already sits where an object is needed
      next = {};
      put(node, key, next);
    }
    node = next as Obj;
  }
  const last = path[path.length - 1] as string;
  if (!Object.hasOwn(node, last)) put(node, last, value);
}

function getPath(root: Obj, path: string[]): unknown {
  let node: unknown = root;
  for (const key of path) node = isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
  return node;
}

function replacePath(root: Obj, path: string[], value: unknown): void {
  const parent = getPath(root, path.slice(0, -1));
  if (isObject(parent)) put(parent, path[path.length - 1] as string, value);
}

/** A signed or unsigned 64-bit integer (number, decimal or hex text) as Windows prints it: `0x8020000000000000`. */
export function toHex64(value: unknown): unknown {
  try {
    if (typeof value === 'number' && Number.isInteger(value)) {
      return `0x${BigInt.asUintN(64, BigInt(value)).toString(16)}`;
    }
    if (typeof value === 'string' && /^-?(\d+|0x[0-9a-f]+)$/i.test(value.trim())) {
      const text = value.trim();
      const big = text.startsWith('-') ? -BigInt(text.slice(1)) : BigInt(text);
      return `0x${BigInt.asUintN(64, big).toString(16)}`;
    }
  } catch {
    // not an integer after all: keep the value as given
  }
  return value;
}

const ISO_UTC = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/;
const NAIVE = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?$/;

/** A time as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (evtx-rs's form); undefined when it cannot be read. */
export function toSystemTime(value: unknown, offsetMs = 0): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const iso = ISO_UTC.exec(text);
  if (iso && offsetMs === 0) return `${iso[1]}.${(iso[2] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
  const naive = NAIVE.exec(text);
  const ms = naive ? Date.parse(`${naive[1]}T${naive[2]}Z`) : Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  const fraction = (naive?.[3] ?? iso?.[2] ?? '').padEnd(6, '0').slice(0, 6);
  const shifted = new Date(Math.floor(ms / 1000) * 1000 + offsetMs);
  if (Number.isNaN(shifted.getTime())) return undefined;
  return `${shifted.toISOString().slice(0, 19)}.${fraction}Z`;
}

const QUARTER_HOUR = 15 * 60 * 1000;

function zoneOffset(object: Obj, mapping: WinlogMapping): number {
  const time = mapping.time;
  if (!time?.localReceived || !time.utcReceived) return 0;
  const local = NAIVE.exec(String(lookup(object, time.localReceived) ?? ''));
  const utc = Date.parse(String(lookup(object, time.utcReceived) ?? ''));
  if (!local || Number.isNaN(utc)) return 0;
  const naive = Date.parse(`${local[1]}T${local[2]}Z`);
  return Math.round((utc - naive) / QUARTER_HOUR) * QUARTER_HOUR;
}

/** An NXLog or ECS event as `{ Event: … }` in the evtx-rs layout, through its mapping. */
export function convertMapped(object: Obj, mapping: WinlogMapping): Obj {
  const event: Obj = { '#attributes': { xmlns: EVENT_XMLNS }, System: {} };
  const consumed = new Set<string>();
  for (const { from, to } of mapping.fields) {
    const value = lookup(object, from);
    if (value === undefined) continue;
    consumed.add(from[0] as string);
    if (value !== null && value !== '') setPath(event, to, value);
  }
  for (const { from, to } of mapping.spread) {
    const value = lookup(object, from);
    if (!isObject(value)) continue;
    consumed.add(from[0] as string);
    spread(event, to, value, mapping.unnamedData);
  }
  if (mapping.time) {
    const offset = zoneOffset(object, mapping);
    const time = toSystemTime(lookup(object, mapping.time.field), offset);
    if (time)
      replacePath(event, ['System', 'TimeCreated'], { '#attributes': { SystemTime: time } });
  }
  if (mapping.rest) {
    for (const [key, value] of Object.entries(object)) {
      if (consumed.has(key)) continue;
      const marker = mapping.collisions.get(key);
      if (mapping.drop.has(key) && (marker === undefined || !Object.hasOwn(object, marker)))
        continue;
      setPath(event, [...mapping.rest, key], value);
    }
  }
  finish(event, object, mapping);
  return { Event: event };
}

function spread(event: Obj, to: string[], source: Obj, unnamed: RegExp | undefined): void {
  const keys = Object.keys(source);
  const params = unnamed ? keys.filter((k) => unnamed.test(k)) : [];
  if (params.length > 0 && params.length === keys.length) {
    const number = (k: string) => Number(unnamed?.exec(k)?.[1] ?? 0);
    const values = params.sort((a, b) => number(a) - number(b)).map((k) => source[k]);
    setPath(event, [...to, 'Data'], { '#text': values.length === 1 ? values[0] : values });
    return;
  }
  for (const key of keys) setPath(event, [...to, key], source[key]);
}

/** Conversions, numbers, channel names, classic messages, and System in Windows' order. */
function finish(event: Obj, object: Obj, mapping: WinlogMapping): void {
  for (const [target, how] of mapping.convert) {
    const path = target.split('.');
    const value = getPath(event, path);
    if (value !== undefined && how === 'hex64') replacePath(event, path, toHex64(value));
  }
  for (const target of mapping.numbers) {
    const path = target.split('.');
    const value = getPath(event, path);
    if (typeof value === 'string' && /^\d{1,15}$/.test(value))
      replacePath(event, path, Number(value));
  }
  const system = event['System'] as Obj;
  if (typeof system['Channel'] === 'string') {
    const channel = mapping.channels.get(system['Channel'].toLowerCase()) ?? system['Channel'];
    system['Channel'] = channel;
    const message = object['Message'];
    if (mapping.messageAsData.has(channel) && typeof message === 'string') {
      setPath(event, ['EventData', 'Data'], { '#text': message });
    }
  }
  event['System'] = orderSystem(system);
  // EventData/UserData after System, as in Windows' XML.
  for (const key of ['EventData', 'UserData']) {
    if (!Object.hasOwn(event, key)) continue;
    const value = event[key];
    delete event[key];
    event[key] = value;
  }
}

export function orderSystem(system: Obj): Obj {
  const ordered: Obj = {};
  for (const key of SYSTEM_ORDER) if (Object.hasOwn(system, key)) ordered[key] = system[key];
  for (const [key, value] of Object.entries(system))
    if (!Object.hasOwn(ordered, key)) put(ordered, key, value);
  return ordered;
}
