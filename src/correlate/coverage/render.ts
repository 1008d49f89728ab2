import { STEP_INFO } from '../../core/index.js';
import { summarizeCoverage } from './classify.js';
import type { CellCategory, CoverageCell, CoverageLayer, CoverageMatrix } from './types.js';

export type CoverageLang = 'en' | 'ja';

/** The advisory's marks: ◎ technique, ○ tactic, △ general or telemetry, × none; `-` no input. */
export const CATEGORY_MARK: Readonly<Record<CellCategory, string>> = {
  technique: '◎',
  tactic: '○',
  general: '△',
  telemetry: '△',
  none: '×',
  'n/a': '-',
};

const SHORT: Record<CoverageLang, Record<CellCategory, string>> = {
  en: {
    technique: 'Tech',
    tactic: 'Tact',
    general: 'Gen',
    telemetry: 'Tele',
    none: 'None',
    'n/a': '',
  },
  ja: {
    technique: '技術',
    tactic: '戦術',
    general: '一般',
    telemetry: '記録',
    none: 'なし',
    'n/a': '',
  },
};

const LAYER_NAME: Record<CoverageLang, Record<CoverageLayer, string>> = {
  en: {
    mail: 'MAIL',
    document: 'DOCUMENT',
    disarm: 'DISARM',
    endpoint: 'ENDPOINT',
    network: 'NETWORK',
    memory: 'MEMORY',
    response: 'RESPONSE',
  },
  ja: {
    mail: 'メール',
    document: '文書',
    disarm: '無害化',
    endpoint: '端末',
    network: '通信',
    memory: 'メモリ',
    response: '調査',
  },
};

const TEXT = {
  en: {
    title: (rows: number, layers: number) =>
      `Coverage of the simulated Emotet attack: ${rows} sub-steps × ${layers} layers (measured, not declared)`,
    step: 'STEP',
    substep: 'SUB-STEP (TECHNIQUE)',
    legend: [
      'Legend (MITRE ATT&CK Evaluations detection categories):',
      '  ◎ Tech  Technique: a finding names the sub-step’s ATT&CK technique',
      '  ○ Tact  Tactic: a finding names another technique of the same tactic',
      '  △ Gen   General: a finding says “malicious or abnormal” without that ATT&CK mapping',
      '  △ Tele  Telemetry: the layer read the input (the event is in the store), no judgement',
      '  × None  the layer was given input and returned nothing',
      '  -       no input for this layer in the simulation of this sub-step',
      '  +B      Blocked: the layer prevents the step (gateway quarantine/reject, disarm)',
    ],
    summary: 'Cells',
  },
  ja: {
    title: (rows: number, layers: number) =>
      `模擬 Emotet 攻撃に対する検知範囲: ${rows} 段階 × ${layers} レイヤー (宣言ではなく実測)`,
    step: '段階',
    substep: '攻撃の段階 (技術)',
    legend: [
      '凡例 (MITRE ATT&CK Evaluations の検知カテゴリ):',
      '  ◎ 技術  Technique: その段階の ATT&CK 技術を示す検知',
      '  ○ 戦術  Tactic: 同じ戦術の別の技術を示す検知',
      '  △ 一般  General: ATT&CK の対応なしに悪性・異常を示す検知',
      '  △ 記録  Telemetry: 入力は読まれ記録されたが、判定はない',
      '  × なし  入力はあったが何も返さなかった',
      '  -       この段階の模擬ではこのレイヤーへの入力なし',
      '  +B      遮断: このレイヤーが段階を防ぐ (ゲートウェイの隔離・拒否、無害化)',
    ],
    summary: 'セル数',
  },
} as const;

/** Terminal columns of a string: CJK ideographs, kana and fullwidth forms take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const isWide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6);
    width += isWide ? 2 : 1;
  }
  return width;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function cut(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** A layer's column name (`ENDPOINT`, `端末`). */
export function layerLabel(layer: CoverageLayer, lang: CoverageLang): string {
  return LAYER_NAME[lang][layer];
}

/** The table's title line: what was measured, rows × layers. */
export function coverageTitle(matrix: CoverageMatrix, lang: CoverageLang): string {
  return TEXT[lang].title(matrix.rows.length, matrix.layers.length);
}

/** The legend: a heading line, then one line per mark (indented for the terminal). */
export function coverageLegend(lang: CoverageLang): readonly string[] {
  return TEXT[lang].legend;
}

/** `Cells: ◎ Tech 12, ○ Tact 3, …, +B 4`: how many cells of each category. */
export function coverageSummary(matrix: CoverageMatrix, lang: CoverageLang): string {
  const counts = summarizeCoverage(matrix);
  const order: (CellCategory | 'blocked')[] = [
    'technique',
    'tactic',
    'general',
    'telemetry',
    'none',
    'n/a',
    'blocked',
  ];
  const named = (k: CellCategory | 'blocked') =>
    k === 'blocked' ? '+B' : k === 'n/a' ? '-' : `${CATEGORY_MARK[k]} ${SHORT[lang][k]}`;
  return `${TEXT[lang].summary}: ${order.map((k) => `${named(k)} ${counts[k]}`).join(', ')}`;
}

/** `◎ Tech+B`: the mark, the category and whether the layer blocked the step. */
export function renderCell(cell: CoverageCell, lang: CoverageLang): string {
  const label = SHORT[lang][cell.category];
  const text = label ? `${CATEGORY_MARK[cell.category]} ${label}` : CATEGORY_MARK[cell.category];
  return cell.blocked ? `${text}+B` : text;
}

/**
 * The matrix as the advisory's vendor table: one row per sub-step, one column per layer, ◎/○/△/× marks,
 * the legend and a count per category. Plain text (no colour) so the report and tests can use it as is.
 *
 * @example
 * process.stdout.write(renderCoverageTable(matrix, 'ja'));
 */
export function renderCoverageTable(matrix: CoverageMatrix, lang: CoverageLang = 'en'): string {
  const t = TEXT[lang];
  const labelWidth = 46;
  const widths = matrix.layers.map((layer) => Math.max(displayWidth(LAYER_NAME[lang][layer]), 9));
  const line = (step: string, label: string, cells: string[]) =>
    [
      pad(step, 4),
      pad(cut(label, labelWidth), labelWidth),
      ...cells.map((c, i) => pad(c, widths[i]!)),
    ]
      .join('  ')
      .trimEnd();
  const out = [coverageTitle(matrix, lang), ''];
  out.push(
    line(
      t.step,
      t.substep,
      matrix.layers.map((l) => LAYER_NAME[lang][l]),
    ),
  );
  let previous = '';
  for (const row of matrix.rows) {
    const mark = STEP_INFO[row.scenario.step].mark;
    const label = `${row.scenario.title[lang]} (${row.scenario.technique})`;
    const cells = matrix.layers.map((layer) => renderCell(row.cells[layer], lang));
    out.push(line(mark === previous ? '' : mark, label, cells));
    previous = mark;
  }
  out.push('', coverageSummary(matrix, lang));
  out.push('', ...t.legend, '');
  return out.join('\n');
}
