/**
 * @module engines/mail — step ① of the Emotet chain: the delivery mail. Checks the sender identity
 * (display name, Reply-To, RFC 8601 Authentication-Results), every attachment (Office content, types
 * that run, double extensions, RTLO, trailing blanks, encrypted ZIPs), links to payload downloads and
 * lure wording, and hands each attachment back to the pipeline as a child to scan. With the
 * organisation's sent Message-IDs (`createMailEngine`), replies are checked against its real threads.
 * Specs: RFC 5322, RFC 2045–2047, RFC 2231, RFC 8601; MITRE ATT&CK T1566.001 / T1566.002.
 */
import { deferAnalyze, type Engine } from '../../core/index.js';
import type { MailEngineOptions } from './engine.js';
import { MAIL_FINDINGS } from './findings.js';

export {
  MAX_REFERENCES_CHECKED,
  normalizeMessageId,
  organisationOf,
  sentMessageOf,
  type SentMessage,
  type SentMessageIndex,
} from './thread-db.js';
export type { MailEngineOptions } from './engine.js';

/**
 * A mail engine with what the apps loaded: with `sentMessages` (the `--msgid-db` index), replies are
 * also checked against the organisation's real sent mail (mail.unknown-thread-reference,
 * mail.thread-hijack-known-thread). Same name as `mailEngine`, which it replaces in the engine list.
 *
 * @example
 * const engines = ENGINES.map((e) => (e.name === 'mail' ? createMailEngine({ sentMessages }) : e));
 */
export function createMailEngine(options: MailEngineOptions = {}): Engine {
  return {
    name: 'mail',
    types: ['eml', 'mbox', 'msg'],
    findings: MAIL_FINDINGS,
    // Loaded on the first mail (see deferAnalyze): MIME, Outlook .msg and their packages are not
    // needed by a scan of Office files.
    analyze: deferAnalyze(async () => {
      const [{ analyzeMail }, { analyzeMbox }, { analyzeMsg }] = await Promise.all([
        import('./engine.js'),
        import('./mbox.js'),
        import('./msg.js'),
      ]);
      return (ctx) =>
        ctx.artifact.type === 'mbox'
          ? analyzeMbox(ctx)
          : ctx.artifact.type === 'msg'
            ? analyzeMsg(ctx, options)
            : analyzeMail(ctx, ctx.bytes, options);
    }),
  };
}

/**
 * The mail engine, for artifacts sniffed as `eml` or Outlook `msg`, and `mbox` files split into messages.
 *
 * @example
 * const out = await mailEngine.analyze(ctx); // out.children: one per attachment
 */
export const mailEngine: Engine = createMailEngine();
