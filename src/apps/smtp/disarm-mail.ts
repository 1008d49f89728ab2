import {
  describeError,
  sha256Hex,
  verdictOf,
  type Engine,
  type FileType,
  type Limits,
  type ScanResult,
  type Verdict,
} from '../../core/index.js';
import type { Disarmer, DisarmStatus, Removal } from '../../engines/disarm/index.js';
import { MAX_MAIL_PARTS, tagMessage } from '../../formats/mime/index.js';
import { disarmInput } from '../../pipeline/index.js';
import { disarmNote } from './disarm-note.js';
import { replacedPart, withNote } from './mime-rewrite.js';
import {
  decodeBody,
  fieldValue,
  filenameOf,
  leaves,
  parseMimeTree,
  type MimeEntity,
} from './mime-parts.js';

export interface MailDisarmOptions {
  limits: Readonly<Limits>;
  /** Replaces the built-in format disarmers (tests, benchmarks). */
  disarmers?: Readonly<Partial<Record<FileType, Disarmer>>>;
  /** Engines for the re-scans (default: every registered engine). */
  engines?: readonly Engine[];
}

/** What happened to one attachment. `kept`: not a document, scanned clean, delivered as it came. */
export interface AttachmentOutcome {
  /** MIME part number (`2`, `1.3`). */
  part: string;
  name: string;
  newName?: string;
  status: DisarmStatus | 'kept';
  removed: Removal[];
  refusal?: string;
  reason?: string;
}

export type MailDisarmPlan =
  /** Something was removed: `build` writes the mail to deliver, naming the quarantined original. */
  | {
      status: 'disarmed';
      attachments: AttachmentOutcome[];
      build(quarantineId: string): Uint8Array;
    }
  /** Every attachment was already clean: nothing to replace (the filter delivers the mail tagged). */
  | { status: 'unchanged'; attachments: AttachmentOutcome[] }
  /** Some attachment (or the mail itself) cannot be made safe: the policy's fallback applies. */
  | { status: 'refused'; attachments: AttachmentOutcome[]; reason: string };

export const DISARMED_HEADER = 'X-Emoguard-Disarmed';

interface Replacement {
  leaf: MimeEntity;
  outcome: AttachmentOutcome;
  output: Uint8Array;
}

/**
 * Plans the gateway's `disarm` action for one scanned mail: every attachment that is an Office document
 * is disarmed (and its copy re-scanned clean); every other attachment must have been scanned clean and
 * not flagged by name; the mail's own findings must not make it malicious. Anything else refuses the
 * whole mail — never half a disarm.
 */
export async function planMailDisarm(
  raw: Uint8Array,
  result: ScanResult,
  options: MailDisarmOptions,
): Promise<MailDisarmPlan> {
  const attachments: AttachmentOutcome[] = [];
  const own = verdictOf(result.findings, []);
  if (own === 'malicious') {
    const ids = [
      ...new Set(result.findings.filter((f) => f.severity === 'critical').map((f) => f.id)),
    ];
    return {
      status: 'refused',
      attachments,
      reason: `the message itself is malicious (${ids.join(', ')})`,
    };
  }
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  let root: MimeEntity;
  try {
    root = parseMimeTree(text, { maxParts: MAX_MAIL_PARTS });
  } catch (error) {
    return { status: 'refused', attachments, reason: describeError(error) };
  }
  const scanned = scannedAttachments(result);
  const replacements: Replacement[] = [];
  for (const leaf of leaves(root)) {
    if (!isAttachment(leaf)) continue;
    const bytes = decodeBody(text, leaf);
    const name = filenameOf(leaf) ?? `part ${leaf.id}`;
    const outcome = await disarmPart(leaf, name, bytes, scanned, options);
    attachments.push(outcome.outcome);
    if (outcome.output)
      replacements.push({ leaf, outcome: outcome.outcome, output: outcome.output });
  }
  const refused = attachments.filter((a) => a.status === 'refused');
  if (refused.length > 0) {
    const reason = refused.map((a) => `${a.name}: ${a.refusal} (${a.reason ?? ''})`).join('; ');
    return { status: 'refused', attachments, reason };
  }
  if (replacements.length === 0) return { status: 'unchanged', attachments };
  return {
    status: 'disarmed',
    attachments,
    build: (quarantineId) => buildMail(text, replacements, attachments, quarantineId),
  };
}

