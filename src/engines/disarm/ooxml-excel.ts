import {
  attributesOf,
  decodeXmlEntities,
  escapeXml,
  RELATIONSHIPS_NAMESPACES,
  setAttributeEdit,
  setTagAttribute,
  applyXmlEdits,
  walkXmlElements,
  type XmlEdit,
  type XmlElement,
  type XmlWalkLimits,
} from '../../formats/ooxml/index.js';
import type { Removal } from './types.js';

/**
 * The SpreadsheetML workbook part (ECMA-376 Part 1 §18.2) after macro and dialog sheets are taken out:
 * their `<sheet>` entries go, and with them the defined names that ran them (`_xlnm.Auto_Open`,
 * any name starting Auto_Open/Auto_Close, which Excel runs too) or were scoped to them; the sheet
 * indexes other elements use (`localSheetId`, `activeTab`, `firstSheet`) are renumbered. A workbook
 * left with no sheet gets an empty one, and one left with no visible sheet shows its first: Excel
 * opens neither otherwise.
 */

/** Excel runs these names on open/close/activation (XLM), builtin (`_xlnm.`) or not. */
export const AUTOEXEC_NAME = /^(?:_xlnm\.)?auto_(?:open|close|activate|deactivate)/i;

export interface WorkbookEdit {
  ok: true;
  xml: string;
  removals: Removal[];
  /** A new empty sheet is needed: its relationship id and part are the caller's to add. */
  addedSheet?: { relId: string; name: string };
}

interface Sheet {
  el: XmlElement;
  name: string;
  isRemoved: boolean;
  isVisible: boolean;
  sheetId: number;
}

function relId(el: XmlElement): string | undefined {
  for (const [qname, value] of attributesOf(el)) {
    if (qname.endsWith(':id') && !qname.startsWith('xmlns')) return decodeXmlEntities(value);
  }
  return undefined;
}

function refersToSheet(formula: string, names: readonly string[]): boolean {
  const text = formula.toLowerCase();
  return names.some((n) => {
    const name = n.toLowerCase();
    const quoted = `'${name.replace(/'/g, "''")}'!`;
    // `Sheet1!` must not match inside `MySheet1!`: the character before is no name character.
    const bare = new RegExp(`(?:^|[^\\w.'])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}!`);
    return text.includes(quoted) || bare.test(text);
  });
}

/**
 * Removes the sheets whose relationship ids are in `removedIds` from workbook.xml, with their names.
 * `newRelId` is used when a sheet must be added.
 */
