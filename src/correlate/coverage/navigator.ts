import { parentTechnique, techniqueName } from '../../core/index.js';
import { bestPerScenario } from './classify.js';
import type { CellCategory, CoverageMatrix } from './types.js';

/** Scores and colours per category: the navigator's gradient runs from none (0) to technique (4). */
const SCORE: Record<CellCategory, number> = {
  'n/a': 0,
  none: 0,
  telemetry: 1,
  general: 2,
  tactic: 3,
  technique: 4,
};

const COLOR: Record<CellCategory, string> = {
  'n/a': '#ffffff',
  none: '#e6e6e6',
  telemetry: '#fde9a9',
  general: '#fdc57f',
  tactic: '#9fd3a6',
  technique: '#3fa34d',
};

export interface NavigatorTechnique {
  techniqueID: string;
  score?: number;
  color?: string;
  comment?: string;
  enabled: boolean;
  showSubtechniques: boolean;
  metadata: { name: string; value: string }[];
  links: { label: string; url: string }[];
}

/** An ATT&CK Navigator layer file, format 4.5 (https://github.com/mitre-attack/attack-navigator, layerFormatv4_5.md). */
export interface CoverageNavigatorLayer {
  name: string;
  versions: { attack: string; navigator: string; layer: '4.5' };
  domain: 'enterprise-attack';
  description: string;
  filters: { platforms: string[] };
  sorting: number;
  layout: {
    layout: 'side' | 'flat' | 'mini';
    aggregateFunction: 'average' | 'min' | 'max' | 'sum';
    showID: boolean;
    showName: boolean;
    showAggregateScores: boolean;
    countUnscored: boolean;
    expandedSubtechniques: 'none' | 'annotated' | 'all';
  };
  hideDisabled: boolean;
  techniques: NavigatorTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  metadata: { name: string; value: string }[];
  links: { label: string; url: string }[];
  showTacticRowBackground: boolean;
  tacticRowBackground: string;
  selectTechniquesAcrossTactics: boolean;
  selectSubtechniquesWithParent: boolean;
  selectVisibleTechniques: boolean;
}

const rankOf = (c: CellCategory) => SCORE[c] + (c === 'n/a' ? -1 : 0);

/**
 * The matrix as a Navigator layer: each technique a sub-step of the simulation stands for, coloured by
 * the best detection category any layer reached on it (several sub-steps on one technique: the best),
 * with the per-layer categories and blocks in the comment. Parents of listed sub-techniques are added
 * unscored with `showSubtechniques` so the sub-technique is visible when the layer opens.
 */
export function toCoverageNavigatorLayer(
  matrix: CoverageMatrix,
  name = 'emoguard coverage',
): CoverageNavigatorLayer {
  const best = bestPerScenario(matrix);
  const byTechnique = new Map<string, { category: CellCategory; comments: string[] }>();
  for (const row of matrix.rows) {
    const { category, isBlocked } = best.get(row.scenario.id)!;
    const entry = byTechnique.get(row.scenario.technique) ?? { category, comments: [] };
    if (rankOf(category) > rankOf(entry.category)) entry.category = category;
    const cells = matrix.layers
      .filter((l) => row.cells[l].category !== 'n/a')
      .map((l) => `${l}: ${row.cells[l].category}${row.cells[l].blocked ? ' (blocked)' : ''}`);
    entry.comments.push(
      `${row.scenario.id}${isBlocked ? ' [blocked]' : ''} — ${cells.join(', ') || 'no input'}`,
    );
    byTechnique.set(row.scenario.technique, entry);
  }
  const techniques: NavigatorTechnique[] = [];
  const parents = new Set<string>();
  for (const [id, { category, comments }] of [...byTechnique].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    if (id.includes('.')) parents.add(parentTechnique(id));
    techniques.push({
      techniqueID: id,
      score: SCORE[category],
      color: COLOR[category],
      comment: comments.join('\n'),
      enabled: true,
      showSubtechniques: false,
      metadata: [
        { name: 'best category', value: category },
        ...(techniqueName(id) ? [{ name: 'technique', value: techniqueName(id)! }] : []),
      ],
      links: [],
    });
  }
  for (const parent of [...parents].sort()) {
    if (byTechnique.has(parent)) {
      techniques.find((t) => t.techniqueID === parent)!.showSubtechniques = true;
      continue;
    }
    techniques.push({
      techniqueID: parent,
      enabled: true,
      showSubtechniques: true,
      metadata: [],
      links: [],
    });
  }
  const legend: CellCategory[] = ['technique', 'tactic', 'general', 'telemetry', 'none'];
  return {
    name,
    versions: { attack: '16', navigator: '5.1.0', layer: '4.5' },
    domain: 'enterprise-attack',
    description:
      'Measured by `emoguard coverage`: the inert Emotet simulation run through every layer; ' +
      'colours are the best ATT&CK Evaluations detection category reached per technique.',
    filters: { platforms: ['Windows'] },
    sorting: 0,
    layout: {
      layout: 'side',
      aggregateFunction: 'max',
      showID: true,
      showName: true,
      showAggregateScores: false,
      countUnscored: false,
      expandedSubtechniques: 'annotated',
    },
    hideDisabled: false,
    techniques,
    gradient: { colors: [COLOR.none, COLOR.technique], minValue: 0, maxValue: 4 },
    legendItems: legend.map((c) => ({ label: c, color: COLOR[c] })),
    metadata: [{ name: 'generator', value: 'emoguard coverage' }],
    links: [],
    showTacticRowBackground: false,
    tacticRowBackground: '#dddddd',
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
  };
}
