/**
 * Where did each bench mail go: the sink's deliveries and bounces, the quarantine records, Postfix's log
 * (maillog_file of the private instance: queue ids by Message-ID, `status=deferred|sent|bounced`) and the
 * filter's own log lines, joined per mail. Issue 4's promise is "never lost, never duplicated"; a deferral
 * (451, connection failure) retried later is allowed and counted apart.
 */

export interface Observed {
  /** Mail n → how many times the sink received it (envelope sender bench-n). */
  delivered: Map<number, number>;
  /** Mail n → bounces received for it (sender <>, X-Bench-Id n in the returned headers). */
  bounced: Map<number, number>;
  /** Mail n → quarantine records naming it. */
  quarantined: Map<number, number>;
}

export interface AccountInputs {
  postfixLog: string;
  queue: Array<{ queue_id: string; sender: string; recipients: Array<{ delay_reason?: string }> }>;
  postcat(queueId: string): string;
  filterLines: readonly string[];
  messageIdOf(n: number): string;
  senderOf(n: number): string;
  malicious(n: number): boolean;
  settleSeconds: number;
}

export interface Account {
  count: number;
  delivered: number;
  quarantined: number;
  deferredThenDelivered: number;
  deferredThenQuarantined: number;
  bounced: number[];
  /** Neither delivered nor quarantined, not bounced, and no longer in Postfix's queue. */
  lost: number[];
  /** Still in Postfix's queue at the end (deferred, not lost). */
  stillQueued: number[];
  /** Delivered more than once, or delivered and quarantined. */
  duplicated: number[];
  /** Postfix `status=deferred` lines, all hops; those towards the filter are also the filter's 451s. */
  deferrals: number;
  /** Deferral reasons, most frequent first. */
  deferralReasons: Array<[string, number]>;
  /** Filter log lines answering 451. */
  filter451: number;
  /** The evidence for each mail not accounted for exactly once. */
  details: string[];
}

const LOG_LINE = /^\S+\s+\d+\s+[\d:]+\s+\S+\s+postfix\/[\w/-]+\[\d+\]:\s+([0-9A-F]{6,}):\s+(.*)$/;

