import { describeError, LimitError } from '../../core/index.js';
import { isCfb, parseCfb } from '../../formats/cfb/index.js';
import {
  editContentTypes,
  editRelationships,
  isEmbeddingType,
  isMacroSheetType,
  isVbaProjectType,
  readPackageStrict,
  resolveTarget,
} from '../../formats/ooxml/index.js';
import {
  editWorkbookXml,
  EMPTY_WORKSHEET_XML,
  WORKSHEET_CONTENT_TYPE,
  WORKSHEET_REL,
} from './ooxml-excel.js';
import { disarmMarkup } from './ooxml-markup.js';
import {
  freshName,
  freshRelId,
  isXmlPartName,
  openPackage,
  partText,
  relsPartOf,
  saveText,
  XML_LIMITS,
  xmlFailure,
  type Fail,
  type OpenedPackage,
} from './ooxml-package.js';
import { planRemovals, type DisarmPlan } from './ooxml-plan.js';
import { extensionFor, isBinaryWorkbookType, MACRO_FREE_TYPES } from './ooxml-types.js';
import {
  emptyWorksheetBin,
  renameXlsbAutoNames,
  XLSB_WORKSHEET_CONTENT_TYPE,
} from './ooxml-xlsb.js';
import type { DisarmOptions, DisarmOutcome, Removal } from './types.js';

const lower = (s: string) => s.toLowerCase();
// SECURITY: by content type too, so that a main part named `word/document` (no extension) is disarmed.
const isXmlPart = (name: string, type: string | undefined) =>
  isXmlPartName(name) || /[+/]xml$/i.test(type ?? '');
const ACTIVE_DEFAULT = (type: string) =>
  isVbaProjectType(type) ||
  isMacroSheetType(type) ||
  isEmbeddingType(type) ||
  /activex/i.test(type);

function refuse(refusal: NonNullable<DisarmOutcome['refusal']>, reason: string): DisarmOutcome {
  return { status: 'refused', removed: [], refusal, reason };
}

/**
 * Content disarm of an OOXML package (.docm/.xlsm/.pptm and their macro-free, template and add-in
 * kinds, and .xlsb): removes VBA projects, XLM macro and dialog sheets (with their Auto_Open names),
 * ActiveX controls, OLE objects and embedded packages, external templates, objects, frames and
 * subdocuments, DDE and remote INCLUDE fields, DDE links and formulas; then writes a package whose
 * untouched parts keep their stored bytes, with a macro-free main content type. Refuses — never a
 * half-written output — encrypted, malformed, unsupported or over-limit packages. Never throws.
 *
 * @example
 * const outcome = disarmOoxml(bytes, { limits: DEFAULT_LIMITS });
 * if (outcome.status === 'disarmed') write(`invoice${outcome.outputExtension}`, outcome.output);
 */
export function disarmOoxml(bytes: Uint8Array, options: DisarmOptions): DisarmOutcome {
  try {
    return disarm(bytes, options);
  } catch (error) {
    if (error instanceof LimitError) return refuse('limit', describeError(error));
    // SECURITY: whatever went wrong, nothing half-done leaves this function.
    return refuse('malformed', `could not rewrite the package: ${describeError(error)}`);
  }
}

