import type { Severity, Step } from '../../core/index.js';
import { LAYERS } from '../types.js';

/**
 * The layers of the seed's vendor table, in its column order: the mail gateway, document analysis,
 * content disarm, endpoint telemetry (Windows logs), network logs, memory images, and incident response
 * (host triage). One list with the layers findings are attributed to (`LAYERS`), so a finding's layer
 * is always a column.
 */
export const COVERAGE_LAYERS = LAYERS;
export type CoverageLayer = (typeof COVERAGE_LAYERS)[number];

/**
 * MITRE ATT&CK Evaluations detection categories (Enterprise, rounds 2–5), weakest first, plus `n/a`:
 * the simulation gave this layer no input for the sub-step, so the cell says nothing about the layer.
 * How each is decided is written on `classifyCell` (classify.ts).
 */
export const DETECTION_CATEGORIES = [
  'none',
  'telemetry',
  'general',
  'tactic',
  'technique',
] as const;
export type DetectionCategory = (typeof DETECTION_CATEGORIES)[number];
export type CellCategory = DetectionCategory | 'n/a';

export interface LocalText {
  en: string;
  ja: string;
}

/** One sub-step of the kill chain as the simulation plays it. */
export interface CoverageScenario {
  /** Stable id, `<step>-<slug>` (`4-wmi-powershell`). */
  id: string;
  step: Step;
  title: LocalText;
  /** The ATT&CK technique this sub-step is: what a `technique` detection must name. */
  technique: string;
}

/** A finding as one layer reported it on one scenario input, with where it came from. */
export interface ObservedFinding {
  id: string;
  title: string;
  severity: Severity;
  step: Step;
  attack: string[];
  /** Input (and node inside it, `mail.eml!invoice.doc`) the finding is on. */
  source: string;
  /** The first evidence text, cut short: enough to see why. */
  evidence?: string;
}

/** What one layer returned for one scenario: the raw material of a cell. */
export interface LayerObservation {
  layer: CoverageLayer;
  /** Names of the inputs this layer was given for the scenario. */
  inputs: string[];
  /** The layer read its input: the artifact parsed, or at least one event was read. */
  isRead: boolean;
  findings: ObservedFinding[];
  /** Set when the layer prevented the step (gateway quarantine/reject, disarm removed the content). */
  blocked?: { action: string; reasons: string[] };
  /** Why a cell looks the way it does when the findings alone do not say (a layer not built yet). */
  note?: string;
}

export interface CellFinding extends ObservedFinding {
  /** The category this one finding earns for the scenario. */
  category: DetectionCategory;
}

export interface CoverageCell {
  category: CellCategory;
  /** The gateway or disarm action that stopped the step, with the policy's reasons. */
  blocked?: { action: string; reasons: string[] };
  inputs: string[];
  /** Every finding of this layer on the scenario's inputs, strongest category first. */
  findings: CellFinding[];
  note?: string;
}

export interface CoverageRow {
  scenario: CoverageScenario;
  cells: Record<CoverageLayer, CoverageCell>;
}

/** The JSON model behind `coverage --json`, the report and the dashboard. Fields are only ever added. */
export interface CoverageMatrix {
  schema: 'emoguard.coverage/1';
  layers: readonly CoverageLayer[];
  rows: CoverageRow[];
}
