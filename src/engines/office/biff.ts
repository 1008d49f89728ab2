import type { AnalysisContext } from '../../core/index.js';
import { parseLegacyWorkbook } from '../../formats/biff/index.js';
import { reportDde } from './fields.js';
import type { OfficeOutput } from './output.js';

/**
 * DDE links of an Excel 2.x–4.0 file (BIFF2–4: a sheet's EXTERNSHEET `cmd` 03H `/c …` + EXTERNNAME
 * `A0`, reached by PtgSheet + PtgName: `=cmd|'/c …'!A0`), reported as the .xls path reports them.
 * The xlm engine parses the same file for its macros and reports its parse failures and anomalies;
 * a file that is not BIFF2–4 after all is left to it.
 */
export function analyzeLegacyExcel(ctx: AnalysisContext, out: OfficeOutput): void {
  let book: ReturnType<typeof parseLegacyWorkbook>;
  try {
    book = parseLegacyWorkbook(ctx.bytes);
  } catch {
    return;
  }
  for (const link of book.ddeLinks) {
    if (link.isOle) continue;
    const cells = link.cells.length > 0 ? ` (cells ${link.cells.join(', ')})` : '';
    reportDde(out, `=${link.formula}${cells}`, link.application, link.topic, {
      location: ctx.artifact.name,
      offset: link.offset,
    });
  }
}
