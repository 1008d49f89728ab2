/**
 * @module apps/msgid — the organisation's sent Message-IDs for thread-hijack detection (issue 4):
 * `emoguard mail learn-msgids` fills the database from sent mail (RFC 5322 3.6.4 Message-ID,
 * In-Reply-To, References), and `scan`/`filter --msgid-db` open it read-only as the mail engine's
 * index. Inputs: .eml files, mbox (RFC 4155), Maildir (cr.yp.to/proto/maildir.html).
 *
 * @example
 * const summary = await learnMessageIds(['Sent/'], openMessageIdDb('msgids.db'), { domains: ['example.co.jp'] });
 */
export { learnMessageIds, MAX_LEARNED_ORG_DOMAINS } from './learn.js';
export type { LearnOptions, LearnSummary } from './learn.js';
export { openSentMessageIndex } from './sent-index.js';
