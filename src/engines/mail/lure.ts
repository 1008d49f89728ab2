import type { Report } from './attachments.js';
import { invoiceLure } from './findings.js';

/** Body characters searched for lure words: lures are in the first lines, and the scan stays cheap. */
const LURE_BODY_CHARS = 64 * 1024;

/**
 * Wording of Emotet's invoice, payment and HR lures, Japanese (JPCERT/CC 2019–2022 alerts) and
 * English. Japanese has no word boundaries, so those match as substrings.
 */
const LURE =
  /御請求書|請求書|御請求|ご請求|御見積書|見積書|御見積|お見積|支払|支拂|送付|振込|振り込み|入金|注文書|発注書|納品書|領収書|賞与|給与|ボーナス|\b(?:invoices?|payments?|remittance|purchase order|overdue|past due|unpaid|wire transfer|bank details|receipt|statement of account|payroll|bonus)\b/gi;

function lureWords(text: string): string[] {
  return [...new Set([...text.matchAll(LURE)].map((m) => m[0].toLowerCase()))].slice(0, 10);
}

/** Reports lure wording in the subject and the body, each as one piece of evidence. */
export function checkLure(
  subject: string | undefined,
  body: string | undefined,
  report: Report,
): void {
  const inSubject = lureWords(subject ?? '');
  if (inSubject.length > 0) {
    report(invoiceLure, {
      location: 'Subject',
      text: subject ?? '',
      note: `lure words: ${inSubject.join(', ')}`,
    });
  }
  const inBody = lureWords((body ?? '').slice(0, LURE_BODY_CHARS));
  if (inBody.length > 0) {
    report(invoiceLure, {
      location: 'body',
      text: inBody.join(', '),
      note: 'lure words in the body',
    });
  }
}
