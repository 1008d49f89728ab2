import {
  isEmbeddingType,
  isMacroSheetType,
  isVbaProjectType,
  locateEmbeddings,
  locateMacroSheets,
  locateVbaProjects,
  type OoxmlPart,
  type OoxmlRelationship,
} from '../../formats/ooxml/index.js';
import type { Removal, RemovalKind } from './types.js';

/**
 * What a disarm takes out of an OPC package, decided from content types, relationship types and
 * part names together (the way formats/ooxml locates them, since attackers rename parts and fix
 * up one of the three): parts, the relationships that point at them, and external relationships.
 */

const DIALOG_SHEET_TYPES = [
  'application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml',
  'application/vnd.ms-excel.dialogsheet',
];
/** MS-OFFMACRO2 parts that exist only for the VBA project (or call into it). */
const MACRO_COMPANION_TYPES: Record<string, RemovalKind> = {
  'application/vnd.ms-word.vbadata+xml': 'vba-project',
  'application/vnd.ms-office.vbaprojectsignature': 'vba-project',
  'application/vnd.ms-office.vbaprojectsignatureagile': 'vba-project',
  'application/vnd.ms-office.vbaprojectsignaturev3': 'vba-project',
  'application/vnd.ms-word.attachedtoolbars': 'other',
  'application/vnd.ms-word.keymapcustomizations+xml': 'other',
  'application/vnd.ms-office.activex+xml': 'activex',
  'application/vnd.ms-office.activex': 'activex',
};
const MACRO_COMPANION_RELS: Record<string, RemovalKind> = {
  wordVbaData: 'vba-project',
  vbaProjectSignature: 'vba-project',
  vbaProjectSignatureAgile: 'vba-project',
  vbaProjectSignatureV3: 'vba-project',
  attachedToolbars: 'other',
  keyMapCustomizations: 'other',
  control: 'activex',
  activeXControlBinary: 'activex',
  dialogsheet: 'macro-sheet',
};
/** Relationship types that always go, whether their target exists or not. */
export const ACTIVE_REL_TYPES: ReadonlySet<string> = new Set([
  'vbaProject',
  'xlMacrosheet',
  'xlIntlMacrosheet',
  'dialogsheet',
  'oleObject',
  'package',
  'control',
  'activeXControlBinary',
  ...Object.keys(MACRO_COMPANION_RELS),
]);
/** External relationships removed: what Office fetches or runs on open (T1221); hyperlinks stay. */
const REMOVED_EXTERNAL: Record<string, RemovalKind> = {
  attachedTemplate: 'remote-template',
  oleObject: 'external-relationship',
  frame: 'external-relationship',
  subDocument: 'external-relationship',
  package: 'external-relationship',
  control: 'external-relationship',
  activeXControlBinary: 'external-relationship',
  vbaProject: 'external-relationship',
};

const lower = (s: string) => s.toLowerCase();

export interface DisarmPlan {
  /** Lower-cased part name → what it was. */
  parts: Map<string, Removal>;
  /** Lower-cased rels part name → ids of relationships removed from it. */
  rels: Map<string, Set<string>>;
  /** Removals that are relationships, not parts (external targets). */
  relRemovals: Removal[];
  /** Lower-cased names of the macro and dialog sheet parts (sheets the workbook lists). */
  sheets: Set<string>;
}

export interface PackageView {
  parts: readonly OoxmlPart[];
  relationships: readonly OoxmlRelationship[];
  /** Lower-cased externalLink parts that hold a ddeLink or an oleLink. */
  activeExternalLinks: ReadonlySet<string>;
}

