import { FormatError } from '../../core/index.js';
import { isObject, orderSystem, put } from './convert.js';

/**
 * Windows event XML (as Sysmon for Linux writes it to syslog, or as `wevtutil qe /f:xml` prints it)
 * into the evtx-rs layout. A small XML reader for that vocabulary: elements, attributes, text, CDATA,
 * the five predefined entities and character references. Comments, declarations and processing
 * instructions are skipped; DTDs are refused (no entity expansion, no external references).
 */

interface XmlElement {
  name: string;
  attrs: [string, string][];
  children: (XmlElement | string)[];
}

type Obj = Record<string, unknown>;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NAME = /[^\s/>=]+/y;
const ATTRIBUTE = /\s*([^\s/>=]+)\s*=\s*("[^"]*"|'[^']*')/y;
/** System fields that evtx-rs prints as numbers (they are integers in Windows' templates). */
const SYSTEM_NUMBERS = ['EventID', 'Version', 'Level', 'Task', 'Opcode', 'EventRecordID'];

function fail(message: string, at: number): never {
  throw new FormatError('E_WINLOG_BAD_XML', message, { offset: at });
}

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (match, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref] ?? match;
    const code =
      ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}

/** Parses the element starting at `start` (a '<'), iteratively, nesting bounded by `maxDepth`. */
export function parseXml(text: string, start: number, maxDepth: number): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = start;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const top = stack[stack.length - 1];
    if (lt < 0) break;
    if (lt > pos && top) top.children.push(decodeEntities(text.slice(pos, lt)));
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) fail('unterminated comment', lt);
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) fail('unterminated CDATA', lt);
      top?.children.push(text.slice(lt + 9, end));
      pos = end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) fail('unterminated processing instruction', lt);
      pos = end + 2;
    } else if (text.startsWith('<!', lt)) {
      fail('DTDs and declarations are not read', lt); // SECURITY: no entity expansion, ever
    } else if (text[lt + 1] === '/') {
      const gt = text.indexOf('>', lt);
      const name = text.slice(lt + 2, gt < 0 ? undefined : gt).trim();
      if (gt < 0 || !top || top.name !== name) fail(`unexpected </${name}>`, lt);
      stack.pop();
      pos = gt + 1;
      if (stack.length === 0) return top;
    } else {
      NAME.lastIndex = lt + 1;
      const name = NAME.exec(text)?.[0];
      if (!name) fail('element without a name', lt);
      const element: XmlElement = { name, attrs: [], children: [] };
      pos = NAME.lastIndex;
      for (;;) {
        ATTRIBUTE.lastIndex = pos;
        const attr = ATTRIBUTE.exec(text);
        if (!attr) break;
        element.attrs.push([attr[1] as string, decodeEntities((attr[2] as string).slice(1, -1))]);
        pos = ATTRIBUTE.lastIndex;
      }
      const gt = text.indexOf('>', pos);
      if (gt < 0 || text.slice(pos, gt).replace('/', '').trim() !== '')
        fail(`malformed start tag <${name}>`, lt);
      const isEmpty = text[gt - 1] === '/';
      pos = gt + 1;
      if (top) top.children.push(element);
      else root = element;
      if (isEmpty) {
        if (!top) return element;
      } else {
        if (stack.length >= maxDepth) fail(`elements nest deeper than ${maxDepth}`, lt);
        stack.push(element);
      }
    }
  }
  if (root && stack.length === 0) return root;
  return fail('element not closed', start);
}

function isElement(node: XmlElement | string): node is XmlElement {
  return typeof node !== 'string';
}

function valueOf(element: XmlElement, isContainer: boolean): unknown {
  const elements = element.children.filter(isElement);
  const text = element.children.filter((c): c is string => typeof c === 'string').join('');
  const attrs: Obj = {};
  let hasAttrs = false;
  for (const [name, value] of element.attrs) {
    if (value === '') continue;
    put(attrs, name, value);
    hasAttrs = true;
  }
  if (elements.length === 0 && !hasAttrs) return text === '' ? null : text;
  const object: Obj = {};
  if (hasAttrs) object['#attributes'] = attrs;
  // Indentation between child elements is not text.
  if (text !== '' && (elements.length === 0 || text.trim() !== '')) object['#text'] = text;
  const dataName = (e: XmlElement) => e.attrs.find(([n]) => n === 'Name')?.[1] ?? '';
  const isNamed = isContainer && elements.some((e) => e.name === 'Data' && dataName(e) !== '');
  const positional: unknown[] = [];
  for (const child of elements) {
    if (isContainer && child.name === 'Data') {
      const childText = child.children.filter((c): c is string => typeof c === 'string').join('');
      if (!isNamed) positional.push(childText);
      else if (dataName(child) !== '') putUnique(object, dataName(child), childText);
      continue;
    }
    putUnique(
      object,
      child.name,
      valueOf(child, child.name === 'EventData' || child.name === 'UserData'),
    );
  }
  if (positional.length > 0)
    putUnique(object, 'Data', { '#text': positional.length === 1 ? positional[0] : positional });
  return object;
}

function putUnique(object: Obj, key: string, value: unknown): void {
  if (!Object.hasOwn(object, key)) return put(object, key, value);
  let n = 1;
  while (Object.hasOwn(object, `${key}_${n}`)) n++;
  put(object, `${key}_${n}`, value);
}

const toNumber = (value: unknown): unknown =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;

/** `{ Event: … }` from the XML of one event, System integers as numbers (as evtx-rs prints them). */
export function eventXmlToJson(text: string, start: number, maxDepth: number): Obj {
  const root = parseXml(text, start, maxDepth);
  const event: Obj = {};
  put(event, root.name, valueOf(root, false));
  const system = isObject(event['Event']) ? event['Event']['System'] : undefined;
  if (isObject(system)) {
    for (const key of SYSTEM_NUMBERS) {
      const value = system[key];
      if (isObject(value) && '#text' in value) value['#text'] = toNumber(value['#text']);
      else if (value !== undefined) system[key] = toNumber(value);
    }
    const execution = isObject(system['Execution'])
      ? system['Execution']['#attributes']
      : undefined;
    if (isObject(execution))
      for (const key of ['ProcessID', 'ThreadID'])
        if (key in execution) execution[key] = toNumber(execution[key]);
    (event['Event'] as Obj)['System'] = orderSystem(system);
  }
  return event;
}
