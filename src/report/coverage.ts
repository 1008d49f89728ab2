import {
  coverageLegend,
  coverageSummary,
  coverageTitle,
  layerLabel,
  renderCell,
  type CoverageMatrix,
} from '../correlate/coverage/index.js';
import { STEP_INFO } from '../core/index.js';
import { h, table, td } from './html-parts.js';
import { LABELS, type ReportLang } from './labels.js';
import { displayText, escapeMarkdown } from './text.js';

/**
 * The measured coverage matrix as a report section, rendered like the advisory's vendor table and the
 * CLI's (`emoguard coverage`): one row per sub-step, one column per layer, ◎/○/△/× with `+B` where the
 * layer blocks, the legend and the count per category. Shared by the store and incident reports.
 */
export function coverageHtml(matrix: CoverageMatrix | undefined, lang: ReportLang): string {
  if (matrix === undefined) return '';
  const L = LABELS[lang];
  let previous = '';
  const rows = matrix.rows.map((row) => {
    const mark = STEP_INFO[row.scenario.step].mark;
    const step = mark === previous ? '' : mark;
    previous = mark;
    return [
      td(h(step)),
      td(
        `${h(row.scenario.title[lang])} <span class="mono meta">${h(row.scenario.technique)}</span>`,
      ),
      ...matrix.layers.map((layer) => {
        const cell = row.cells[layer];
        const cls = cell.category === 'n/a' ? 'na' : cell.category;
        return td(h(renderCell(cell, lang)), `cov cov-${cls}`);
      }),
    ];
  });
  const [legendHead, ...legend] = coverageLegend(lang);
  return [
    `<section class="coverage"><h2>${h(L.coverage)}</h2>`,
    `<p class="meta">${h(L.coverageNote)}</p>`,
    `<p>${h(coverageTitle(matrix, lang))}</p>`,
    table([L.step, L.subStep, ...matrix.layers.map((l) => layerLabel(l, lang))].map(h), rows),
    `<p>${h(coverageSummary(matrix, lang))}</p>`,
    `<p class="meta">${h(legendHead ?? '')}</p>`,
    `<ul class="meta">\n${legend.map((line) => `<li>${h(line.trim())}</li>`).join('\n')}\n</ul>`,
    '</section>',
  ].join('\n');
}

/** SECURITY: as every Markdown renderer here: revealed, defanged, escaped. */
const md = (text: string): string => escapeMarkdown(displayText(text));

/** The same section in GitHub-flavoured Markdown (lines, without a trailing blank). */
export function coverageMarkdown(matrix: CoverageMatrix | undefined, lang: ReportLang): string[] {
  if (matrix === undefined) return [];
  const L = LABELS[lang];
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [`## ${md(L.coverage)}`, '', md(L.coverageNote), '', md(coverageTitle(matrix, lang))];
  out.push(
    '',
    row([L.step, L.subStep, ...matrix.layers.map((l) => layerLabel(l, lang))].map(md)),
    row([':---:', '---', ...matrix.layers.map(() => ':---:')]),
  );
  let previous = '';
  for (const r of matrix.rows) {
    const mark = STEP_INFO[r.scenario.step].mark;
    out.push(
      row([
        mark === previous ? '' : mark,
        md(`${r.scenario.title[lang]} (${r.scenario.technique})`),
        ...matrix.layers.map((layer) => md(renderCell(r.cells[layer], lang))),
      ]),
    );
    previous = mark;
  }
  const [legendHead, ...legend] = coverageLegend(lang);
  out.push('', md(coverageSummary(matrix, lang)), '', md(legendHead ?? ''), '');
  // A legend line that starts with `-` (no input) would open a nested list item: escape the dash.
  out.push(...legend.map((line) => `- ${md(line.trim()).replace(/^-/, '\\-')}`));
  return out;
}
