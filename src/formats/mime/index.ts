/**
 * @module formats/mime — RFC 5322 messages with MIME (RFC 2045–2047, 2231) bodies and attachments,
 * and RFC 8601 Authentication-Results. Wraps mailparser's streaming parser behind emoguard's own
 * types, bounded for hostile input (parts, header bytes, attachments, text size), and decodes the
 * Japanese charsets (ISO-2022-JP, Shift_JIS, EUC-JP) that Emotet's Japanese lures used.
 * Specs: https://www.rfc-editor.org/rfc/rfc5322 https://www.rfc-editor.org/rfc/rfc2047
 * https://www.rfc-editor.org/rfc/rfc2231 https://www.rfc-editor.org/rfc/rfc8601
 */
export { parseAuthenticationResults } from './auth-results.js';
export { decodeEncodedWords } from './encoded-words.js';
export { decodeHtmlEntities, htmlToText, MAX_HTML_TEXT_CHARS } from './html-text.js';
export { MAX_MAIL_HEADERS } from './headers.js';
export { readHeaderBlock, type MailHeaderBlock } from './header-block.js';
export { findPasswordCandidates, MAX_PASSWORD_CANDIDATES } from './passwords.js';
export { MAX_MBOX_MESSAGES, splitMbox } from './mbox.js';
export { tagMessage } from './tag.js';
export type { TagOptions } from './tag.js';
export type { MboxMessage } from './mbox.js';
export { looksLikeMail } from './looks-like-mail.js';
export {
  MAX_MAIL_ATTACHMENTS,
  MAX_MAIL_HEADER_BYTES,
  MAX_MAIL_PARTS,
  MAX_MAIL_TEXT_CHARS,
  MIME_LIMIT_CODES,
  parseMail,
} from './parse.js';
export type {
  Address,
  AuthResult,
  MailAttachment,
  MailHeader,
  ParsedMail,
  ParseMailOptions,
} from './types.js';
