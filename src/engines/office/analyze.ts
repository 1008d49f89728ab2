import type { AnalysisContext, EngineOutput } from '../../core/index.js';
import { analyzeLegacyExcel } from './biff.js';
import { analyzeOle } from './ole.js';
import { analyzeOoxml } from './ooxml.js';
import { OfficeOutput } from './output.js';
import { analyzeRtf } from './rtf.js';
import { analyzeActiveMime, analyzeMhtml, analyzeXml } from './web.js';

/**
 * Dispatches on the artifact type. What was found before a limit or an error is still returned, with
 * the error as a scan.* finding.
 */
export async function analyzeOffice(ctx: AnalysisContext): Promise<EngineOutput> {
  const out = new OfficeOutput(ctx);
  try {
    switch (ctx.artifact.type) {
      case 'rtf':
        analyzeRtf(ctx, out);
        break;
      case 'ole':
        analyzeOle(ctx, out);
        break;
      case 'ooxml':
        await analyzeOoxml(ctx, out);
        break;
      case 'mhtml':
        analyzeMhtml(ctx, out);
        break;
      case 'xml':
        analyzeXml(ctx, out);
        break;
      case 'activemime':
        analyzeActiveMime(ctx, out);
        break;
      case 'biff':
        analyzeLegacyExcel(ctx, out);
        break;
      default:
        break;
    }
  } catch (error) {
    if (!isSharedParseFailure(ctx, error)) out.error(error, ctx.artifact.name);
  }
  return out.result();
}

/**
 * The compound file and the OOXML package are parsed once per artifact for this engine and the vba
 * engine (ctx.memo); when that parse fails, the vba engine reports it, so it is not reported twice.
 */
function isSharedParseFailure(ctx: AnalysisContext, error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (ctx.artifact.type === 'ole' && code === 'E_CFB_NOT_CFB') ||
    (ctx.artifact.type === 'ooxml' && typeof code === 'string' && code.startsWith('E_ZIP_'))
  );
}
