import {
  classifyFieldCode,
  isRemoteTarget,
  quoteFieldValue,
} from '../../formats/msxml-office/index.js';
import {
  pruneEmptyElements,
  removeCellFormulas,
  removeReferencingElements,
  removeWordFields,
  type XmlWalkLimits,
} from '../../formats/ooxml/index.js';
import {
  formulaText,
  hasDdeFormula,
  mayHoldDde,
  removeDdeRuleFormulas,
  RULE_CONTAINERS,
} from './ooxml-formulas.js';
import type { Removal, RemovalKind } from './types.js';

/**
 * The markup side of an OOXML disarm, one part at a time: Word fields that start programs (DDE,
 * DDEAUTO, T1559.002) or fetch remote content (INCLUDETEXT/INCLUDEPICTURE/LINK with a URL or UNC
 * path) lose their instruction and keep their displayed result; DDE cell formulas lose the formula
 * and keep the cached value; OLE objects, ActiveX controls and elements that refer to removed
 * relationships are cut out with the element that frames them.
 */

/** Elements removed wherever they are: OLE objects and ActiveX controls in any of the three vocabularies. */
const ACTIVE_ELEMENTS: ReadonlySet<string> = new Set([
  'OLEObject', // VML o:OLEObject in w:object / w:pict (Word)
  'objectEmbed', // w:objectEmbed, w:objectLink (Word 2010)
  'objectLink',
  'control', // w:control, <control> in <controls> (Excel), p:control
  'oleObj', // p:oleObj (PowerPoint)
  'oleObjects', // <oleObjects> (Excel worksheet)
  'controls', // <controls> (Excel), p:controls
]);
/** Frames removed with what they hold, so that no empty or dangling shell is left. */
const WRAPPERS: ReadonlySet<string> = new Set([
  'object', // w:object
  'pict', // w:pict
  'graphicFrame', // p:graphicFrame around p:oleObj
  'oleObjects',
  'controls',
  'frameset', // w:frameset of webSettings.xml (frames, T1221)
]);

/** Containers the schemas require to hold at least one child (CT_ExternalReferences, CT_OleObjects …). */
const EMPTY_INVALID: ReadonlySet<string> = new Set([
  'externalReferences',
  'oleObjects',
  'controls',
  'definedNames',
  ...RULE_CONTAINERS,
]);

export interface PartEdit {
  ok: true;
  xml: string;
  removals: Removal[];
}
export type PartEditResult = PartEdit | { ok: false; reason: string };

function fieldKind(instruction: string): RemovalKind | undefined {
  const code = classifyFieldCode(instruction);
  if (!code) return undefined;
  if (code.kind === 'dde') return 'dde-field';
  return isRemoteTarget(code.target) ? 'external-relationship' : undefined;
}

// Field characters and cell formulas are found by their markup, whatever the part's name or content
// type claims: fldChar/fldSimple exist only in WordprocessingML, <f> in <c> only in SpreadsheetML.
const HAS_FIELDS = /<(?:[\w.-]+:)?(?:fldChar|fldSimple)\b/;
const HAS_FORMULAS = /<(?:[\w.-]+:)?f[\s>]/;
const HAS_RULE_FORMULAS = /<(?:[\w.-]+:)?(?:f|formula[12]?|definedName)[\s>]/;

/** Every markup edit one XML part needs; `removedIds` are its relationships that were dropped. */
export function disarmMarkup(
  xml: string,
  part: string,
  removedIds: ReadonlySet<string>,
  limits: XmlWalkLimits,
): PartEditResult {
  const removals: Removal[] = [];
  let text = xml;
  if (HAS_FIELDS.test(text)) {
    const fields = removeWordFields(
      text,
      (i) => fieldKind(i) !== undefined,
      quoteFieldValue,
      limits,
    );
    if (!fields.ok) return fields;
    text = fields.xml;
    for (const f of fields.removed) {
      removals.push({
        kind: fieldKind(f.instruction) ?? 'dde-field',
        location: part,
        detail: f.instruction,
      });
    }
  }
  // A DDE reference needs `|` (app|'topic'!item), maybe as `&#124;`; most sheets need no second walk.
  if (mayHoldDde(text) && HAS_FORMULAS.test(text)) {
    const formulas = removeCellFormulas(text, (f) => hasDdeFormula(f), limits);
    if (!formulas.ok) return formulas;
    text = formulas.xml;
    for (const f of formulas.removed)
      removals.push({
        kind: 'dde-field',
        location: part,
        detail: `=${formulaText(f.instruction)}`,
      });
  }
  if (mayHoldDde(text) && HAS_RULE_FORMULAS.test(text)) {
    const rules = removeDdeRuleFormulas(text, part, limits);
    if (!rules.ok) return rules;
    text = rules.xml;
    removals.push(...rules.removals);
  }
  const elements = removeReferencingElements(
    text,
    { removedIds, activeElements: ACTIVE_ELEMENTS, wrappers: WRAPPERS },
    limits,
  );
  if (!elements.ok) return elements;
  if (elements.count === 0 && text === xml) return { ok: true, xml, removals };
  const pruned = pruneEmptyElements(elements.xml, EMPTY_INVALID, limits);
  if (!pruned.ok) return pruned;
  return { ok: true, xml: pruned.xml, removals };
}
