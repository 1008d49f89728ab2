/**
 * The parsed form of BinXml (MS-EVEN6 2.2.12): templates become trees of these nodes once per chunk;
 * each record only decodes its substitution values and renders the tree with them.
 */

export const NODE_ELEMENT = 0;
export const NODE_TEXT = 1;
export const NODE_SUBST = 2;
export const NODE_INSTANCE = 3;

export interface XAttr {
  name: string;
  /** Text and substitution nodes, concatenated. */
  parts: XNode[];
}

export interface XElement {
  kind: typeof NODE_ELEMENT;
  name: string;
  attrs: XAttr[];
  children: XNode[];
  /** `EventData`/`UserData`: their `Data` children are keyed by their Name attribute (evtx-rs layout). */
  isContainer: boolean;
  isData: boolean;
  /** The `Name` attribute of a `Data` element. */
  nameAttr: XAttr | undefined;
}

export interface XText {
  kind: typeof NODE_TEXT;
  text: string;
}

/** MS-EVEN6 2.2.12 substitution token: a slot filled from the template instance's value array. */
export interface XSubst {
  kind: typeof NODE_SUBST;
  index: number;
  isOptional: boolean;
}

export interface XTemplate {
  /** Chunk offset of the template definition. */
  offset: number;
  nodes: XNode[];
}

/** A template instance: the template's nodes rendered with this instance's values. */
export interface XInstance {
  kind: typeof NODE_INSTANCE;
  template: XTemplate;
  values: EvtxValue[];
}

export type XNode = XElement | XText | XSubst | XInstance;

/** A substitution of type BinXml (0x21): a nested fragment rendered in place of the slot. */
export class NestedXml {
  constructor(readonly nodes: XNode[]) {}
}

/**
 * A decoded substitution value: strings (also GUIDs, SIDs, times, hex and arrays, already in their text
 * form), numbers for integers, booleans, or a nested fragment. '' is the empty value (NullType included).
 */
export type EvtxValue = string | number | boolean | NestedXml;

const EMPTY_VALUES: EvtxValue[] = [];
export { EMPTY_VALUES };
