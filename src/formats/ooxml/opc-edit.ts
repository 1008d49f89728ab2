import { decodeXmlEntities } from './xml-scan.js';
import {
  applyXmlEdits,
  attributesOf,
  namespaceOf,
  setAttributeEdit,
  setTagAttribute,
  walkXmlElements,
  type XmlEdit,
  type XmlElement,
  type XmlWalkLimits,
  type XmlWalkResult,
} from './xml-walk.js';
import { escapeXml } from './write.js';

/**
 * Edits of the OPC XML parts (ECMA-376 Part 2): relationships (§9.3), content types (§10.1.2) and the
 * markup that refers to relationships by id (`r:id`, `r:embed`, VML `o:relid`). Each edit re-walks
 * the part and changes only the characters of the elements concerned.
 */

export const RELATIONSHIPS_NAMESPACES: readonly string[] = [
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  'http://purl.oclc.org/ooxml/officeDocument/relationships', // Strict (ISO 29500)
];
const VML_OFFICE_NAMESPACE = 'urn:schemas-microsoft-com:office:office';

export type XmlEditResult =
  { ok: true; xml: string; count: number } | { ok: false; reason: string };

function finish(xml: string, walked: XmlWalkResult, edits: XmlEdit[]): XmlEditResult {
  if (!walked.ok) return walked;
  return {
    ok: true,
    xml: edits.length === 0 ? xml : applyXmlEdits(xml, edits),
    count: edits.length,
  };
}

export interface RelationshipChanges {
  /** Ids of relationships to drop. */
  remove: ReadonlySet<string>;
  /** Id → new Type and Target (a part converted to another kind, or renamed). */
  retarget?: ReadonlyMap<string, { type: string; target: string }>;
  /** Relationships to append. */
  add?: readonly { id: string; type: string; target: string }[];
}

/**
 * Walks a part, letting `visit` mark elements to cut out (`removed`) or rewrite (`edits`), then cuts
 * them and appends `added` to the root's children.
 */
function editPart(
  xml: string,
  limits: XmlWalkLimits,
  visit: (el: XmlElement, removed: XmlElement[], edits: XmlEdit[]) => void,
  added: string,
): XmlEditResult {
  const removed: XmlElement[] = [];
  const edits: XmlEdit[] = [];
  let root: XmlElement | undefined;
  const walked = walkXmlElements(
    xml,
    {
      open(el, ancestors) {
        if (ancestors.length === 0) root = el;
        visit(el, removed, edits);
      },
    },
    limits,
  );
  if (!walked.ok) return walked;
  for (const el of removed) edits.push({ start: el.start, end: el.end, replacement: '' });
  if (added !== '') {
    const insert = appendPoint(xml, root);
    if (insert.replacement === undefined) edits.push({ ...insert, replacement: added });
    else edits.push({ ...insert, replacement: insert.replacement.replace('\u0000', () => added) });
  }
  return finish(xml, walked, edits);
}

/** Rewrites a .rels part. */
export function editRelationships(
  xml: string,
  changes: RelationshipChanges,
  limits: XmlWalkLimits,
): XmlEditResult {
  const added = (changes.add ?? [])
    .map(
      (r) =>
        `<Relationship Id="${escapeXml(r.id)}" Type="${escapeXml(r.type)}" Target="${escapeXml(r.target)}"/>`,
    )
    .join('');
  return editPart(
    xml,
    limits,
    (el, removed, edits) => {
      if (el.local !== 'Relationship') return;
      const id = decodeXmlEntities(attributesOf(el).get('Id') ?? '');
      const to = changes.retarget?.get(id);
      if (changes.remove.has(id)) removed.push(el);
      else if (to) {
        const tag = setTagAttribute(xml.slice(el.start, el.openEnd), 'Type', escapeXml(to.type));
        const replacement = setTagAttribute(tag, 'Target', escapeXml(to.target));
        edits.push({ start: el.start, end: el.openEnd, replacement });
      }
    },
    added,
  );
}

/** Where children are appended to the root: before its end tag, or by expanding `<root/>`. */
function appendPoint(
  xml: string,
  root: XmlElement | undefined,
): { start: number; end: number; replacement?: string } {
  if (!root) return { start: xml.length, end: xml.length };
  if (!root.isSelfClosing) {
    const at = xml.lastIndexOf('</', root.end);
    return { start: at, end: at };
  }
  const tag = xml.slice(root.start, root.openEnd).replace(/\s*\/>$/, '>');
  return { start: root.start, end: root.openEnd, replacement: `${tag}\u0000</${root.qname}>` };
}

export interface ContentTypeChanges {
  /** Lower-cased part names (no leading `/`) whose Override goes. */
  removeOverrides: ReadonlySet<string>;
  /** Defaults whose content type this returns true for go. */
  removeDefault?: (contentType: string) => boolean;
  /** Lower-cased part name → new content type of its Override. */
  setOverride?: ReadonlyMap<string, string>;
  /** Overrides to append (part name without `/` → content type). */
  addOverrides?: ReadonlyMap<string, string>;
}