function disarm(bytes: Uint8Array, options: DisarmOptions): DisarmOutcome {
  const { limits } = options;
  if (bytes.length > limits.maxFileSize)
    return refuse('limit', `${bytes.length} bytes exceed maxFileSize ${limits.maxFileSize}`);
  if (isCfb(bytes)) {
    const cfb = parseCfb(bytes);
    return cfb.find('EncryptedPackage')
      ? refuse(
          'encrypted',
          'an encrypted OOXML package (MS-OFFCRYPTO EncryptedPackage) without its password',
        )
      : refuse('unsupported', 'a compound file (OLE), not an OOXML package');
  }
  const read = readPackageStrict(bytes, {
    maxMembers: limits.maxMembers,
    maxTotalBytes: limits.maxTotalBytes,
    maxRatio: limits.maxRatio,
    keep: isXmlPartName,
    ...(options.checkDeadline ? { checkDeadline: options.checkDeadline } : {}),
  });
  if (!read.ok) return refuse(read.refusal, read.reason);
  const pkg = openPackage(read.members);
  if ('ok' in pkg) return refuse(pkg.refusal, pkg.reason);
  const activeExternalLinks = new Set<string>();
  const linkTargets = new Set(
    pkg.relationships
      .filter((r) => r.typeName === 'externalLink')
      .map((r) => lower(r.partName ?? '')),
  );
  for (const part of pkg.parts) {
    const isLink =
      /(^|\/)externalLinks\/[^/]+\.xml$/i.test(part.name) ||
      linkTargets.has(lower(part.name)) ||
      /spreadsheetml\.externalLink\+xml/i.test(part.contentType ?? '');
    if (!isLink || !isXmlPart(part.name, part.contentType ?? undefined)) continue;
    const xml = partText(pkg.editor, part.name);
    if (typeof xml !== 'string') return refuse(xml.refusal, xml.reason);
    if (/<(?:[\w.-]+:)?(?:ddeLink|oleLink)\b/.test(xml)) activeExternalLinks.add(lower(part.name));
  }
  const plan = planRemovals({
    parts: pkg.parts,
    relationships: pkg.relationships,
    activeExternalLinks,
  });
  if (plan.parts.has(lower(pkg.mainPart)))
    return refuse('unsupported', `the main part ${pkg.mainPart} is itself active content`);
  const isXlsb = isBinaryWorkbookType(pkg.mainContentType);
  if (
    isXlsb &&
    [...plan.parts.values()].some((r) =>
      ['ole-object', 'activex', 'embedded-package'].includes(r.kind),
    )
  )
    return refuse(
      'unsupported',
      'XLSB with OLE objects or ActiveX controls (binary sheet records are not rewritten)',
    );
  const result = rewrite(pkg, plan, isXlsb, options);
  if ('ok' in result) return refuse(result.refusal, result.reason);
  const { removed, isConverted } = result;
  if (removed.length === 0 && !isConverted)
    return { status: 'unchanged', output: bytes, outputType: 'ooxml', removed: [] };
  const output = pkg.editor.write();
  // SECURITY: what is handed out is re-read (its ZIP structure, as strictly as the input) first.
  const check = readPackageStrict(output, {
    maxMembers: Infinity,
    maxTotalBytes: Infinity,
    maxRatio: Infinity,
    keep: () => false,
    isContentChecked: false,
  });
  if (!check.ok)
    return refuse('malformed', `the rewritten package does not read back: ${check.reason}`);
  const mainType = MACRO_FREE_TYPES.get(lower(pkg.mainContentType))?.type ?? pkg.mainContentType;
  const extension = extensionFor(mainType);
  return {
    status: 'disarmed',
    output,
    outputType: 'ooxml',
    ...(extension ? { outputExtension: extension } : {}),
    removed,
  };
}

interface Rewritten {
  removed: Removal[];
  isConverted: boolean;
}

