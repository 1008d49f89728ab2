import {
  CATEGORY_MARK,
  renderCell,
  type CoverageMatrix,
} from '../../../correlate/coverage/index.js';
import { html } from '../html.js';
import { labelsOf, layout, STEP_MARKS, table, type PageContext } from '../layout.js';

/** The advisory's vendor table, measured: one row per sub-step, one column per layer, ◎/○/△/×. */
export function renderCoverage(page: PageContext, matrix: CoverageMatrix | undefined): string {
  const L = labelsOf(page);
  if (matrix === undefined)
    return layout(page, L.coverage, html`<p class="empty">${L.notAvailable}</p>`);
  const rows = matrix.rows.map(
    (r) =>
      html`<tr>
        <td>${STEP_MARKS[r.scenario.step] ?? r.scenario.step}</td>
        <td>
          ${r.scenario.title[page.lang]} <span class="mono meta">${r.scenario.technique}</span>
        </td>
        ${matrix.layers.map((layer) => {
          const cell = r.cells[layer];
          const why =
            cell.findings
              .slice(0, 3)
              .map((f) => f.id)
              .join(', ') ||
            cell.note ||
            '';
          return html`<td class="cov cov-${cell.category}" title="${why}">
            ${renderCell(cell, page.lang)}
          </td>`;
        })}
      </tr>`,
  );
  const legend = Object.entries(CATEGORY_MARK)
    .map(([category, mark]) => `${mark} ${category}`)
    .join(' · ');
  return layout(
    page,
    L.coverage,
    html`${table([L.step, L.title, ...matrix.layers], rows, L.none)}
      <p class="meta">${legend} · +B blocked</p>`,
  );
}
