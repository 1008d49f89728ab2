import type { Evidence } from '../core/index.js';
import type { SightingKind } from '../store/index.js';

/** Values taken from one finding's evidence; bounds a finding with megabytes of indicators. */
export const MAX_ENTITIES_PER_FINDING = 64;

const SHA256 = /\b[0-9a-f]{64}\b/gi;
const IPV4 = /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g;
// Commas end a URL here: evidence lists several URLs comma-separated (PowerShell URL arrays).
const URL = /\bh(?:tt|xx)ps?:\/\/[^\s"'<>`|,]{1,2048}/gi;
const DOMAIN_KEYS =
  /\b(?:QueryName|DestinationHostname|domain|host|query|server_name|sni)[:= ]+([a-z0-9][a-z0-9.-]{1,252}\.[a-z]{2,24})\b/gi;
/** Names a delivered file is opened under: Office documents, archives, shortcuts, OneNote. */
const DOC_NAME =
  /[^\\/:*?"<>|\s]{1,200}\.(?:doc[mx]?|dot[mx]?|xls[mxb]?|xlt[mx]?|ppt[mx]?|rtf|zip|7z|rar|iso|img|lnk|one|hta|js|vbs|wsf)\b/gi;
const HUNT_NOTE_HEAD = /^[^\s|]{1,255} \d{4}-\d\d-\d\dT[\d:.]+Z?/;
/** Cheap test first: the name pattern backtracks on every position of a long line without a match. */
const DOC_HINT = /\.(?:do[ct]|xl[st]|pp[t]|rtf|zip|7z|rar|iso|img|lnk|one|hta|js|vbs|wsf)/i;
const USER_KEY = /(?:^|\|\s*)user=([^|]{1,256})/gm;
const KEYED_SHA = /sha256[= ]([0-9a-f]{64})/gi;

export interface Entity {
  kind: SightingKind;
  value: string;
}

function textsOf(evidence: readonly Evidence[]): string[] {
  const out: string[] = [];
  for (const e of evidence) {
    if (typeof e.text === 'string') out.push(e.text);
    // A hunt note opens with `<host> <time>`: the host (or its client address) is no indicator.
    if (typeof e.note === 'string') out.push(e.note.replace(HUNT_NOTE_HEAD, ''));
    if (typeof e.location === 'string') out.push(e.location);
  }
  return out;
}

const DOC_EXT =
  /\.(?:doc[mx]?|dot[mx]?|xls[mxb]?|xlt[mx]?|ppt[mx]?|rtf|zip|7z|rar|iso|img|lnk|one|hta|js|vbs|wsf)$/i;

/**
 * A delivered file's own name (`in/mail.eml!invoice.docm` → `invoice.docm`) when it is a kind of file a
 * victim opens: the host's logs name it in a command line, a Sysmon 11 TargetFilename or a
 * Zone.Identifier stream even when no mail envelope was stored.
 */
export function documentNameOf(path: string): string | null {
  const key = fileKey(path);
  return key.length <= 200 && DOC_EXT.test(key) ? key : null;
}

/** The last path component, lower-cased: how a host's logs and a mail name the same file. */
export function fileKey(name: string): string {
  const cut = Math.max(name.lastIndexOf('\\'), name.lastIndexOf('/'), name.lastIndexOf('!'));
  return name.slice(cut + 1).toLowerCase();
}

/**
 * Hashes, network indicators, file names and users written in a finding's evidence (hunt notes carry
 * `user=` and `sha256=` keys; IOC hits carry the indicator). Lower-cased, de-duplicated, bounded.
 */
export function entitiesOf(evidence: readonly Evidence[]): Entity[] {
  const seen = new Set<string>();
  const out: Entity[] = [];
  const add = (kind: SightingKind, raw: string) => {
    const value = kind === 'user' ? raw.trim() : raw.trim().toLowerCase();
    const key = `${kind}\u0000${value}`;
    if (value === '' || seen.has(key) || out.length >= MAX_ENTITIES_PER_FINDING) return;
    seen.add(key);
    out.push({ kind, value });
  };
  for (const text of textsOf(evidence)) {
    // SECURITY: evidence is clipped to maxEvidenceChars by the pipeline; the regexes are linear.
    const t = text.slice(0, 8192);
    for (const m of t.matchAll(KEYED_SHA)) add('sha256', m[1]!);
    for (const m of t.matchAll(SHA256)) add('sha256', m[0]);
    for (const m of t.matchAll(URL)) {
      add('url', m[0].replace(/^hxxp/i, 'http').replace(/[.,;:!?)\]}'"]+$/, ''));
    }
    for (const m of t.matchAll(IPV4)) add('ip', m[0]);
    for (const m of t.matchAll(DOMAIN_KEYS)) add('domain', m[1]!);
    if (DOC_HINT.test(t)) for (const m of t.matchAll(DOC_NAME)) add('file', fileKey(m[0]));
    for (const m of t.matchAll(USER_KEY)) add('user', m[1]!);
  }
  return out;
}

/** Whether two findings sharing this entity are the same attack seen twice. */
export function isLinkingKind(kind: SightingKind, value = ''): boolean {
  if (kind === 'user') return value.startsWith(ACCOUNT);
  return (
    kind === 'sha256' || kind === 'file' || kind === 'url' || kind === 'ip' || kind === 'domain'
  );
}

/** Prefix of the account keys that tie a Windows logon to a mailbox (`user` sightings). */
export const ACCOUNT = 'account:';

/**
 * `VICTIM\tanaka` → `account:tanaka@victim`: the account and its NetBIOS domain, keyed the way a
 * mailbox `tanaka@victim.example.co.jp` of the same organisation is (`mailboxAccountKeys`).
 */
export function userAccountKey(user: string): string | null {
  const m = /^([A-Za-z0-9-]{3,15})\\([^\\@\s]{1,64})$/.exec(user.trim());
  return m === null ? null : `${ACCOUNT}${m[2]!.toLowerCase()}@${m[1]!.toLowerCase()}`;
}

/** One key per domain label of 3+ characters: `tanaka@victim.example.co.jp` → `…@victim`, `…@example`. */
export function mailboxAccountKeys(address: string): string[] {
  const at = address.lastIndexOf('@');
  if (at <= 0) return [];
  const local = address.slice(0, at).toLowerCase();
  const labels = address
    .slice(at + 1)
    .toLowerCase()
    .split('.')
    .slice(0, -1);
  return labels
    .filter((l) => l.length >= 3)
    .slice(0, 4)
    .map((l) => `${ACCOUNT}${local}@${l}`);
}
