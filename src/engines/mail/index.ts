/**
 * @module engines/mail — step ① of the Emotet chain: the delivery mail. Checks the sender identity
 * (display name, Reply-To, RFC 8601 Authentication-Results), every attachment (Office content, types
 * that run, double extensions, RTLO, trailing blanks, encrypted ZIPs), links to payload downloads and
 * lure wording, and hands each attachment back to the pipeline as a child to scan.
 * Specs: RFC 5322, RFC 2045–2047, RFC 2231, RFC 8601; MITRE ATT&CK T1566.001 / T1566.002.
 */
import type { Engine } from '../../core/index.js';
import { analyzeMail } from './engine.js';
import { analyzeMbox } from './mbox.js';
import { analyzeMsg } from './msg.js';
import { MAIL_FINDINGS } from './findings.js';

/**
 * The mail engine, for artifacts sniffed as `eml` or Outlook `msg`, and `mbox` files split into messages.
 *
 * @example
 * const out = await mailEngine.analyze(ctx); // out.children: one per attachment
 */
export const mailEngine: Engine = {
  name: 'mail',
  types: ['eml', 'mbox', 'msg'],
  findings: MAIL_FINDINGS,
  analyze: (ctx) =>
    ctx.artifact.type === 'mbox'
      ? analyzeMbox(ctx)
      : ctx.artifact.type === 'msg'
        ? analyzeMsg(ctx)
        : analyzeMail(ctx),
};
