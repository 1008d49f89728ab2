import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import {
  concatBytes,
  DEFAULT_LIMITS,
  describeError,
  walkResults,
  type Limits,
  type ScanResult,
} from '../../core/index.js';
import { decodeEncodedWords, tagMessage } from '../../formats/mime/index.js';
import { decide, type Action, type Decision, type Policy } from '../../pipeline/index.js';
import type { Scanner } from '../scan-runner/index.js';
import { planMailDisarm, type AttachmentOutcome, type MailDisarmOptions } from './disarm-mail.js';
import type { QuarantineDir } from './quarantine.js';
import type { createRelay, Envelope } from './relay.js';

export interface FilterOptions {
  scanner: Scanner;
  policy: Policy;
  relay: ReturnType<typeof createRelay>;
  quarantine: QuarantineDir;
  /** Bytes accepted per message (announced in EHLO SIZE and enforced while receiving). */
  maxSize: number;
  /**
   * Wall time per message until it is committed (relayed or quarantined); past it the client gets 451 and
   * retries. A relay or quarantine write already begun is waited for (bounded by the relay's own timeouts).
   */
  timeoutMs: number;
  hostname: string;
  /** Limits for the `disarm` action's disarmers and re-scans (default: the built-in limits). */
  limits?: Readonly<Limits>;
  /** Replaces the built-in format disarmers (tests, benchmarks). */
  disarmers?: MailDisarmOptions['disarmers'];
  /** Called once per message with the outcome (log line, store). Never throws into the SMTP session. */
  onMessage?: (event: FilterEvent) => void | Promise<void>;
}

export interface FilterEvent {
  envelope: Envelope;
  result?: ScanResult;
  decision?: Decision;
  /** What the client was told. */
  reply: string;
  quarantineId?: string;
  /** The `disarm` action: what happened to each attachment, and why a refusal fell back. */
  disarm?: {
    status: 'disarmed' | 'unchanged' | 'refused';
    attachments: AttachmentOutcome[];
    reason?: string;
  };
  error?: string;
}

/** A reply the filter itself decided (552, 550, 451): passed to the client as is. */
class FilterReply extends Error {
  constructor(
    readonly responseCode: number,
    text: string,
  ) {
    super(text);
  }
}
type SmtpError = FilterReply;
const smtpError = (code: number, text: string): FilterReply => new FilterReply(code, text);

/**
 * The content filter: an SMTP server that receives a message, scans it, applies the policy, and re-injects
 * it (delivered or tagged) to the next hop — Postfix's after-queue `content_filter` and before-queue
 * `smtpd_proxy_filter` patterns alike. SECURITY (no loss, no duplicate): 250 is answered only after the next
 * hop accepted the message or the quarantine write is durable; any failure or timeout answers 451 so the
 * sending MTA keeps the message and retries.
 */
export function createFilterServer(options: FilterOptions): SMTPServer {
  return new SMTPServer({
    name: options.hostname,
    banner: 'emoguard content filter',
    size: options.maxSize,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    // Postfix speaks ESMTP with pipelining to content filters; keep the connection for the next message.
    socketTimeout: Math.max(options.timeoutMs * 2, 60_000),
    onData(stream, session, callback) {
      void handle(stream, session, options).then(
        (reply) => callback(null, reply),
        (error: SmtpError) => callback(error),
      );
    },
  });
}

