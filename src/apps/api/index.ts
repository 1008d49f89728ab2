/**
 * @module api — the HTTP side of `emoguard serve` (RFC 9110 semantics over node:http): JSON under /api/,
 * the dashboard's pages elsewhere, behind one gate — local users with scrypt password hashes (RFC 7914),
 * sessions in HttpOnly SameSite=Strict cookies (RFC 6265bis) with idle expiry, bearer API tokens
 * (RFC 6750) stored as SHA-256 digests, roles viewer < analyst < admin, synchronizer-token + Origin CSRF
 * protection (OWASP CSRF Prevention Cheat Sheet), login throttling, and a strict CSP (W3C CSP Level 3).
 *
 * @example
 * const app = createApp({ store, quarantine: { dir: new QuarantineDir('quarantine') } });
 * const server = await listen(app, '127.0.0.1', 8080);
 */
export { createApp, type ApiApp, type ApiOptions, type Route } from './app.js';
export { Auth, SESSION_COOKIE, CSRF_FIELD, CSRF_HEADER, type AuthOptions } from './auth.js';
export { CSP, MAX_BODY_BYTES, SECURITY_HEADERS } from './http.js';
export {
  checkPasswordPolicy,
  hashPassword,
  MIN_PASSWORD_LENGTH,
  SCRYPT_DEFAULTS,
  verifyPassword,
  type ScryptCost,
} from './password.js';
export { encryptedZip, type QuarantineAccess } from './quarantine.js';
export { digest, newApiToken } from './secrets.js';
export { listen } from './server.js';
export type { RenderIncidentReport, ReportFile, ViewIncident } from './services.js';
