import { severityRank, STEP_INFO, tacticsOf, type Step } from '../../core/index.js';
import type { ExportData } from './data.js';

/**
 * An ATT&CK Navigator layer, format 4.5 (https://github.com/mitre-attack/attack-navigator/blob/master/layers/LAYERFORMATv4_5.md):
 * one entry per technique (and tactic, when the technique sits under several), scored by the number of
 * findings citing it, commented with their titles.
 */
export interface NavigatorLayer {
  name: string;
  versions: { attack: string; navigator: string; layer: '4.5' };
  domain: 'enterprise-attack';
  description: string;
  techniques: NavigatorTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: Array<{ label: string; color: string }>;
  sorting: number;
  layout: { layout: 'side'; showID: boolean; showName: boolean; aggregateFunction: 'max' };
  hideDisabled: boolean;
  selectTechniquesAcrossTactics: boolean;
  selectSubtechniquesWithParent: boolean;
  metadata: Array<{ name: string; value: string }>;
}

export interface NavigatorTechnique {
  techniqueID: string;
  tactic?: string;
  score: number;
  color: string;
  comment: string;
  enabled: boolean;
  showSubtechniques: boolean;
  metadata: Array<{ name: string; value: string }>;
}

/** Titles quoted per technique comment. */
const MAX_COMMENT_TITLES = 10;
const SEVERITY_COLOR = {
  info: '',
  low: '',
  medium: '#fff8c5',
  high: '#ffb77c',
  critical: '#ff6b6b',
};

/**
 * @example
 * writeFileSync('layer.json', JSON.stringify(toNavigatorLayer(data), null, 2));
 */
export function toNavigatorLayer(data: ExportData): NavigatorLayer {
  const byTechnique = new Map<
    string,
    { count: number; titles: Map<string, number>; steps: Set<Step>; worst: number; sev: string }
  >();
  for (const f of data.findings) {
    for (const tid of new Set(f.attack)) {
      const e = byTechnique.get(tid) ?? {
        count: 0,
        titles: new Map(),
        steps: new Set(),
        worst: -1,
        sev: '',
      };
      byTechnique.set(tid, e);
      e.count += 1;
      e.titles.set(f.title, (e.titles.get(f.title) ?? 0) + 1);
      e.steps.add(f.step);
      if (severityRank(f.severity) > e.worst) {
        e.worst = severityRank(f.severity);
        e.sev = f.severity;
      }
    }
  }
  const techniques: NavigatorTechnique[] = [];
  for (const [tid, e] of [...byTechnique].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const titles = [...e.titles].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const comment = titles
      .slice(0, MAX_COMMENT_TITLES)
      .map(([t, n]) => `${t} (${n})`)
      .concat(
        titles.length > MAX_COMMENT_TITLES ? [`… ${titles.length - MAX_COMMENT_TITLES} more`] : [],
      )
      .join('; ');
    const base = {
      techniqueID: tid,
      score: e.count,
      color: SEVERITY_COLOR[e.sev as keyof typeof SEVERITY_COLOR] ?? '',
      comment,
      enabled: true,
      showSubtechniques: tid.includes('.'),
      metadata: [
        { name: 'steps', value: [...e.steps].map((s) => STEP_INFO[s].mark).join(' ') },
        { name: 'worst severity', value: e.sev },
      ],
    };
    const tactics = tacticsOf(tid);
    if (tactics.length === 0) techniques.push(base);
    for (const t of tactics) techniques.push({ ...base, tactic: t.shortname });
  }
  const max = Math.max(1, ...techniques.map((t) => t.score));
  return {
    name: data.title.slice(0, 200),
    versions: { attack: '14', navigator: '4.9.1', layer: '4.5' },
    domain: 'enterprise-attack',
    description: `Techniques cited by ${data.findings.length} emoguard finding(s); score = findings.`,
    techniques,
    gradient: { colors: ['#ffffff', '#ff6666'], minValue: 0, maxValue: max },
    legendItems: [
      { label: 'critical', color: SEVERITY_COLOR.critical },
      { label: 'high', color: SEVERITY_COLOR.high },
      { label: 'medium', color: SEVERITY_COLOR.medium },
    ],
    sorting: 3,
    layout: { layout: 'side', showID: true, showName: true, aggregateFunction: 'max' },
    hideDisabled: false,
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    metadata: [
      { name: 'generated', value: data.generatedAt },
      ...(data.incidentId === null ? [] : [{ name: 'incident', value: String(data.incidentId) }]),
      ...(data.scanId === null ? [] : [{ name: 'scan', value: String(data.scanId) }]),
    ],
  };
}
