/**
 * The evtx-rs JSON layout turned back into a BinXml template and its values, for the EVTX builder: keys
 * are elements, "#attributes" attributes, "#text" text, keys of EventData `<Data Name="…">`, an EventData
 * "Data": {"#text": […]} unnamed `<Data>` elements, and a key "X_1" a second element named X.
 * Every leaf is a substitution whose type comes from `types` (by dotted path) or from its JS type.
 */
import type { ContentSpec, ElementSpec, EvtxValueType, TypedValue } from './evtx-binxml.js';

type Types = Record<string, EvtxValueType | 'literal'>;

function inferType(value: unknown): EvtxValueType {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'real64';
    if (value >= 0) return value <= 0xffffffff ? 'uint32' : 'uint64';
    return value >= -0x80000000 ? 'int32' : 'int64';
  }
  return 'string';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** "Header_2" is a repeat of "Header" when the object also has "Header". */
function baseName(key: string, object: Record<string, unknown>): string {
  const match = /^(.+)_\d+$/.exec(key);
  return match && match[1] !== undefined && Object.hasOwn(object, match[1]) ? match[1] : key;
}

class TemplateBuilder {
  readonly values: TypedValue[] = [];

  constructor(private readonly types: Types) {}

  leaf(value: unknown, path: string): ContentSpec {
    const type = this.types[path] ?? inferType(value);
    if (type === 'literal') return { text: String(value) };
    this.values.push({ type, value });
    return { sub: this.values.length - 1, type };
  }

  element(name: string, value: unknown, path: string): ElementSpec {
    if (value === null) return { el: name };
    if (this.types[path] === 'binxml' && isObject(value)) {
      // The children of this element are one nested BinXml value (text only inside).
      const nested = Object.entries(value).map(([k, v]) => literalElement(k, v));
      this.values.push({ type: 'binxml', value: nested });
      return { el: name, children: [{ sub: this.values.length - 1, type: 'binxml' }] };
    }
    if (!isObject(value)) return { el: name, children: [this.leaf(value, path)] };
    const spec: ElementSpec = { el: name };
    const attrs = value['#attributes'];
    if (isObject(attrs)) {
      spec.attrs = {};
      for (const [k, v] of Object.entries(attrs)) {
        spec.attrs[k] = [this.leaf(v, `${path}.#attributes.${k}`)];
      }
    }
    const children: ContentSpec[] = [];
    if ('#text' in value) children.push(this.leaf(value['#text'], `${path}.#text`));
    const isEventData = name === 'EventData';
    for (const [key, child] of Object.entries(value)) {
      if (key === '#attributes' || key === '#text') continue;
      const childPath = `${path}.${key}`;
      const base = baseName(key, value);
      if (
        (isEventData || name === 'UserData') &&
        key === 'Data' &&
        isObject(child) &&
        '#text' in child
      ) {
        const items = Array.isArray(child['#text']) ? child['#text'] : [child['#text']];
        items.forEach((item, i) => {
          const leafPath = Array.isArray(child['#text'])
            ? `${childPath}.#text.${i}`
            : `${childPath}.#text`;
          children.push({ el: 'Data', children: [this.leaf(item, leafPath)] });
        });
      } else if (isEventData && key !== 'Binary' && !isObject(child)) {
        children.push({
          el: 'Data',
          attrs: { Name: [{ text: base }] },
          children: [this.leaf(child, childPath)],
        });
      } else {
        children.push(this.element(base, child, childPath));
      }
    }
    if (children.length > 0) spec.children = children;
    return spec;
  }
}

function literalElement(name: string, value: unknown): ElementSpec {
  if (value === null) return { el: name };
  if (!isObject(value)) return { el: name, children: [{ text: String(value) }] };
  const spec: ElementSpec = { el: name };
  const attrs = value['#attributes'];
  if (isObject(attrs)) {
    spec.attrs = Object.fromEntries(
      Object.entries(attrs).map(([k, v]) => [k, [{ text: String(v) }]]),
    );
  }
  const children: ContentSpec[] = [];
  if ('#text' in value) children.push({ text: String(value['#text']) });
  for (const [k, v] of Object.entries(value)) {
    if (k !== '#attributes' && k !== '#text') children.push(literalElement(baseName(k, value), v));
  }
  if (children.length > 0) spec.children = children;
  return spec;
}

/** A record's event (`{Event: …}`) as a template plus the values of its substitutions. */
export function eventToTemplate(
  event: Record<string, unknown>,
  types: Types,
): { template: ElementSpec; values: TypedValue[] } {
  const [rootName, rootValue] = Object.entries(event)[0] ?? ['Event', null];
  const builder = new TemplateBuilder({ [`${rootName}.#attributes.xmlns`]: 'literal', ...types });
  const template = builder.element(rootName, rootValue, rootName);
  return { template, values: builder.values };
}