/** Bodies and inline text are the message, not attachments; everything with a name or a non-text type is. */
function isAttachment(leaf: MimeEntity): boolean {
  const disposition = (fieldValue(leaf.fields, 'content-disposition') ?? '').toLowerCase();
  if (disposition.startsWith('attachment') || filenameOf(leaf) !== undefined) return true;
  return !leaf.type.startsWith('text/') && !leaf.type.startsWith('multipart/');
}

interface ScannedAttachment {
  verdict: Verdict;
  /** Named by one of the mail's own medium+ findings (dangerous type, double extension, RTLO …). */
  isFlagged: boolean;
}

/** The scan's attachment children by content hash, with what the mail engine said about each name. */
function scannedAttachments(result: ScanResult): Map<string, ScannedAttachment> {
  const flagged = new Set(
    result.findings
      .filter((f) => f.severity === 'medium' || f.severity === 'high' || f.severity === 'critical')
      .flatMap((f) => f.evidence.map((e) => e.location)),
  );
  const map = new Map<string, ScannedAttachment>();
  for (const child of result.children) {
    const label = child.path.slice(child.path.lastIndexOf('!') + 1);
    const isFlagged = flagged.has(label) || (map.get(child.sha256)?.isFlagged ?? false);
    const worse = map.get(child.sha256)?.verdict;
    const verdict = worse && worse !== 'clean' ? worse : child.verdict;
    map.set(child.sha256, { verdict, isFlagged });
  }
  return map;
}

async function disarmPart(
  leaf: MimeEntity,
  name: string,
  bytes: Uint8Array,
  scanned: Map<string, ScannedAttachment>,
  options: MailDisarmOptions,
): Promise<{ outcome: AttachmentOutcome; output?: Uint8Array }> {
  const report = await disarmInput(
    { path: name, bytes },
    {
      limits: options.limits,
      ...(options.disarmers ? { disarmers: options.disarmers } : {}),
      ...(options.engines ? { engines: options.engines } : {}),
    },
  );
  const base = { part: leaf.id, name, removed: report.removed };
  if (report.status === 'refused' && report.refusal === 'unsupported') {
    // Not a document disarm knows: it may stay as it came only if the scan saw it and found it clean,
    // and the mail engine did not flag its name (an .exe or .lnk scans "clean" as content).
    const seen = scanned.get(sha256Hex(bytes));
    if (seen && seen.verdict === 'clean' && !seen.isFlagged) {
      return { outcome: { ...base, status: 'kept' } };
    }
    if (!seen)
      report.reason = `${report.reason ?? ''}; it was not matched with a scanned attachment`;
    else if (seen.isFlagged) report.reason = `${report.reason ?? ''}; the mail scan flagged it`;
  }
  if (report.status === 'refused' || !report.output) {
    return {
      outcome: {
        ...base,
        status: 'refused',
        refusal: report.refusal ?? 'malformed',
        ...(report.reason ? { reason: report.reason } : {}),
      },
    };
  }
  if (report.status === 'unchanged') return { outcome: { ...base, status: 'unchanged' } };
  const ext = report.outputExtension;
  const oldExt = /\.[^./\\]{1,8}$/.exec(name)?.[0] ?? '';
  const isConverted = ext !== undefined && ext.toLowerCase() !== oldExt.toLowerCase();
  const newName = isConverted ? `${name.slice(0, name.length - oldExt.length)}${ext}` : undefined;
  return {
    outcome: { ...base, status: 'disarmed', ...(newName ? { newName } : {}) },
    output: report.output,
  };
}

function buildMail(
  text: string,
  replacements: readonly Replacement[],
  attachments: readonly AttachmentOutcome[],
  quarantineId: string,
): Uint8Array {
  const eol = /\r\n/.test(text.slice(0, 8192)) ? '\r\n' : '\n';
  let out = '';
  let pos = 0;
  for (const r of [...replacements].sort((a, b) => a.leaf.start - b.leaf.start)) {
    out += text.slice(pos, r.leaf.start) + replacedPart(r.leaf, r.outcome.newName, r.output, eol);
    pos = r.leaf.end;
  }
  out += text.slice(pos);
  const note = disarmNote(
    attachments
      .filter((a) => a.status === 'disarmed')
      .map((a) => ({
        name: a.name,
        ...(a.newName ? { newName: a.newName } : {}),
        kinds: a.removed.map((r) => r.kind),
      })),
    quarantineId,
  );
  out = withNote(out, note, eol);
  const removed = attachments.reduce((n, a) => n + a.removed.length, 0);
  return tagMessage(Buffer.from(out, 'latin1'), {
    header: DISARMED_HEADER,
    value: `${removed} item(s) removed from ${replacements.length} attachment(s); original quarantined as ${quarantineId}`,
  });
}