export function editWorkbookXml(
  xml: string,
  location: string,
  removedIds: ReadonlySet<string>,
  newRelId: string,
  limits: XmlWalkLimits,
): WorkbookEdit | { ok: false; reason: string } {
  const sheets: Sheet[] = [];
  const names: { el: XmlElement; name: string; local?: number }[] = [];
  const views: XmlElement[] = [];
  let sheetsEl: XmlElement | undefined;
  const walked = walkXmlElements(
    xml,
    {
      open(el, ancestors) {
        const parent = ancestors[ancestors.length - 1]?.local;
        if (el.local === 'sheets') sheetsEl = el;
        else if (el.local === 'sheet' && parent === 'sheets') {
          const a = attributesOf(el);
          const id = relId(el);
          sheets.push({
            el,
            name: decodeXmlEntities(a.get('name') ?? ''),
            isRemoved: id !== undefined && removedIds.has(id),
            isVisible: !/hidden/i.test(a.get('state') ?? ''),
            sheetId: Number(a.get('sheetId') ?? 0) || 0,
          });
        } else if (el.local === 'definedName') {
          const a = attributesOf(el);
          const local = a.get('localSheetId');
          names.push({
            el,
            name: decodeXmlEntities(a.get('name') ?? ''),
            ...(local === undefined ? {} : { local: Number(local) }),
          });
        } else if (el.local === 'workbookView') views.push(el);
      },
    },
    limits,
  );
  if (!walked.ok) return walked;
  const removedIndex = sheets.flatMap((s, i) => (s.isRemoved ? [i] : []));
  const removedNames = sheets.filter((s) => s.isRemoved).map((s) => s.name);
  const renumber = (index: number) => index - removedIndex.filter((r) => r < index).length;
  const edits: XmlEdit[] = [];
  const removals: Removal[] = [];
  for (const s of sheets)
    if (s.isRemoved) edits.push({ start: s.el.start, end: s.el.end, replacement: '' });
  for (const n of names) {
    const formula = n.el.isSelfClosing
      ? ''
      : decodeXmlEntities(xml.slice(n.el.openEnd, n.el.end - `</${n.el.qname}>`.length));
    const isAuto = AUTOEXEC_NAME.test(n.name);
    if (
      isAuto ||
      (n.local !== undefined && removedIndex.includes(n.local)) ||
      refersToSheet(formula, removedNames)
    ) {
      edits.push({ start: n.el.start, end: n.el.end, replacement: '' });
      if (isAuto)
        removals.push({ kind: 'xlm-auto-name', location, detail: `${n.name} = ${formula}` });
    } else if (n.local !== undefined && renumber(n.local) !== n.local) {
      edits.push(setAttributeEdit(xml, n.el, 'localSheetId', String(renumber(n.local))));
    }
  }
  const remaining = sheets.filter((s) => !s.isRemoved);
  for (const view of views) {
    const a = attributesOf(view);
    let tag = xml.slice(view.start, view.openEnd);
    for (const attr of ['activeTab', 'firstSheet']) {
      const value = a.get(attr);
      if (value === undefined) continue;
      const index = Number(value);
      const next = removedIndex.includes(index)
        ? 0
        : Math.max(0, Math.min(renumber(index), remaining.length - 1));
      if (next !== index) tag = setTagAttribute(tag, attr, String(next));
    }
    edits.push({ start: view.start, end: view.openEnd, replacement: tag });
  }
  let addedSheet: WorkbookEdit['addedSheet'];
  if (remaining.length === 0 && sheetsEl) {
    const sheetId = Math.max(0, ...sheets.map((s) => s.sheetId)) + 1;
    const name = sheets.some((s) => s.name.toLowerCase() === 'sheet1')
      ? `Sheet${sheetId}`
      : 'Sheet1';
    const ns = RELATIONSHIPS_NAMESPACES[0];
    const added = `<sheet xmlns:r="${ns}" name="${escapeXml(name)}" sheetId="${sheetId}" r:id="${escapeXml(newRelId)}"/>`;
    edits.push(
      sheetsEl.isSelfClosing
        ? {
            start: sheetsEl.start,
            end: sheetsEl.end,
            replacement: `<${sheetsEl.qname}>${added.replace('<sheet', `<${prefixed(sheetsEl, 'sheet')}`)}</${sheetsEl.qname}>`,
          }
        : {
            start: sheetsEl.end - `</${sheetsEl.qname}>`.length,
            end: sheetsEl.end - `</${sheetsEl.qname}>`.length,
            replacement: added.replace('<sheet', `<${prefixed(sheetsEl, 'sheet')}`),
          },
    );
    addedSheet = { relId: newRelId, name };
  } else if (!remaining.some((s) => s.isVisible) && remaining[0]) {
    edits.push(setAttributeEdit(xml, remaining[0].el, 'state', undefined));
  }
  return {
    ok: true,
    xml: edits.length === 0 ? xml : applyXmlEdits(xml, edits),
    removals,
    ...(addedSheet ? { addedSheet } : {}),
  };
}

function prefixed(sibling: XmlElement, local: string): string {
  return sibling.prefix ? `${sibling.prefix}:${local}` : local;
}

/** An empty worksheet part (§18.3.1.99), for a workbook whose every sheet was a macro sheet. */
export const EMPTY_WORKSHEET_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>';
export const WORKSHEET_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
export const WORKSHEET_REL =
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';
