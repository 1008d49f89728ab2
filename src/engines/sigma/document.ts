/**
 * The `find(field)` seam between rules and events (chainsaw/tau-engine's Document): rules name fields,
 * the document resolves them in an event of the evtx-rs JSON layout
 * `{"Event":{"System":{…},"EventData":{…}}}` (or `UserData`), as Chainsaw, Hayabusa and SigmaHQ's test
 * data use. Resolution order, following the Sigma rules specification ("Field Usage", clause 3):
 *   1. `EventID`, `Channel`, `Provider_Name`, `Provider_Guid`, `EventRecordID`, `TimeCreated_SystemTime`
 *      always come from System (an EventData field of the same name cannot spoof them);
 *   2. EventData by `Name` (named `<Data>` elements);
 *   3. UserData, flattened (the fields of its child elements, at any depth, first one wins);
 *   4. System: `Computer`, `Level`, … and `<Element>_<Attribute>` (`Execution_ProcessID`, `Security_UserID`);
 *   5. a dotted path from the Event root (`EventData.Foo`, `System.Provider.#attributes.Name`).
 * Values are lists of strings (multi-valued: unnamed `<Data>` elements of classic PowerShell events),
 * `null` for a present but empty field, `undefined` for an absent one. Everything is computed lazily
 * and cached per event, lower-cased copies included, so many rules reading `CommandLine` pay once.
 */

import { POWERSHELL_NORMALIZED_FIELD, powerShellNormalized } from './powershell-field.js';

export type FieldValues = readonly string[] | null | undefined;

type Json = Record<string, unknown>;

/** Fields every Windows event has in System, whatever its source. */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set([
  'EventID',
  'Channel',
  'Computer',
  'Provider_Name',
  'Provider_Guid',
  'EventRecordID',
  'TimeCreated_SystemTime',
  'Level',
  'Task',
  'Opcode',
  'Keywords',
  'Version',
  'Execution_ProcessID',
  'Execution_ThreadID',
  'Security_UserID',
  'Correlation_ActivityID',
]);

const SYSTEM_FIRST = new Set([
  'EventID',
  'Channel',
  'Provider_Name',
  'Provider_Guid',
  'EventRecordID',
  'TimeCreated_SystemTime',
]);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON value as field values: scalars as text, `#text` unwrapped, arrays and objects flattened. */
export function toFieldValues(v: unknown): FieldValues {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v === 'string') return [v];
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return [String(v)];
  const out: string[] = [];
  collectLeaves(v, out, 0);
  return out.length > 0 ? out : null;
}

/** JSON nesting read below an event's fields. // SECURITY: a hostile deep object cannot exhaust the stack. */
export const MAX_DEPTH = 32;

function collectLeaves(v: unknown, out: string[], depth: number): void {
  if (v === null || v === undefined || depth > MAX_DEPTH) return;
  if (typeof v === 'string') out.push(v);
  else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    out.push(String(v));
  else if (Array.isArray(v)) for (const x of v) collectLeaves(x, out, depth + 1);
  else if (isObject(v)) {
    if ('#text' in v) collectLeaves(v['#text'], out, depth + 1);
    else
      for (const [k, x] of Object.entries(v))
        if (k !== '#attributes') collectLeaves(x, out, depth + 1);
  }
}

function lowerAll(values: FieldValues): FieldValues {
  if (!values) return values;
  if (values.length === 1) {
    const l = values[0]!.toLowerCase();
    return l === values[0] ? values : [l];
  }
  return values.map((s) => s.toLowerCase());
}

export class EventDocument {
  readonly event: Json;
  private readonly system: Json;
  private readonly eventData: Json | undefined;
  private readonly userData: unknown;
  private userFlat: Map<string, unknown> | undefined;
  private readonly raw = new Map<string, FieldValues>();
  private readonly lower = new Map<string, FieldValues>();
  private keywordCache: string[] | undefined;
  private keywordRaw: string[] | undefined;
  private haystackCache: string[] | undefined;

  /** `data` is the evtx-rs object `{Event: {System, EventData | UserData}}`; a bare Event is accepted too. */
  constructor(data: Json) {
    const event = isObject(data.Event) ? data.Event : data;
    this.event = event;
    this.system = isObject(event.System) ? event.System : {};
    this.eventData = normalizeEventData(event.EventData);
    this.userData = event.UserData;
  }

  /** The channel, lower-cased (OTRF and some forwarders lower-case channel names). */
  channel(): string {
    const c = this.system.Channel;
    return typeof c === 'string' ? c.toLowerCase() : '';
  }

  eventId(): number | undefined {
    let id = this.system.EventID;
    if (isObject(id)) id = id['#text'];
    const n = typeof id === 'number' ? id : typeof id === 'string' ? Number(id) : NaN;
    return Number.isInteger(n) ? n : undefined;
  }

  /** ISO time from `System/TimeCreated/@SystemTime`, when present. */
  systemTime(): string | undefined {
    const t = this.find('TimeCreated_SystemTime');
    return t?.[0];
  }

  find(field: string): FieldValues {
    if (this.raw.has(field)) return this.raw.get(field);
    const v = this.resolve(field);
    this.raw.set(field, v);
    return v;
  }

  /** `find` lower-cased, for the case-insensitive default of Sigma. */
  findLower(field: string): FieldValues {
    if (this.lower.has(field)) return this.lower.get(field);
    const v = lowerAll(this.find(field));
    this.lower.set(field, v);
    return v;
  }

  has(field: string): boolean {
    return this.find(field) !== undefined;
  }

