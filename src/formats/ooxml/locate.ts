import {
  EMBEDDING_REL_NAMES,
  isEmbeddingPath,
  isEmbeddingType,
  isMacroEnabledType,
  isMacroSheetPath,
  isMacroSheetType,
  isVbaProjectName,
  isVbaProjectType,
  MACRO_SHEET_REL_NAMES,
  OFFICE_DOCUMENT_RELS,
  VBA_PROJECT_REL,
} from './classify.js';
import type { ContentTypes } from './content-types.js';
import type { OoxmlRelationship } from './rels.js';
import type { OoxmlEmbedding, OoxmlPart, OoxmlVbaProject } from './types.js';

/** Where macro content sits in a package, by path, content type and relationship alike. */

type FoundBy = OoxmlVbaProject['foundBy'][number];

function targetsOf(relationships: readonly OoxmlRelationship[], typeNames: readonly string[]) {
  const targets = new Set<string>();
  for (const r of relationships) {
    if (r.partName !== undefined && typeNames.includes(r.typeName))
      targets.add(r.partName.toLowerCase());
  }
  return targets;
}

/** The main part (officeDocument relationship of the package, §9.3) and whether it is macro-enabled. */
export function locateMainPart(
  relationships: readonly OoxmlRelationship[],
  contentTypes: ContentTypes,
  contentTypeOf: (name: string) => string | undefined,
): { mainPart: string | null; mainContentType: string | null; isMacroEnabled: boolean } {
  const rel = relationships.find((r) => r.source === '' && OFFICE_DOCUMENT_RELS.includes(r.type));
  const mainPart = rel?.partName ?? null;
  const mainContentType = mainPart === null ? null : (contentTypeOf(mainPart) ?? null);
  // Without a main part, any macro-enabled main content type in the overrides decides.
  const isMacroEnabled =
    mainContentType !== null
      ? isMacroEnabledType(mainContentType)
      : Object.values(contentTypes.overrides).some(
          (t) => isMacroEnabledType(t) && /\.main\b/i.test(t),
        );
  return { mainPart, mainContentType, isMacroEnabled };
}

export function locateMacroSheets(
  parts: readonly OoxmlPart[],
  relationships: readonly OoxmlRelationship[],
): string[] {
  const targets = targetsOf(relationships, MACRO_SHEET_REL_NAMES);
  const found: string[] = [];
  for (const p of parts) {
    if (
      isMacroSheetPath(p.name) ||
      isMacroSheetType(p.contentType ?? undefined) ||
      (targets.size > 0 && targets.has(p.name.toLowerCase()))
    )
      found.push(p.name);
  }
  return found;
}

export function locateEmbeddings(
  parts: readonly OoxmlPart[],
  relationships: readonly OoxmlRelationship[],
): OoxmlEmbedding[] {
  const targets = targetsOf(relationships, EMBEDDING_REL_NAMES);
  const found: OoxmlEmbedding[] = [];
  for (const p of parts) {
    if (
      isEmbeddingPath(p.name) ||
      isEmbeddingType(p.contentType ?? undefined) ||
      (targets.size > 0 && targets.has(p.name.toLowerCase()))
    )
      found.push({ partName: p.name, contentType: p.contentType, size: p.size });
  }
  return found;
}

/**
 * VBA project candidates (lower-cased part name → how each was found), found three ways since
 * attackers rename `vbaProject.bin` and fix up the content type or the relationship to match.
 */
export function locateVbaProjects(
  parts: readonly OoxmlPart[],
  relationships: readonly OoxmlRelationship[],
): Map<string, Set<FoundBy>> {
  const found = new Map<string, Set<FoundBy>>();
  const note = (name: string, how: FoundBy) => {
    const key = name.toLowerCase();
    found.set(key, (found.get(key) ?? new Set()).add(how));
  };
  for (const part of parts) {
    if (isVbaProjectType(part.contentType ?? undefined)) note(part.name, 'content-type');
    if (isVbaProjectName(part.name)) note(part.name, 'name');
  }
  for (const rel of relationships) {
    if (
      rel.partName !== undefined &&
      (rel.type === VBA_PROJECT_REL || rel.typeName === 'vbaProject')
    ) {
      note(rel.partName, 'relationship');
    }
  }
  return found;
}