async function handle(
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  options: FilterOptions,
): Promise<string> {
  const envelope: Envelope = {
    from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
    to: session.envelope.rcptTo.map((r) => r.address),
  };
  const chunks: Uint8Array[] = [];
  let kept = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    // SECURITY: smtp-server keeps emitting data past SIZE; drained, not kept, so memory per connection is
    // bounded by --max-size whatever the client sends.
    if (kept > options.maxSize) continue;
    chunks.push(chunk);
    kept += chunk.length;
  }
  if (stream.sizeExceeded || kept > options.maxSize) {
    const error = smtpError(
      552,
      `5.3.4 Message size exceeds the limit of ${options.maxSize} bytes`,
    );
    await report(options, { envelope, reply: error.message, error: 'size' });
    throw error;
  }
  const raw = concatBytes(chunks);
  const clock = new Clock();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (clock.expire()) reject(new Error(`timed out after ${options.timeoutMs} ms`));
    }, options.timeoutMs);
  });
  try {
    return await Promise.race([filterMessage(raw, envelope, session, options, clock), timeout]);
  } catch (error) {
    // Our own replies pass through; anything else (the next hop's answer included) becomes our 451.
    if (error instanceof FilterReply) throw error;
    const reply = '4.7.1 Temporary content filter failure, try again later';
    await report(options, { envelope, reply, error: describeError(error) });
    throw smtpError(451, reply);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One message's timeout, split at the commit (relay or quarantine write). SECURITY (no loss, no duplicate):
 * once the timeout has answered 451 the message is the sending MTA's again, so nothing may relay or
 * quarantine it any more — a late delivery plus Postfix's retry was a duplicate; once a commit has begun,
 * the timeout no longer answers 451 — the commit's outcome decides the reply (the relay is bounded by its
 * own connection and socket timeouts, well inside Postfix's smtp_data_done_timeout of 600 s).
 */
class Clock {
  private state: 'running' | 'committed' | 'expired' = 'running';

  /** The timer fired: true when the 451 is still ours to answer. */
  expire(): boolean {
    if (this.state !== 'running') return false;
    this.state = 'expired';
    return true;
  }

  /** Before anything that delivers or keeps the message, or answers a final 5xx. */
  commit(): void {
    if (this.state === 'expired') throw new Error('timed out before delivery; not delivered');
    this.state = 'committed';
  }
}

async function filterMessage(
  raw: Uint8Array,
  envelope: Envelope,
  session: SMTPServerSession,
  options: FilterOptions,
  clock: Clock,
): Promise<string> {
  const result = await options.scanner.scan(`smtp:${session.id}`, raw);
  const decision = decide(result, options.policy);
  const event: FilterEvent = { envelope, result, decision, reply: '' };
  let action: Action = decision.action;
  if (action === 'disarm') {
    const plan = await planMailDisarm(raw, result, {
      limits: options.limits ?? DEFAULT_LIMITS,
      ...(options.disarmers ? { disarmers: options.disarmers } : {}),
    });
    event.disarm = {
      status: plan.status,
      attachments: plan.attachments,
      ...(plan.status === 'refused' ? { reason: plan.reason } : {}),
    };
    if (plan.status === 'disarmed') {
      clock.commit();
      await deliverDisarmed(raw, plan.build, result, decision, envelope, options, event);
      await report(options, event);
      return event.reply;
    }
    // Nothing to remove → delivered with the warning; cannot be made safe → the policy's fallback.
    action = plan.status === 'unchanged' ? 'tag' : options.policy.disarm.onRefusal;
    decision.reasons.push(
      plan.status === 'unchanged'
        ? 'disarm: nothing to remove → tag'
        : `disarm refused (${plan.reason}) → ${action}`,
    );
  }
  // Rewritten before the commit: on the clock, and nothing is sent yet if it fails.
  const tagged =
    action === 'tag'
      ? tagMessage(raw, {
          header: options.policy.tag.header,
          value: verdictHeader(result),
          ...(options.policy.tag.subjectPrefix[result.verdict]
            ? { subjectPrefix: options.policy.tag.subjectPrefix[result.verdict]! }
            : {}),
        })
      : undefined;
  clock.commit();
  switch (action) {
    case 'deliver':
      await options.relay.send(envelope, raw);
      event.reply = `2.0.0 Ok: scanned ${result.verdict}, delivered`;
      break;
    case 'tag': {
      await options.relay.send(envelope, tagged!);
      event.reply = `2.0.0 Ok: scanned ${result.verdict}, delivered with a warning`;
      break;
    }
    case 'reject': {
      event.reply = `5.7.1 Message rejected: ${result.verdict} content (${topFindings(result).join(', ')})`;
      await report(options, event);
      throw smtpError(550, event.reply);
    }
    case 'quarantine': {
      const record = await options.quarantine.put(
        raw,
        quarantineFields(raw, result, decision, envelope, action),
      );
      event.quarantineId = record.id;
      event.reply = `2.0.0 Ok: scanned ${result.verdict}, quarantined as ${record.id}`;
      break;
    }
  }
  await report(options, event);
  return event.reply;
}

/**
 * The original goes to quarantine first (durably), then the disarmed copy — which names the quarantine
 * id in its note — to the next hop. SECURITY (no loss, no duplicate): if the next hop fails, the record
 * is closed and the sending MTA retries the whole message after our 451.
 */
async function deliverDisarmed(
  raw: Uint8Array,
  build: (quarantineId: string) => Uint8Array,
  result: ScanResult,
  decision: Decision,
  envelope: Envelope,
  options: FilterOptions,
  event: FilterEvent,
): Promise<void> {
  const removed = (event.disarm?.attachments ?? []).flatMap((a) => a.removed.map((r) => r.kind));
  const record = await options.quarantine.put(raw, {
    ...quarantineFields(raw, result, decision, envelope, 'disarm'),
    reasons: [
      ...decision.reasons,
      `disarmed copy delivered: ${[...new Set(removed)].join(', ')} removed`,
    ],
  });
  event.quarantineId = record.id;
  try {
    await options.relay.send(envelope, build(record.id));
  } catch (error) {
    await options.quarantine.close(
      record,
      'disarmed delivery failed; the sending MTA retries',
      true,
    );
    throw error;
  }
  event.reply = `2.0.0 Ok: scanned ${result.verdict}, delivered disarmed (${removed.length} removed), original quarantined as ${record.id}`;
}

function quarantineFields(
  raw: Uint8Array,
  result: ScanResult,
  decision: Decision,
  envelope: Envelope,
  action: Action,
) {
  return {
    receivedAt: new Date().toISOString(),
    envelope,
    subject: subjectOf(raw),
    verdict: result.verdict,
    action,
    reasons: decision.reasons,
    findings: topFindings(result),
  };
}

async function report(options: FilterOptions, event: FilterEvent): Promise<void> {
  try {
    await options.onMessage?.(event);
  } catch {
    // Logging and storing are best effort: the mail's fate is already decided and answered for.
  }
}

/** `suspicious (mail.auth-fail, vba.autoexec-entrypoint)`: what a mail client rule can match on. */
function verdictHeader(result: ScanResult): string {
  const ids = topFindings(result);
  return ids.length > 0 ? `${result.verdict} (${ids.join(', ')})` : result.verdict;
}

const SHOWN = ['medium', 'high', 'critical'];

/** The most severe finding ids of the whole tree, worst first. */
function topFindings(result: ScanResult): string[] {
  const found = [...walkResults(result)]
    .flatMap(([node]) => node.findings)
    .filter((f) => SHOWN.includes(f.severity));
  found.sort((a, b) => SHOWN.indexOf(b.severity) - SHOWN.indexOf(a.severity));
  return [...new Set(found.map((f) => f.id))].slice(0, 8);
}

function subjectOf(raw: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(raw.subarray(0, 64 * 1024));
  const folded = /^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1] ?? '';
  return decodeEncodedWords(folded.replace(/\r?\n[ \t]+/g, ' ')).slice(0, 500);
}
