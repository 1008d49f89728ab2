import {
  LimitError,
  findingForError,
  type AnalysisContext,
  type EngineOutput,
} from '../../core/index.js';
import { splitMbox } from '../../formats/mime/index.js';

/** An mbox is a folder of mails: each message becomes a child, scanned as a mail of its own. */
export function analyzeMbox(ctx: AnalysisContext): EngineOutput {
  const { messages, truncated } = splitMbox(ctx.bytes, ctx.limits.maxMembers);
  const findings = truncated
    ? [
        findingForError(
          new LimitError(
            'E_LIMIT_MEMBERS',
            `mbox holds more than ${ctx.limits.maxMembers} messages`,
            {
              limit: 'maxMembers',
              max: ctx.limits.maxMembers,
            },
          ),
          ctx.artifact.name,
        ),
      ]
    : [];
  return {
    findings,
    children: messages.map((m, i) => ({
      name: `message-${i + 1}@line-${m.line}.eml`,
      bytes: m.bytes,
      relation: 'message',
      typeHint: 'eml' as const,
    })),
  };
}
