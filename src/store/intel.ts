// The store's threat-intel rows, as `intel import|list|stats` write, query and count them.
import { IOC_TYPES, type IocType } from '../core/index.js';

/** Indicator types of the intel store: core's IOC_TYPES, the list the intel parsers and matchers use. */
export const INTEL_TYPES = IOC_TYPES;
export type IntelType = IocType;

export interface IntelInput {
  type: IntelType;
  value: string;
  /** The feed (`feodotracker`, `urlhaus`, `misp:CIRCL` …). */
  source: string;
  firstSeen?: Date;
  lastSeen?: Date;
  /** 0–100. */
  confidence?: number;
  tags?: string[];
  malware?: string;
  reference?: string;
  /** After this `expireIntel` removes the row and `loadIntel` leaves it out. */
  expiresAt?: Date;
}

/** The order of an indicator's values in `IntelRows.cells`. */
export const INTEL_ROW_COLUMNS = [
  'type',
  'value',
  'source',
  'firstSeen',
  'lastSeen',
  'confidence',
  'tags',
  'malware',
  'reference',
  'expiresAt',
] as const;

/**
 * Indicators in their stored form, row-major, without an object per row (what `intel import` hands
 * over from its parsing thread): INTEL_ROW_COLUMNS.length cells per row; times as ISO-8601 text as
 * `Date.toISOString()` writes it, tags as the JSON text of a string array, null for an absent field.
 */
export interface IntelRows {
  rows: number;
  cells: readonly (string | number | null)[];
}

export type IntelBatch = readonly IntelInput[] | IntelRows;

export interface IntelRecord {
  id: number;
  type: IntelType;
  value: string;
  source: string;
  firstSeen: Date | null;
  lastSeen: Date | null;
  confidence: number | null;
  tags: string[];
  malware: string | null;
  reference: string | null;
  expiresAt: Date | null;
  /** First import of this (type, value, source), and the latest. */
  importedAt: Date;
  updatedAt: Date;
}

export interface IntelImportResult {
  inserted: number;
  /** Rows that existed (or repeated within the batch) and were refreshed. */
  updated: number;
}

export interface IntelQuery {
  type?: IntelType;
  source?: string;
  /** Exact value. */
  value?: string;
  /** Leave out rows expired at `now`. */
  activeOnly?: boolean;
  now?: Date;
  limit?: number;
  offset?: number;
}

export interface IntelFilter {
  types?: readonly IntelType[];
  sources?: readonly string[];
  includeExpired?: boolean;
  now?: Date;
  /** Rows per page read from the database (default 10,000). */
  pageSize?: number;
}

export interface IntelSourceStats {
  source: string;
  total: number;
  active: number;
  expired: number;
  byType: Partial<Record<IntelType, number>>;
  /** Latest import or refresh of any of its rows. */
  lastImport: Date | null;
}

export interface IntelStats {
  total: number;
  active: number;
  expired: number;
  byType: Record<IntelType, number>;
  /** By source name. */
  bySource: IntelSourceStats[];
}
