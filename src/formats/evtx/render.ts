import { FormatError } from '../../core/index.js';
import {
  EMPTY_VALUES,
  type EvtxValue,
  NestedXml,
  NODE_ELEMENT,
  NODE_INSTANCE,
  NODE_SUBST,
  NODE_TEXT,
  type XAttr,
  type XElement,
  type XNode,
} from './nodes.js';
import type { ResolvedEvtxOptions } from './types.js';

type Json = null | string | number | boolean | JsonObject | Json[];
interface JsonObject {
  [key: string]: Json;
}

/**
 * Renders parsed BinXml with its values into the evtx-rs JSON layout (omerbenamram/evtx, src/binxml/ir_json.rs):
 * - an element with neither child elements nor attributes with text is its text: a number or boolean
 *   when it is one numeric/boolean value, else a string; `null` when empty;
 * - otherwise an object: attributes with text under "#attributes", text under "#text", child elements by
 *   name, repeated names as Name, Name_1, Name_2 …;
 * - `Data` children of EventData/UserData are keyed by their Name attribute ("" when empty); when no
 *   `Data` has a name, they are `"Data": {"#text": value}` or `{"#text": [values…]}` (classic events).
 * Character and entity references are resolved to their characters; processing instructions dropped.
 */
export class Renderer {
  private nodes = 0;
  private depth = 0;
  // Scan results of the last `scan` call (kept here to avoid an allocation per element).
  private hasElements = false;
  private textCount = 0;
  private single: EvtxValue = '';

  constructor(
    private readonly options: ResolvedEvtxOptions,
    private readonly fileOffset: number,
  ) {}

  /** `{ <root name>: value }` for one record's nodes; throws FormatError when there is no element. */
  renderRecord(nodes: XNode[], values: EvtxValue[]): Record<string, unknown> {
    this.nodes = 0;
    this.depth = 0;
    const elements: XElement[] = [];
    const valueSets: EvtxValue[][] = [];
    this.resolve(nodes, values, elements, valueSets, 0);
    const root = elements[0];
    if (!root) throw this.error('E_EVTX_BINXML', 'record holds no element');
    const event: Record<string, unknown> = {};
    put(
      event as JsonObject,
      root.name,
      this.elementValue(root, valueSets[0] as EvtxValue[], false),
    );
    return event;
  }

  private error(code: `E_${string}`, message: string): FormatError {
    return new FormatError(code, message, { offset: this.fileOffset });
  }

  /** Element children of `nodes`, through template instances and nested BinXml values. */
  private resolve(
    nodes: XNode[],
    values: EvtxValue[],
    elements: XElement[],
    valueSets: EvtxValue[][],
    depth: number,
  ): void {
    // SECURITY: templates may instantiate templates; both the chain and the count of elements are bounded.
    if (depth > this.options.maxDepth)
      throw this.error('E_EVTX_TOO_DEEP', 'template instances nest too deep');
    for (const node of nodes) {
      if (node.kind === NODE_ELEMENT) {
        if (++this.nodes > this.options.maxRecordNodes) throw this.tooLarge();
        elements.push(node);
        valueSets.push(values);
      } else if (node.kind === NODE_INSTANCE) {
        this.resolve(node.template.nodes, node.values, elements, valueSets, depth + 1);
      } else if (node.kind === NODE_SUBST) {
        const value = values[node.index];
        if (value instanceof NestedXml)
          this.resolve(value.nodes, EMPTY_VALUES, elements, valueSets, depth + 1);
      }
    }
  }

  private tooLarge(): FormatError {
    return this.error(
      'E_EVTX_RECORD_TOO_LARGE',
      `record expands to more than ${this.options.maxRecordNodes} elements`,
    );
  }

  /** Counts text parts and notes child elements of `children`; see the scan fields. */
  private scan(children: XNode[], values: EvtxValue[]): void {
    let hasElements = false;
    let count = 0;
    let single: EvtxValue = '';
    for (const node of children) {
      if (node.kind === NODE_TEXT) {
        if (node.text !== '') {
          count++;
          single = node.text;
        }
      } else if (node.kind === NODE_SUBST) {
        const value = values[node.index];
        if (value === undefined || value === '') continue;
        if (value instanceof NestedXml) {
          if (value.nodes.length > 0) hasElements = true;
          continue;
        }
        count++;
        single = value;
      } else {
        hasElements = true;
      }
    }
    this.hasElements = hasElements;
    this.textCount = count;
    this.single = single;
  }

