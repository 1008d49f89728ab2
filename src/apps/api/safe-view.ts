import { SAFE_VIEW_CSP } from '../../report/view/index.js';
import type { IncidentView } from '../../correlate/types.js';
import { renderSafeViewOf } from '../safe-view/index.js';
import type { QuarantineRecord } from '../smtp/index.js';
import { CSP, HttpError, type Principal } from './http.js';
import type { Services } from './services.js';

/**
 * SECURITY: the frame's own policy, sent as a header so that it holds also when the frame URL is opened
 * on its own: `sandbox` (no allow-* token) gives the page an opaque origin — no script, no cookies of
 * ours, no forms, no navigation of the dashboard — and the view's CSP allows only its hashed style block
 * and `data:` images. `frame-ancestors 'self'` lets only the dashboard frame it (X-Frame-Options for
 * browsers without CSP 2).
 */
export const SAFE_VIEW_FRAME_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': `sandbox; ${SAFE_VIEW_CSP}; frame-ancestors 'self'`,
  'X-Frame-Options': 'SAMEORIGIN',
};

/** The dashboard's policy plus `frame-src 'self'`, for the one page that frames the safe view. */
export const SAFE_VIEW_PAGE_CSP = `${CSP}; frame-src 'self'`;

/** The active quarantine record `id`; 404 without a quarantine, 410 once released or deleted. */
export async function viewableRecord(s: Services, id: string): Promise<QuarantineRecord> {
  if (s.quarantine === undefined)
    throw new HttpError(404, 'no quarantine configured (--quarantine DIR)');
  const record = await s.quarantine.dir.get(id);
  // Release and delete remove the message file once no other record needs it: nothing to show.
  if (record.releasedAt) throw new HttpError(410, `${id} was released or deleted`);
  return record;
}

/**
 * The safe-view page of a quarantined message (never the message itself), audited like a download:
 * reading a quarantined mail is an access to possibly personal data.
 */
export async function safeViewHtml(
  s: Services,
  who: Principal,
  id: string,
  lang: 'en' | 'ja',
): Promise<string> {
  const record = await viewableRecord(s, id);
  let message: Uint8Array;
  try {
    message = await s.quarantine!.dir.message(record);
  } catch {
    throw new HttpError(410, `the message of ${id} is no longer in the quarantine`);
  }
  // Bounded by the safe view's own limits (DEFAULT_VIEW_BOUNDS: input, parts, text, images, sections).
  const page = await renderSafeViewOf(message, `${record.id}.eml`, { lang });
  await s.store.auth.appendAudit({
    actor: who.user.name,
    action: 'quarantine.view',
    target: `quarantine:${id}`,
    detail: { sha256: record.sha256 },
  });
  return page;
}

/**
 * The incident's delivering mails that sit, byte for byte, in the quarantine (same SHA-256 as the
 * scanned mail) and are still active: mail artifact id → quarantine id. Empty without a quarantine.
 * The incident view holds at most 200 mails (correlate/view.ts), so the lookups are bounded.
 */
export async function quarantinedMails(
  s: Services,
  view: IncidentView,
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (s.quarantine === undefined || view.mails.length === 0) return out;
  const bySha = new Map<string, string>();
  for (const r of await s.quarantine.dir.list()) if (!r.releasedAt) bySha.set(r.sha256, r.id);
  if (bySha.size === 0) return out;
  for (const mail of view.mails) {
    const artifact = await s.store.getArtifact(mail.artifactId);
    const id = artifact ? bySha.get(artifact.sha256) : undefined;
    if (id !== undefined) out.set(mail.artifactId, id);
  }
  return out;
}
