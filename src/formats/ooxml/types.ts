import type { Anomaly } from '../../core/index.js';
import type { ContentTypes } from './content-types.js';
import type { OoxmlRelationship } from './rels.js';

const MiB = 1024 * 1024;
/** Bytes read from one VBA project part. Real projects are kilobytes; a huge one is padding. */
export const MAX_OOXML_PART_BYTES = 256 * MiB;
/** Bytes read from one XML part ([Content_Types].xml, .rels). Real ones are a few KiB. */
export const MAX_OOXML_XML_BYTES = 16 * MiB;
/** Bytes read from one package in all (XML parts and VBA projects together). */
export const MAX_OOXML_TOTAL_BYTES = 512 * MiB;
/** Elements taken from [Content_Types].xml, and relationships from all .rels parts together. */
export const MAX_OOXML_ELEMENTS = 100_000;
/**
 * Bytes of parts read through `readOoxmlPart` kept per package, so that a part two engines read (an
 * .xlsm's workbook and sheets: the xlm engine for its macros, the office engine for DDE formulas) is
 * inflated once. Parts past this total are read again instead of kept.
 */
export const MAX_OOXML_CACHED_BYTES = 16 * MiB;

export interface ReadOoxmlOptions {
  /** Members listed from the ZIP (see `listZip`). */
  maxEntries?: number;
  /** Bytes read from one VBA project part; past it the project is skipped with an anomaly. */
  maxPartBytes?: number;
  /** Bytes read from one XML part. */
  maxXmlBytes?: number;
  /** Bytes read from the package in all; an engine passes what is left of its byte budget. */
  maxTotalBytes?: number;
  /** Elements read from [Content_Types].xml, and relationships from all .rels parts together. */
  maxElements?: number;
}

/** One part (ZIP member); names are member names, without OPC's leading `/`. */
export interface OoxmlPart {
  name: string;
  /** Declared sizes, from the ZIP directory. */
  size: number;
  compressedSize: number;
  contentType: string | null;
}

export interface OoxmlVbaProject {
  partName: string;
  bytes: Uint8Array;
  /** How it was found; `name` alone or a missing `content-type` suggests a renamed or hidden project. */
  foundBy: ('content-type' | 'name' | 'relationship')[];
}

export interface OoxmlEmbedding {
  partName: string;
  contentType: string | null;
  size: number;
}

export interface OoxmlPackage {
  contentTypes: ContentTypes;
  parts: OoxmlPart[];
  /** Every relationship of every `_rels/*.rels` part. */
  relationships: OoxmlRelationship[];
  /** Target of the package's officeDocument relationship (`word/document.xml` …). */
  mainPart: string | null;
  mainContentType: string | null;
  /** The main part's content type is a macro-enabled one (.docm/.xlsm/.pptm/.xlsb macro …). */
  isMacroEnabled: boolean;
  vbaProjects: OoxmlVbaProject[];
  /** XLM macro sheets (xl/macrosheets/*, XML or XLSB binary). */
  macroSheets: string[];
  /** TargetMode="External": attachedTemplate (T1221), oleObject links, frames, hyperlinks. */
  externalRelationships: OoxmlRelationship[];
  /** OLE objects, ActiveX binaries and embedded packages. */
  embeddings: OoxmlEmbedding[];
  anomalies: Anomaly[];
}
