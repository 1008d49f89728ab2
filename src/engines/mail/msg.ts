import { parseError, type AnalysisContext, type EngineOutput } from '../../core/index.js';
import { msgToEml } from '../../formats/msg/index.js';
import { analyzeMail, type MailEngineOptions } from './engine.js';

/** An Outlook .msg is analysed as the RFC 5322 message it stands for (formats/msg rebuilds it). */
export async function analyzeMsg(
  ctx: AnalysisContext,
  options: MailEngineOptions = {},
): Promise<EngineOutput> {
  const { eml, anomalies } = msgToEml(ctx.bytes);
  const problems = anomalies.map((a) =>
    parseError({ location: a.location ?? 'msg', text: `${a.code}: ${a.message}` }),
  );
  if (!eml) return { findings: problems };
  const out = await analyzeMail(ctx, eml, options);
  return { ...out, findings: [...problems, ...(out.findings ?? [])] };
}
