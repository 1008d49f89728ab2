import { findDdeFormulas } from '../../formats/msxml-office/index.js';
import {
  applyXmlEdits,
  decodeXmlEntities,
  walkXmlElements,
  type XmlElement,
  type XmlWalkLimits,
} from '../../formats/ooxml/index.js';
import type { Removal } from './types.js';

/**
 * DDE references (`cmd|'/c …'!A0`, T1559.002) in SpreadsheetML formulas that are not cell formulas:
 * data validation and conditional formatting rules (`formula1`, `formula2`, `formula`, and the x14
 * extension's `xm:f`, ECMA-376 §18.3.1.32/§18.3.1.43, MS-XLSX 2.6), sparkline ranges and defined names
 * (§18.2.5). Excel evaluates them like cell formulas, so the rule or name that holds one goes whole: a
 * rule without its formula is not valid markup. Cell formulas are `removeCellFormulas`'s (the cached
 * value stays).
 */

/** Elements whose text is a formula. `f` counts only outside a cell `<c>`. */
const FORMULA_ELEMENTS: ReadonlySet<string> = new Set([
  'f',
  'formula',
  'formula1',
  'formula2',
  'definedName',
]);
/** The element removed with a DDE formula: the nearest of these that holds it. */
const OWNERS: ReadonlySet<string> = new Set([
  'dataValidation',
  'cfRule',
  'sparklineGroup',
  'definedName',
  'ext',
]);
/** Containers the schemas want non-empty once their last rule is gone. */
export const RULE_CONTAINERS: readonly string[] = [
  'dataValidations',
  'conditionalFormatting',
  'sparklineGroups',
];

// A reference needs `|`, written as is or as a character reference (`&#124;`, `&#x7C;`).
const MAY_HOLD_DDE = /\||&#(?:124|x7c);/i;

/** Comments and CDATA markers go, so that `<f><![CDATA[cmd|'…'!A0]]></f>` reads as Excel sees it. */
function withoutMarkup(raw: string): string {
  return raw.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
}

/** The formula text of an element's raw content, as an XML reader gives it to Excel. */
export function formulaText(raw: string): string {
  return decodeXmlEntities(withoutMarkup(raw));
}

/**
 * Whether formula text holds a DDE reference, read both as it is and without comments and CDATA
 * markers: text already decoded may hold a literal `<!--` (`="<!--"&cmd|'…'!A0&"-->"`) that must not
 * hide the reference, and raw text may hold a real comment inside one.
 */
export function hasDdeFormula(text: string): boolean {
  return findDdeFormulas(text, 1).length > 0 || findDdeFormulas(withoutMarkup(text), 1).length > 0;
}

/** Whether a part's markup could hold a DDE formula at all (most parts need no walk). */
export function mayHoldDde(xml: string): boolean {
  return MAY_HOLD_DDE.test(xml);
}

export type RuleFormulaResult =
  { ok: true; xml: string; removals: Removal[] } | { ok: false; reason: string };

/** Removes every non-cell formula element with a DDE reference, with the rule or name that holds it. */
export function removeDdeRuleFormulas(
  xml: string,
  part: string,
  limits: XmlWalkLimits,
): RuleFormulaResult {
  const owners = new Map<XmlElement, string>();
  const walked = walkXmlElements(
    xml,
    {
      close(el, ancestors) {
        if (!FORMULA_ELEMENTS.has(el.local) || el.isSelfClosing) return;
        if (el.local === 'f' && ancestors[ancestors.length - 1]?.local === 'c') return;
        const raw = xml.slice(el.openEnd, el.end - `</${el.qname}>`.length);
        // A formula is text only; an `f` with child elements is something else (OMML's m:f fraction).
        if (raw.replace(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->/g, '').includes('<')) return;
        const text = formulaText(raw);
        if (!hasDdeFormula(decodeXmlEntities(raw)) && !hasDdeFormula(text)) return;
        const owner = OWNERS.has(el.local)
          ? el
          : ([...ancestors].reverse().find((a) => OWNERS.has(a.local)) ?? el);
        if (!owners.has(owner)) owners.set(owner, text);
      },
    },
    limits,
  );
  if (!walked.ok) return walked;
  if (owners.size === 0) return { ok: true, xml, removals: [] };
  const edits = [...owners.keys()].map((el) => ({ start: el.start, end: el.end, replacement: '' }));
  const removals = [...owners].map(([el, text]) => ({
    kind: 'dde-field' as const,
    location: part,
    detail: `${el.local}: =${text}`,
  }));
  return { ok: true, xml: applyXmlEdits(xml, edits), removals };
}
