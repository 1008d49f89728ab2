import type { Anomaly } from '../../core/index.js';

const MiB = 1024 * 1024;
/** Decoded bytes kept of one `\objdata`. Real objects are kilobytes to a few MiB; more is padding. */
export const MAX_RTF_OBJECT_BYTES = 256 * MiB;
/** Decoded `\objdata` bytes kept for the whole document. */
export const MAX_RTF_TOTAL_OBJECT_BYTES = 512 * MiB;
/** Objects kept; CVE-2017-11882 droppers carry one to a few, heap-spray documents hundreds. */
export const MAX_RTF_OBJECTS = 1000;
/** Field instructions and `\*\template` values kept. */
export const MAX_RTF_FIELDS = 10_000;
/** Characters kept of one field instruction, class name or template. */
export const MAX_RTF_TEXT_CHARS = 64 * 1024;
/**
 * Open destinations tracked. Group nesting itself is only a counter (100,000 `{` cost nothing);
 * destinations opened deeper than this are treated as text of the enclosing one.
 */
export const MAX_RTF_DESTINATION_DEPTH = 1024;

/** How the object is kept in the document (RTF 1.9.1 "Objects": `\objemb`, `\objautlink` …). */
export type RtfObjectKind = 'emb' | 'link' | 'autlink' | 'sub' | 'pub' | 'icemb' | 'html' | 'ocx';

/** One `\object` group, or one `\objdata` found outside any object (Word reads those too). */
export interface RtfObject {
  /** Byte offset of the `\object` control word, or of `\objdata` for an orphan. */
  offset: number;
  /** Byte offset where the `\objdata` content starts; undefined when the object has none. */
  dataOffset?: number;
  /** `{\*\objclass …}`: the OLE class name the document claims (attackers lie here). */
  objclass?: string;
  /** `{\*\oleclsid …}` of ActiveX (`\objocx`) objects. */
  oleClsid?: string;
  kind?: RtfObjectKind;
  /** `\objupdate`: Word updates the object on open, without a click (CVE-2017-0199, -11882 droppers). */
  isUpdate: boolean;
  /** Decoded `\objdata` (an OLE1 object, MS-OLEDS 2.2), as Word decodes it. */
  data: Uint8Array;
  /** The data was cut at a byte cap. */
  isTruncated: boolean;
  /** Tricks seen inside the hex that Word tolerates and naive scanners do not. */
  obfuscation: string[];
}

export interface RtfField {
  /** Byte offset of the `\fldinst` control word. */
  offset: number;
  /** The field code as Word reads it: `DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc"`. */
  instruction: string;
}

export interface RtfTemplate {
  offset: number;
  /** `{\*\template …}`: the attached template, a URL in template injection (T1221). */
  target: string;
}

export interface RtfDocument {
  /** The input starts with `{\rt`, the only check Word makes. */
  hasHeader: boolean;
  objects: RtfObject[];
  fields: RtfField[];
  templates: RtfTemplate[];
  /** Deepest group nesting seen. */
  maxGroupDepth: number;
  anomalies: Anomaly[];
}

export interface RtfParseOptions {
  maxObjectBytes?: number;
  maxTotalObjectBytes?: number;
  maxObjects?: number;
  maxFields?: number;
  maxTextChars?: number;
  maxDestinationDepth?: number;
  /** Called every MiB of input; may throw to stop (the pipeline's time limit). */
  checkDeadline?: () => void;
}