/** Rewrites [Content_Types].xml. */
export function editContentTypes(
  xml: string,
  changes: ContentTypeChanges,
  limits: XmlWalkLimits,
): XmlEditResult {
  const added = [...(changes.addOverrides ?? new Map<string, string>())]
    .map(
      ([part, type]) =>
        `<Override PartName="/${escapeXml(part)}" ContentType="${escapeXml(type)}"/>`,
    )
    .join('');
  return editPart(
    xml,
    limits,
    (el, removed, edits) => {
      const attributes = attributesOf(el);
      if (el.local === 'Override') {
        const part = decodeXmlEntities(attributes.get('PartName') ?? '')
          .replace(/^\//, '')
          .toLowerCase();
        const type = changes.setOverride?.get(part);
        if (changes.removeOverrides.has(part)) removed.push(el);
        else if (type !== undefined)
          edits.push(setAttributeEdit(xml, el, 'ContentType', escapeXml(type)));
      } else if (el.local === 'Default') {
        const type = decodeXmlEntities(attributes.get('ContentType') ?? '');
        if (changes.removeDefault?.(type)) removed.push(el);
      }
    },
    added,
  );
}

export interface ElementRemovalPlan {
  /** Relationship ids of this part that were removed: elements referring to them go. */
  removedIds: ReadonlySet<string>;
  /** Local names of elements removed wherever they are (`OLEObject`, `control` …). */
  activeElements: ReadonlySet<string>;
  /**
   * Local names of wrappers: an element to remove takes its nearest wrapper ancestor with it
   * (`w:object` around `o:OLEObject`, `p:graphicFrame` around `p:oleObj`), so the markup stays valid.
   */
  wrappers: ReadonlySet<string>;
}

/** Whether `el` carries a relationship reference (r:*, o:relid) to one of `ids`. */
function refersTo(
  el: XmlElement,
  ancestors: readonly XmlElement[],
  ids: ReadonlySet<string>,
): boolean {
  if (ids.size === 0 || !el.attributes.includes(':')) return false;
  for (const [qname, raw] of attributesOf(el)) {
    const colon = qname.indexOf(':');
    if (colon === -1 || qname.startsWith('xmlns')) continue;
    if (!ids.has(decodeXmlEntities(raw))) continue;
    const namespace = namespaceOf(qname.slice(0, colon), el, ancestors);
    if (namespace === undefined) continue;
    if (RELATIONSHIPS_NAMESPACES.includes(namespace)) return true;
    if (namespace === VML_OFFICE_NAMESPACE && qname.slice(colon + 1) === 'relid') return true;
  }
  return false;
}

/**
 * Removes active elements and elements that refer to removed relationships, each with its nearest
 * wrapper. Returns the new part text and how many elements were cut out.
 */
export function removeReferencingElements(
  xml: string,
  plan: ElementRemovalPlan,
  limits: XmlWalkLimits,
): XmlEditResult {
  const marked = new Set<XmlElement>();
  const walked = walkXmlElements(
    xml,
    {
      open(el, ancestors) {
        if (!plan.activeElements.has(el.local) && !refersTo(el, ancestors, plan.removedIds)) return;
        let target = el;
        for (let i = ancestors.length - 1; i >= 0; i--) {
          if (plan.wrappers.has(ancestors[i]!.local)) {
            target = ancestors[i]!;
            break;
          }
        }
        marked.add(target);
      },
    },
    limits,
  );
  // Ends are known once the walk is over (the element objects were completed at their close).
  const edits = [...marked].map((el) => ({ start: el.start, end: el.end, replacement: '' }));
  return finish(xml, walked, edits);
}

/**
 * Removes elements of the given local names that are left with no child element (an empty
 * `<externalReferences>` or `<oleObjects>` breaks the schema's minOccurs="1" and Excel's loader).
 */
export function pruneEmptyElements(
  xml: string,
  localNames: ReadonlySet<string>,
  limits: XmlWalkLimits,
): XmlEditResult {
  const children = new Map<XmlElement, number>();
  const empty: XmlElement[] = [];
  const walked = walkXmlElements(
    xml,
    {
      open(el, ancestors) {
        const parent = ancestors[ancestors.length - 1];
        if (parent && children.has(parent)) children.set(parent, children.get(parent)! + 1);
        if (localNames.has(el.local)) children.set(el, 0);
      },
      close(el) {
        if (children.get(el) === 0) empty.push(el);
        children.delete(el);
      },
    },
    limits,
  );
  const edits = empty.map((el) => ({ start: el.start, end: el.end, replacement: '' }));
  return finish(xml, walked, edits);
}

/** Walks a part only to check that it can be rewritten (well-formed as `walkXmlElements` checks it). */
export function checkXml(xml: string, limits: XmlWalkLimits): XmlWalkResult {
  return walkXmlElements(xml, {}, limits);
}
