import type { Anomaly } from '../../core/index.js';
import { scanElements } from './xml-scan.js';

/** The [Content_Types].xml stream (ECMA-376 Part 2 §10.1.2): extension defaults and per-part overrides. */
export interface ContentTypes {
  /** Lower-cased extension (no dot) → content type. */
  defaults: Record<string, string>;
  /** Part name as written (with its leading `/`) → content type. */
  overrides: Record<string, string>;
}

export const CONTENT_TYPES_PART = '[Content_Types].xml';

export function parseContentTypes(
  xml: string,
  maxElements: number,
  anomalies: Anomaly[],
): ContentTypes {
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  for (const [element, into, key] of [
    ['Default', defaults, 'Extension'],
    ['Override', overrides, 'PartName'],
  ] as const) {
    const scanned = scanElements(xml, element, maxElements);
    if (scanned.isTruncated) {
      anomalies.push({
        code: 'E_OOXML_TOO_MANY_ELEMENTS',
        message: `more than ${maxElements} <${element}> elements; the rest were ignored`,
        location: CONTENT_TYPES_PART,
      });
    }
    for (const attributes of scanned.elements) {
      const name = attributes[key];
      const type = attributes['ContentType'];
      if (name === undefined || type === undefined) continue;
      const k = element === 'Default' ? name.toLowerCase() : name;
      if (!into.has(k)) into.set(k, type.trim());
    }
  }
  return { defaults: Object.fromEntries(defaults), overrides: Object.fromEntries(overrides) };
}

/**
 * Content type lookup for many parts: an Override by part name, else the Default for the extension
 * (§10.1.2.4). Part names compare case-insensitively (§9.1.1.1), so `/WORD/vbaProject.BIN` matches.
 * SECURITY: built once per package; a per-part scan of the overrides would be quadratic.
 */
export function contentTypeResolver(types: ContentTypes): (partName: string) => string | undefined {
  const overrides = new Map<string, string>();
  for (const [name, type] of Object.entries(types.overrides)) {
    const key = withoutLeadingSlash(name).toLowerCase();
    if (!overrides.has(key)) overrides.set(key, type);
  }
  return (partName) => {
    const override = overrides.get(withoutLeadingSlash(partName).toLowerCase());
    if (override !== undefined) return override;
    const dot = partName.lastIndexOf('.');
    if (dot === -1 || dot < partName.lastIndexOf('/')) return undefined;
    const extension = partName.slice(dot + 1).toLowerCase();
    return Object.hasOwn(types.defaults, extension) ? types.defaults[extension] : undefined;
  };
}

const withoutLeadingSlash = (name: string): string =>
  name.charCodeAt(0) === 0x2f /* / */ ? name.slice(1) : name;

/** The content type of one part (see `contentTypeResolver` for many). */
export function contentTypeOf(types: ContentTypes, partName: string): string | undefined {
  return contentTypeResolver(types)(partName);
}