export function account(count: number, seen: Observed, inputs: AccountInputs): Account {
  const idToN = new Map<string, number>();
  for (let n = 0; n < count; n++) idToN.set(inputs.messageIdOf(n), n);
  const qidToN = new Map<string, number>();
  const linesOf = new Map<string, string[]>();
  const statusLines: Array<[string, string]> = [];
  for (const line of inputs.postfixLog.split('\n')) {
    const m = LOG_LINE.exec(line);
    if (!m) continue;
    const [, qid, rest] = m as unknown as [string, string, string];
    (linesOf.get(qid) ?? linesOf.set(qid, []).get(qid)!).push(line);
    const mid = /^message-id=<([^>]*)>/.exec(rest);
    if (mid && idToN.has(mid[1]!)) qidToN.set(qid, idToN.get(mid[1]!)!);
    if (/ status=/.test(rest)) statusLines.push([qid, rest]);
  }
  const deferralsOf = new Map<number, number>();
  const reasons = new Map<string, number>();
  let deferrals = 0;
  for (const [qid, rest] of statusLines) {
    if (!/ status=deferred/.test(rest)) continue;
    deferrals++;
    const n = qidToN.get(qid);
    if (n !== undefined) deferralsOf.set(n, (deferralsOf.get(n) ?? 0) + 1);
    const reason = (/status=deferred \((.*)\)$/.exec(rest)?.[1] ?? rest)
      .replace(/\b[0-9A-F]{8,}\b/g, '<id>')
      .replace(/\d+(\.\d+)? ?(ms|s)\b/g, 'N$2')
      .slice(0, 160);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const filter451Of = new Map<number, number>();
  let filter451 = 0;
  const filterLinesOf = new Map<number, string[]>();
  for (const line of inputs.filterLines) {
    const n = Number(/from=<bench-(\d+)@/.exec(line)?.[1] ?? -1);
    if (n < 0) continue;
    (filterLinesOf.get(n) ?? filterLinesOf.set(n, []).get(n)!).push(line);
    if (/ 4\.\d\.\d /.test(line)) {
      filter451++;
      filter451Of.set(n, (filter451Of.get(n) ?? 0) + 1);
    }
  }
  const queuedSenders = new Set(inputs.queue.map((q) => q.sender));
  const result: Account = {
    count,
    delivered: 0,
    quarantined: 0,
    deferredThenDelivered: 0,
    deferredThenQuarantined: 0,
    bounced: [],
    lost: [],
    stillQueued: [],
    duplicated: [],
    deferrals,
    deferralReasons: [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8),
    filter451,
    details: [],
  };
  for (let n = 0; n < count; n++) {
    const d = seen.delivered.get(n) ?? 0;
    const q = seen.quarantined.get(n) ?? 0;
    const b = seen.bounced.get(n) ?? 0;
    const deferred = (deferralsOf.get(n) ?? 0) + (filter451Of.get(n) ?? 0) > 0;
    let problem: string | undefined;
    if (d + q > 1) {
      result.duplicated.push(n);
      problem = `duplicated (delivered ${d}×, quarantined ${q}×)`;
    } else if (b > 0) {
      result.bounced.push(n);
      problem = `bounced ${b}×`;
    } else if (d + q === 0) {
      if (queuedSenders.has(inputs.senderOf(n))) {
        result.stillQueued.push(n);
        problem = `still in Postfix's queue after ${inputs.settleSeconds} s`;
      } else {
        result.lost.push(n);
        problem = 'LOST: not delivered, not quarantined, not bounced, not queued';
      }
    } else if (d === 1) {
      if (deferred) result.deferredThenDelivered++;
      else result.delivered++;
    } else if (deferred) result.deferredThenQuarantined++;
    else result.quarantined++;
    if (problem && result.details.length < 10)
      result.details.push(evidence(n, problem, qidToN, linesOf, filterLinesOf, inputs));
  }
  return result;
}

function evidence(
  n: number,
  problem: string,
  qidToN: ReadonlyMap<string, number>,
  linesOf: ReadonlyMap<string, string[]>,
  filterLinesOf: ReadonlyMap<number, string[]>,
  inputs: AccountInputs,
): string {
  const qids = [...qidToN].filter(([, m]) => m === n).map(([qid]) => qid);
  const queued = inputs.queue.filter((q) => q.sender === inputs.senderOf(n));
  return [
    `mail ${n} <${inputs.messageIdOf(n)}>${inputs.malicious(n) ? ' (malicious)' : ''}: ${problem}`,
    `  Postfix queue ids: ${qids.join(', ') || 'none (never received by Postfix?)'}`,
    ...qids.flatMap((qid) => (linesOf.get(qid) ?? []).map((l) => `  log: ${l}`)),
    ...queued.map((q) => `  queued: ${JSON.stringify(q)}`),
    ...queued.map(
      (q) => `  postcat: ${inputs.postcat(q.queue_id).split('\n').slice(0, 12).join(' | ')}`,
    ),
    ...(filterLinesOf.get(n) ?? []).map((l) => `  filter: ${l}`),
  ].join('\n');
}

export function describeAccount(a: Account): string {
  const list = (ns: number[]) =>
    ns.length > 0 ? ` (${ns.slice(0, 10).join(', ')}${ns.length > 10 ? ', …' : ''})` : '';
  return (
    `accounting of ${a.count} mails: ${a.delivered} delivered, ${a.quarantined} quarantined, ` +
    `${a.deferredThenDelivered} deferred then delivered, ${a.deferredThenQuarantined} deferred then quarantined, ` +
    `${a.bounced.length} bounced${list(a.bounced)}, ${a.stillQueued.length} still queued${list(a.stillQueued)}, ` +
    `${a.lost.length} LOST${list(a.lost)}, ${a.duplicated.length} DUPLICATED${list(a.duplicated)}; ` +
    `${a.deferrals} Postfix deferrals, ${a.filter451} filter 451s` +
    (a.deferralReasons.length > 0
      ? `\n    deferral reasons: ${a.deferralReasons.map(([r, k]) => `${k}× ${r}`).join('; ')}`
      : '') +
    (a.details.length > 0 ? `\n${a.details.join('\n')}` : '')
  );
}
