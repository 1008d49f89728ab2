/**
 * @module smtp — the mail gateway: a Postfix content filter (RFC 5321 SMTP in and out, amavisd-new's
 * after-queue `content_filter` and before-queue `smtpd_proxy_filter` patterns), the quarantine, and the
 * clamd protocol (clamd(8)) for rspamd/amavisd-new.
 *
 * @example
 * const server = createFilterServer({ scanner, policy, relay, quarantine, maxSize, timeoutMs, hostname });
 * server.listen(10025, '127.0.0.1');
 */
export { createClamdServer } from './clamd.js';
export type { ClamdOptions } from './clamd.js';
export { createFilterServer } from './filter.js';
export type { FilterEvent, FilterOptions } from './filter.js';
export { normalizeQuarantineRecord, QuarantineDir } from './quarantine.js';
export type { QuarantineCloseInput, QuarantineRecord } from './quarantine.js';
export { createRelay, parseHostPort } from './relay.js';
export type { Envelope, NextHop } from './relay.js';