function rewrite(
  pkg: OpenedPackage,
  plan: DisarmPlan,
  isXlsb: boolean,
  options: DisarmOptions,
): Rewritten | Fail {
  const { editor } = pkg;
  const removed: Removal[] = [...plan.parts.values()].filter(
    (r) => !(r.kind === 'other' && /^relationships of/.test(r.detail ?? '')),
  );
  removed.push(...plan.relRemovals);
  const mainRels = lower(relsPartOf(pkg.mainPart));
  const retarget = new Map<string, { type: string; target: string }>();
  const addRels: { id: string; type: string; target: string }[] = [];
  const addTypes = new Map<string, string>();
  const taken = new Set<string>();
  // (A) XLSB: macro and dialog sheets become empty worksheets under the same BrtBundleSh.
  if (isXlsb) {
    for (const rel of pkg.relationships) {
      if (
        lower(rel.relsPart) !== mainRels ||
        !rel.partName ||
        !plan.sheets.has(lower(rel.partName))
      )
        continue;
      const name = freshName(editor, 'xl/worksheets/', 'sheet', 'bin');
      editor.set(name, emptyWorksheetBin());
      addTypes.set(name, XLSB_WORKSHEET_CONTENT_TYPE);
      plan.rels.get(mainRels)?.delete(rel.id);
      retarget.set(rel.id, { type: WORKSHEET_REL, target: relativeTarget(pkg.mainPart, name) });
    }
    const workbook = editor.bytes(pkg.mainPart);
    if (!workbook) return { ok: false, refusal: 'malformed', reason: 'workbook part unreadable' };
    const renamed = renameXlsbAutoNames(workbook, pkg.mainPart);
    if (!renamed.ok) return { ok: false, refusal: 'malformed', reason: renamed.reason };
    if (renamed.removals.length > 0) editor.set(pkg.mainPart, renamed.bytes);
    removed.push(...renamed.removals);
  }
  // (B) Markup of every XML part that stays (which also checks that each one is well-formed).
  const idsOf = (source: string) => plan.rels.get(lower(relsPartOf(source))) ?? new Set<string>();
  const original = new Set(pkg.parts.map((p) => lower(p.name)));
  for (const name of editor.names()) {
    if (
      plan.parts.has(lower(name)) ||
      !isXmlPart(name, pkg.typeOf(name)) ||
      /(^|\/)_rels\/|^\[Content_Types\]\.xml$/i.test(name)
    )
      continue;
    if (!original.has(lower(name))) continue;
    options.checkDeadline?.();
    const text = partText(editor, name);
    if (typeof text !== 'string') return text;
    let xml = text;
    if (
      lower(name) === lower(pkg.mainPart) &&
      !isXlsb &&
      /spreadsheetml|ms-excel/i.test(pkg.mainContentType)
    ) {
      const newRelId = freshRelId(pkg.relationships, relsPartOf(name), taken);
      const workbook = editWorkbookXml(xml, name, idsOf(name), newRelId, XML_LIMITS);
      if (!workbook.ok) return xmlFailure(name, workbook.reason);
      xml = workbook.xml;
      removed.push(...workbook.removals);
      if (workbook.addedSheet) {
        const sheet = freshName(editor, 'xl/worksheets/', 'sheet', 'xml');
        editor.set(sheet, EMPTY_WORKSHEET_XML);
        addTypes.set(sheet, WORKSHEET_CONTENT_TYPE);
        addRels.push({ id: newRelId, type: WORKSHEET_REL, target: relativeTarget(name, sheet) });
      }
    }
    const ids = idsOf(name);
    const edited = disarmMarkup(xml, name, ids, XML_LIMITS);
    if (!edited.ok) {
      // Legacy VML drawings are often not well-formed XML; one that refers to nothing removed stays as it is.
      if (/\.vml$/i.test(name) && ![...ids].some((id) => xml.includes(`"${id}"`))) continue;
      return xmlFailure(name, edited.reason);
    }
    removed.push(...edited.removals);
    if (edited.xml !== text) saveText(editor, name, edited.xml);
  }
  // (C) Relationship parts.
  for (const relsPart of new Set([
    ...plan.rels.keys(),
    ...(retarget.size + addRels.length > 0 ? [mainRels] : []),
  ])) {
    const name = editor.spelling(relsPart);
    if (!name || plan.parts.has(relsPart)) continue;
    const xml = partText(editor, name);
    if (typeof xml !== 'string') return xml;
    const isMain = relsPart === mainRels;
    const edited = editRelationships(
      xml,
      {
        remove: plan.rels.get(relsPart) ?? new Set(),
        ...(isMain ? { retarget, add: addRels } : {}),
      },
      XML_LIMITS,
    );
    if (!edited.ok) return xmlFailure(name, edited.reason);
    saveText(editor, name, edited.xml);
  }
  // (D) Content types, with the macro-free main type.
  const converted = MACRO_FREE_TYPES.get(lower(pkg.mainContentType));
  const overrides = new Set(
    Object.keys(pkg.contentTypes.overrides).map((o) => lower(o.replace(/^\//, ''))),
  );
  // A main type that came from a Default (no Override) gets an Override with the macro-free type.
  if (converted && !overrides.has(lower(pkg.mainPart))) addTypes.set(pkg.mainPart, converted.type);
  const hasActiveDefault = Object.values(pkg.contentTypes.defaults).some(ACTIVE_DEFAULT);
  const hasRemovedOverride = [...plan.parts.keys()].some((p) => overrides.has(p));
  if (converted || hasRemovedOverride || addTypes.size > 0 || hasActiveDefault) {
    const edited = editContentTypes(
      pkg.contentTypesXml,
      {
        removeOverrides: new Set(plan.parts.keys()),
        removeDefault: ACTIVE_DEFAULT,
        ...(converted ? { setOverride: new Map([[lower(pkg.mainPart), converted.type]]) } : {}),
        addOverrides: addTypes,
      },
      XML_LIMITS,
    );
    if (!edited.ok) return xmlFailure('[Content_Types].xml', edited.reason);
    if (edited.xml !== pkg.contentTypesXml)
      saveText(editor, editor.spelling('[Content_Types].xml')!, edited.xml);
  }
  if (converted) {
    removed.push({
      kind: 'other',
      location: pkg.mainPart,
      detail: `macro-enabled content type ${pkg.mainContentType} → ${converted.type}`,
    });
  }
  for (const part of plan.parts.keys()) editor.remove(part);
  return { removed, isConverted: converted !== undefined };
}

/** A relationship target for `part` relative to `source`'s folder (`worksheets/sheet2.xml`). */
function relativeTarget(source: string, part: string): string {
  const folder = source.slice(0, source.lastIndexOf('/') + 1);
  const target = part.startsWith(folder) ? part.slice(folder.length) : `/${part}`;
  return resolveTarget(source, target) === part ? target : `/${part}`;
}
