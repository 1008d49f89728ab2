/**
 * One more message in a test dashboard's quarantine, filed with the envelope, verdict and findings of
 * the mail `startDashboard({ quarantine: true })` quarantined, under its own subject and bytes.
 */
import type { QuarantineRecord } from '../../src/apps/smtp/index.js';
import type { Dashboard } from './dashboard.js';

export function quarantineAnother(
  d: Dashboard,
  bytes: Uint8Array,
  subject: string,
): Promise<QuarantineRecord> {
  const { envelope, verdict, action, reasons, findings } = d.quarantined!;
  return d.app.services.quarantine!.dir.put(bytes, {
    receivedAt: new Date().toISOString(),
    envelope,
    subject,
    verdict,
    action,
    reasons,
    findings,
  });
}
