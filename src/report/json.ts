import type { ReportModel } from './model.js';

/**
 * The model as pretty JSON, for scripts and for the API. Values are not defanged: machines consuming
 * IOCs need them exact, and JSON is never rendered as links.
 */
export function renderJson(model: ReportModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