  /** Values of EventData and UserData (lower-cased unless `cased`): what a keyword search looks through. */
  keywordValues(cased = false): readonly string[] {
    if (!this.keywordRaw) {
      const out: string[] = [];
      const data = this.eventData;
      // EventData values are nearly always strings: a flat loop, collectLeaves only for the rest
      if (data) {
        for (const key in data) {
          const v = data[key];
          if (typeof v === 'string') out.push(v);
          else if (key !== '#attributes') collectLeaves(v, out, 1);
        }
      }
      if (this.userData !== undefined) collectLeaves(this.userData, out, 0);
      this.keywordRaw = out;
    }
    if (cased) return this.keywordRaw;
    return (this.keywordCache ??= this.keywordRaw.map((s) => s.toLowerCase()));
  }

  /**
   * Lower-cased values of the whole event, System included: every string `find` can return is one of
   * these, which is what makes the literal prefilter sound.
   */
  haystack(): readonly string[] {
    if (!this.haystackCache) {
      const out: string[] = [];
      collectLeaves(this.event, out, 0);
      for (const v of attributeLeaves(this.event)) out.push(v);
      this.haystackCache = out.map((s) => s.toLowerCase());
    }
    return this.haystackCache;
  }

  /**
   * The prefilter's input, in its original case (the automaton folds case): every value of EventData
   * and UserData plus `systemFields`, which must list every field the rules read that can resolve
   * outside EventData/UserData (see `mayResolveToSystem`).
   */
  haystackFor(systemFields: readonly string[]): readonly string[] {
    const values = this.keywordValues(true);
    if (systemFields.length === 0) return values;
    const out = values.slice();
    for (const f of systemFields) {
      const v = this.find(f);
      if (v) for (const s of v) out.push(s);
    }
    return out;
  }

  private resolve(field: string): FieldValues {
    if (SYSTEM_FIRST.has(field)) return this.fromSystem(field);
    // Derived, never read from the event: an EventData field of that name cannot spoof it.
    if (field === POWERSHELL_NORMALIZED_FIELD)
      return powerShellNormalized(this.channel(), this.eventId(), (f) => this.find(f));
    if (this.eventData && Object.hasOwn(this.eventData, field))
      return toFieldValues(this.eventData[field]);
    if (this.userData !== undefined) {
      const flat = (this.userFlat ??= flattenUserData(this.userData));
      if (flat.has(field)) return toFieldValues(flat.get(field));
    }
    const sys = this.fromSystem(field);
    if (sys !== undefined) return sys;
    if (field.includes('.')) return this.fromPath(field);
    return undefined;
  }

  private fromSystem(field: string): FieldValues {
    if (Object.hasOwn(this.system, field)) return toFieldValues(this.system[field]);
    const cut = field.indexOf('_');
    if (cut <= 0) return undefined;
    const element = this.system[field.slice(0, cut)];
    const attrs = isObject(element) ? element['#attributes'] : undefined;
    const name = field.slice(cut + 1);
    return isObject(attrs) && Object.hasOwn(attrs, name) ? toFieldValues(attrs[name]) : undefined;
  }

  private fromPath(field: string): FieldValues {
    let v: unknown = this.event;
    const steps = field.split('.');
    if (steps[0] === 'Event') steps.shift();
    for (const s of steps) {
      if (!isObject(v) || !Object.hasOwn(v, s)) return undefined;
      v = v[s];
    }
    return toFieldValues(v);
  }
}

/**
 * Whether `find(field)` can return a value from outside EventData/UserData: the System fields, their
 * `Element_Attribute` forms and dotted paths. Other names resolve to System only if System had a child
 * of that name, and the event schema's System children are all in SYSTEM_FIELDS or are elements.
 */
export function mayResolveToSystem(field: string): boolean {
  return (
    // Derived text is not in EventData either: the prefilter must read it like a System field.
    field === POWERSHELL_NORMALIZED_FIELD ||
    SYSTEM_FIELDS.has(field) ||
    field.includes('_') ||
    field.includes('.') ||
    SYSTEM_ELEMENTS.has(field)
  );
}

const SYSTEM_ELEMENTS = new Set([
  'Provider',
  'TimeCreated',
  'Correlation',
  'Execution',
  'Security',
  'System',
]);

/** Attribute values (`Provider/@Name`, `TimeCreated/@SystemTime`): collectLeaves skips `#attributes`. */
function attributeLeaves(event: Json): string[] {
  const out: string[] = [];
  const walk = (v: unknown, depth: number) => {
    if (!isObject(v) || depth > MAX_DEPTH) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === '#attributes') collectLeaves(x, out, 0);
      else if (isObject(x)) walk(x, depth + 1);
    }
  };
  walk(event.System, 0);
  return out;
}

/** Some writers keep `<Data Name="x">` as `{"Data":[{"#attributes":{"Name":"x"},"#text":"…"}]}`. */
function normalizeEventData(v: unknown): Json | undefined {
  if (!isObject(v)) return undefined;
  const data = v.Data;
  if (!Array.isArray(data) || !data.every((d) => isObject(d) && isObject(d['#attributes'])))
    return v;
  const out: Json = {};
  for (const d of data as Json[]) {
    const name = (d['#attributes'] as Json).Name;
    if (typeof name === 'string' && !Object.hasOwn(out, name)) out[name] = d['#text'] ?? null;
  }
  return out;
}

function flattenUserData(v: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (x: unknown, depth: number) => {
    if (!isObject(x) || depth > MAX_DEPTH) return;
    for (const [k, child] of Object.entries(x)) {
      if (k === '#attributes' || k === '#text') continue;
      if (isObject(child) && !('#text' in child)) walk(child, depth + 1);
      else if (!out.has(k)) out.set(k, child);
    }
  };
  walk(v, 0);
  return out;
}
