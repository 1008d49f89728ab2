import type { Anomaly } from '../../core/index.js';
import { scanElements } from './xml-scan.js';

/** One <Relationship> of a .rels part (ECMA-376 Part 2 §9.3). */
export interface OoxmlRelationship {
  /** Part the relationship belongs to (zip member name); '' for the package itself (`_rels/.rels`). */
  source: string;
  /** The .rels part it was read from. */
  relsPart: string;
  id: string;
  type: string;
  /** The last segment of `type` (`vbaProject`, `attachedTemplate`, `oleObject` …). */
  typeName: string;
  /** Target exactly as written (a URL for external targets). */
  target: string;
  targetMode: 'Internal' | 'External';
  /** For internal targets, the zip member name the target resolves to. */
  partName?: string;
}

/**
 * The source part of a relationships part: `word/_rels/document.xml.rels` → `word/document.xml`,
 * `_rels/.rels` → '' (the package). Undefined for names that are not .rels parts (§9.3.1).
 */
export function relsSource(name: string): string | undefined {
  const match = /^(.*?)_rels\/([^/]*)\.rels$/i.exec(name);
  if (!match) return undefined;
  const [, folder = '', file = ''] = match;
  if (folder !== '' && !folder.endsWith('/')) return undefined;
  return `${folder}${file}`;
}

/** Resolves a relative target against its source part (§9.3.4, RFC 3986 §5.2), as a member name. */
export function resolveTarget(source: string, target: string): string {
  const path = target.split('#', 1)[0] ?? '';
  const segments = path.startsWith('/') ? [] : source.split('/');
  if (segments.length > 0) segments.pop(); // the source part's own name
  for (const segment of path.split(/[\\/]/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    // Without a `%` there is nothing to decode (decodeURIComponent returns the segment itself).
    else segments.push(segment.includes('%') ? safeDecode(segment) : segment);
  }
  return segments.join('/');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseRels(
  xml: string,
  relsPart: string,
  source: string,
  maxElements: number,
  anomalies: Anomaly[],
): OoxmlRelationship[] {
  const scanned = scanElements(xml, 'Relationship', maxElements);
  if (scanned.isTruncated) {
    anomalies.push({
      code: 'E_OOXML_TOO_MANY_ELEMENTS',
      message: `more than ${maxElements} relationships; the rest were ignored`,
      location: relsPart,
    });
  }
  const out: OoxmlRelationship[] = [];
  for (const attributes of scanned.elements) {
    const type = attributes['Type'] ?? '';
    const target = attributes['Target'] ?? '';
    const isExternal = (attributes['TargetMode'] ?? '').trim().toLowerCase() === 'external';
    // One shape for both modes (partName undefined when external), so that code reading
    // relationships sees one object map.
    out.push({
      source,
      relsPart,
      id: attributes['Id'] ?? '',
      type,
      typeName: type.slice(type.lastIndexOf('/') + 1),
      target,
      targetMode: isExternal ? 'External' : 'Internal',
      partName: isExternal ? undefined : resolveTarget(source, target),
    });
  }
  return out;
}