function partKind(part: OoxmlPart, embeddingRels: Set<string>): RemovalKind {
  const type = lower(part.contentType ?? '');
  if (type.includes('oleobject') || /\/oleObject[^/]*$/i.test(part.name)) return 'ole-object';
  if (type.includes('activex') || /(^|\/)activeX\//i.test(part.name)) return 'activex';
  return embeddingRels.has(lower(part.name)) ? 'embedded-package' : 'ole-object';
}

/** Decides the removals. Sheets are listed apart so that XLSB can neutralise them instead. */
export function planRemovals(view: PackageView): DisarmPlan {
  const plan: DisarmPlan = {
    parts: new Map(),
    rels: new Map(),
    relRemovals: [],
    sheets: new Set(),
  };
  const add = (name: string, kind: RemovalKind, detail?: string) => {
    if (!plan.parts.has(lower(name)))
      plan.parts.set(lower(name), { kind, location: name, ...(detail ? { detail } : {}) });
  };
  const byName = new Map(view.parts.map((p) => [lower(p.name), p]));
  for (const [name, how] of locateVbaProjects(view.parts, view.relationships)) {
    if (byName.has(name))
      add(byName.get(name)!.name, 'vba-project', `found by ${[...how].sort().join(', ')}`);
  }
  const dialogRels = new Set(
    view.relationships
      .filter((r) => r.typeName === 'dialogsheet' && r.partName)
      .map((r) => lower(r.partName!)),
  );
  for (const name of locateMacroSheets(view.parts, view.relationships)) {
    add(name, 'macro-sheet', byName.get(lower(name))?.contentType ?? undefined);
    plan.sheets.add(lower(name));
  }
  for (const part of view.parts) {
    const type = lower(part.contentType ?? '');
    if (
      DIALOG_SHEET_TYPES.includes(type) ||
      dialogRels.has(lower(part.name)) ||
      /^xl\/dialogsheets\//i.test(part.name)
    ) {
      add(part.name, 'macro-sheet', 'dialog sheet');
      plan.sheets.add(lower(part.name));
    }
  }
  if (plan.sheets.size > 0) {
    for (const rel of view.relationships) {
      const part =
        rel.typeName === 'calcChain' && rel.partName ? byName.get(lower(rel.partName)) : undefined;
      if (part)
        add(
          part.name,
          'other',
          'calculation chain, listing cells of the removed sheets (Excel rebuilds it)',
        );
    }
  }
  const packageRels = new Set(
    view.relationships
      .filter((r) => r.typeName === 'package' && r.partName)
      .map((r) => lower(r.partName!)),
  );
  for (const embedding of locateEmbeddings(view.parts, view.relationships)) {
    const part = byName.get(lower(embedding.partName))!;
    add(part.name, partKind(part, packageRels), part.contentType ?? undefined);
  }
  for (const part of view.parts) {
    const kind = MACRO_COMPANION_TYPES[lower(part.contentType ?? '')];
    if (kind) add(part.name, kind, part.contentType ?? undefined);
  }
  for (const rel of view.relationships) {
    const kind = MACRO_COMPANION_RELS[rel.typeName];
    if (kind && rel.partName && byName.has(lower(rel.partName)))
      add(byName.get(lower(rel.partName))!.name, kind, rel.typeName);
  }
  for (const name of view.activeExternalLinks)
    add(byName.get(name)?.name ?? name, 'dde-field', 'externalLink with a DDE or OLE link');
  cascade(plan, view, byName);
  planRelationships(plan, view);
  return plan;
}

/**
 * A removed part's relationships part goes with it, and so do the parts only it pointed at
 * (vbaProject.bin → vbaData.xml, activeX1.xml → activeX1.bin). Parts another part still uses stay.
 */
function cascade(plan: DisarmPlan, view: PackageView, byName: Map<string, OoxmlPart>): void {
  for (let round = 0; round < view.parts.length + 1; round++) {
    let changed = false;
    const removedSources = new Set(plan.parts.keys());
    const stillUsed = new Set(
      view.relationships
        .filter((r) => r.partName && (r.source === '' || !removedSources.has(lower(r.source))))
        .map((r) => lower(r.partName!)),
    );
    for (const rel of view.relationships) {
      if (rel.source === '' || !removedSources.has(lower(rel.source))) continue;
      if (!plan.parts.has(lower(rel.relsPart))) {
        plan.parts.set(lower(rel.relsPart), {
          kind: 'other',
          location: rel.relsPart,
          detail: 'relationships of a removed part',
        });
        changed = true;
      }
      const target = rel.partName && byName.get(lower(rel.partName));
      if (target && !plan.parts.has(lower(target.name)) && !stillUsed.has(lower(target.name))) {
        const kind = isVbaProjectType(target.contentType ?? undefined)
          ? 'vba-project'
          : isMacroSheetType(target.contentType ?? undefined)
            ? 'macro-sheet'
            : isEmbeddingType(target.contentType ?? undefined)
              ? 'ole-object'
              : 'other';
        plan.parts.set(lower(target.name), {
          kind,
          location: target.name,
          detail: `used only by ${rel.source}`,
        });
        changed = true;
      }
    }
    if (!changed) return;
  }
}

function planRelationships(plan: DisarmPlan, view: PackageView): void {
  for (const rel of view.relationships) {
    if (plan.parts.has(lower(rel.relsPart))) continue;
    let drop = false;
    if (rel.targetMode === 'External') {
      const kind = REMOVED_EXTERNAL[rel.typeName];
      if (kind) {
        drop = true;
        plan.relRemovals.push({
          kind,
          location: rel.relsPart,
          detail: `${rel.typeName}: ${rel.target}`,
        });
      }
    } else if (
      ACTIVE_REL_TYPES.has(rel.typeName) ||
      (rel.partName && plan.parts.has(lower(rel.partName)))
    ) {
      drop = true;
    }
    if (drop) {
      const ids = plan.rels.get(lower(rel.relsPart)) ?? new Set<string>();
      plan.rels.set(lower(rel.relsPart), ids.add(rel.id));
    }
  }
}