  /** The text value of the last scan: one number/boolean stays typed, anything else is joined as text. */
  private textValue(children: XNode[], values: EvtxValue[]): Json {
    if (this.textCount === 1) return this.single as Json;
    let text = '';
    for (const node of children) {
      if (node.kind === NODE_TEXT) text += node.text;
      else if (node.kind === NODE_SUBST) {
        const value = values[node.index];
        if (value !== undefined && !(value instanceof NestedXml)) text += String(value);
      }
    }
    return text;
  }

  private attributeValue(attr: XAttr, values: EvtxValue[]): Json | undefined {
    this.scan(attr.parts, values);
    return this.textCount === 0 ? undefined : this.textValue(attr.parts, values);
  }

  private attributes(element: XElement, values: EvtxValue[]): JsonObject | undefined {
    let result: JsonObject | undefined;
    for (const attr of element.attrs) {
      const value = this.attributeValue(attr, values);
      if (value === undefined) continue;
      result ??= {};
      put(result, attr.name, value);
    }
    return result;
  }

  private elementValue(element: XElement, values: EvtxValue[], isContainer: boolean): Json {
    const attributes = element.attrs.length > 0 ? this.attributes(element, values) : undefined;
    this.scan(element.children, values);
    if (!this.hasElements && attributes === undefined) {
      return this.textCount === 0 ? null : this.textValue(element.children, values);
    }
    return this.body(element, values, attributes, isContainer);
  }

  /** A `Data` element keyed by name: "" when empty, its body when it holds elements, else its text. */
  private dataValue(element: XElement, values: EvtxValue[]): Json {
    this.scan(element.children, values);
    if (this.hasElements) {
      const attributes = this.attributes(element, values); // scans attributes: scan children again
      this.scan(element.children, values);
      return this.body(element, values, attributes, false);
    }
    return this.textCount === 0 ? '' : this.textValue(element.children, values);
  }

  private body(
    element: XElement,
    values: EvtxValue[],
    attributes: JsonObject | undefined,
    isContainer: boolean,
  ): JsonObject {
    const object: JsonObject = {};
    if (attributes !== undefined) object['#attributes'] = attributes;
    if (this.textCount > 0) object['#text'] = this.textValue(element.children, values);
    if (!this.hasElements) return object;
    if (++this.depth > this.options.maxDepth)
      throw this.error('E_EVTX_TOO_DEEP', 'elements nest too deep');
    const elements: XElement[] = [];
    const valueSets: EvtxValue[][] = [];
    this.resolve(element.children, values, elements, valueSets, 0);
    let isNamed = false;
    let positional: Json[] | undefined;
    if (isContainer) {
      for (let i = 0; i < elements.length && !isNamed; i++) {
        const child = elements[i] as XElement;
        isNamed = child.isData && this.dataName(child, valueSets[i] as EvtxValue[]) !== '';
      }
    }
    for (let i = 0; i < elements.length; i++) {
      const child = elements[i] as XElement;
      const childValues = valueSets[i] as EvtxValue[];
      if (isContainer && child.isData) {
        if (isNamed) {
          const name = this.dataName(child, childValues);
          if (name !== '') putUnique(object, name, this.dataValue(child, childValues));
        } else if (positional === undefined) {
          positional = [this.dataValue(child, childValues)];
          putUnique(object, 'Data', { '#text': positional });
        } else {
          positional.push(this.dataValue(child, childValues));
        }
        continue;
      }
      putUnique(object, child.name, this.elementValue(child, childValues, child.isContainer));
    }
    // One unnamed Data is its value; several are an array (evtx-rs).
    if (positional?.length === 1) (object['Data'] as JsonObject)['#text'] = positional[0] as Json;
    this.depth--;
    return object;
  }

  private dataName(element: XElement, values: EvtxValue[]): string {
    if (!element.nameAttr) return '';
    const value = this.attributeValue(element.nameAttr, values);
    return value === undefined || value === null ? '' : String(value);
  }
}

/** Sets a key, keeping a hostile "__proto__" name an ordinary own property. */
function put(object: JsonObject, key: string, value: Json): void {
  // SECURITY: names come from the file; assigning "__proto__" would replace the object's prototype.
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

/** Repeated names become Name, Name_1, Name_2 … in order (evtx-rs). */
function putUnique(object: JsonObject, key: string, value: Json): void {
  if (!Object.hasOwn(object, key)) return put(object, key, value);
  let n = 1;
  while (Object.hasOwn(object, `${key}_${n}`)) n++;
  put(object, `${key}_${n}`, value);
}
