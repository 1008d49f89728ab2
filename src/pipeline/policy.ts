import {
  ConfigError,
  isVerdict,
  walkResults,
  type ScanResult,
  type Verdict,
} from '../core/index.js';

/**
 * The gateway's verdict policy: which action each verdict gets, and findings that force an action whatever
 * the verdict (README "Mail gateway"). Actions from the mildest: deliver, tag (header + subject prefix),
 * disarm (deliver a disarmed copy, keep the original in quarantine), quarantine, reject.
 */
export const ACTIONS = ['deliver', 'tag', 'disarm', 'quarantine', 'reject'] as const;
export type Action = (typeof ACTIONS)[number];

export interface Policy {
  verdicts: Record<Verdict, Action>;
  /** Finding ids (a trailing `*` matches a prefix) that force at least this action. */
  findings: { id: string; action: Action }[];
  tag: { header: string; subjectPrefix: Partial<Record<Verdict, string>> };
  /**
   * The `disarm` action's fallback when a mail cannot be disarmed (an encrypted or unsupported attachment,
   * a copy that does not re-scan clean): keep it out (`quarantine`, `reject`) or deliver it with a
   * warning (`tag`).
   */
  disarm: { onRefusal: DisarmFallback };
}

export const DISARM_FALLBACKS = ['tag', 'quarantine', 'reject'] as const;
export type DisarmFallback = (typeof DISARM_FALLBACKS)[number];

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  verdicts: { clean: 'deliver', suspicious: 'tag', malicious: 'quarantine' },
  findings: [
    // Executables and scripts have no business in business mail (Emotet's 2022 LNK and OneNote waves).
    { id: 'mail.dangerous-attachment-type', action: 'quarantine' },
    { id: 'mail.rtlo-filename', action: 'quarantine' },
  ],
  tag: {
    header: 'X-Emoguard-Verdict',
    subjectPrefix: { suspicious: '[SUSPICIOUS] ', malicious: '[MALICIOUS] ' },
  },
  disarm: { onRefusal: 'quarantine' },
}) as Policy;

export interface Decision {
  action: Action;
  verdict: Verdict;
  /** Why: the verdict's action and each finding rule that raised it. */
  reasons: string[];
}

const rank = (a: Action) => ACTIONS.indexOf(a);

/** The strictest action that the verdict and the matching finding rules ask for. */
export function decide(result: ScanResult, policy: Policy): Decision {
  let action = policy.verdicts[result.verdict];
  const reasons = [`verdict ${result.verdict} → ${action}`];
  const ids = new Set([...walkResults(result)].flatMap(([node]) => node.findings.map((f) => f.id)));
  for (const rule of policy.findings) {
    const hit = [...ids].find((id) =>
      rule.id.endsWith('*') ? id.startsWith(rule.id.slice(0, -1)) : id === rule.id,
    );
    if (!hit) continue;
    reasons.push(`finding ${hit} → ${rule.action}`);
    if (rank(rule.action) > rank(action)) action = rule.action;
  }
  return { action, verdict: result.verdict, reasons };
}

/** Validates a policy object (parsed from YAML by the caller), filling what it leaves out from the default. */
export function resolvePolicy(raw: unknown, source = 'policy'): Policy {
  if (raw === null || raw === undefined) return structuredClone(DEFAULT_POLICY) as Policy;
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(source, 'the policy must be a mapping');
  const doc = raw as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!['verdicts', 'findings', 'tag', 'disarm'].includes(key))
      fail(source, `unknown key "${key}"`);
  }
  const policy = structuredClone(DEFAULT_POLICY) as Policy;
  if (doc.verdicts !== undefined) {
    for (const [verdict, action] of Object.entries(asMap(doc.verdicts, source, 'verdicts'))) {
      if (!isVerdict(verdict)) fail(source, `verdicts: unknown verdict "${verdict}"`);
      policy.verdicts[verdict] = asAction(action, source, `verdicts.${verdict}`);
    }
  }
  if (doc.findings !== undefined) {
    if (!Array.isArray(doc.findings)) fail(source, 'findings must be a list');
    policy.findings = doc.findings.map((item, i) => {
      const rule = asMap(item, source, `findings[${i}]`);
      if (typeof rule.id !== 'string' || rule.id === '')
        fail(source, `findings[${i}].id must be a finding id`);
      return { id: rule.id, action: asAction(rule.action, source, `findings[${i}].action`) };
    });
  }
  if (doc.tag !== undefined) {
    const tag = asMap(doc.tag, source, 'tag');
    if (tag.header !== undefined) {
      if (typeof tag.header !== 'string' || !/^[!-9;-~]+$/.test(tag.header))
        fail(source, 'tag.header must be a header field name');
      policy.tag.header = tag.header;
    }
    if (tag.subjectPrefix !== undefined) {
      policy.tag.subjectPrefix = {};
      for (const [verdict, prefix] of Object.entries(
        asMap(tag.subjectPrefix, source, 'tag.subjectPrefix'),
      )) {
        if (!isVerdict(verdict) || typeof prefix !== 'string' || /[\r\n]/.test(prefix)) {
          fail(source, `tag.subjectPrefix.${verdict} must be one line of text for a known verdict`);
        }
        policy.tag.subjectPrefix[verdict] = prefix;
      }
    }
  }
  if (doc.disarm !== undefined) {
    const disarm = asMap(doc.disarm, source, 'disarm');
    for (const key of Object.keys(disarm)) {
      if (key !== 'onRefusal') fail(source, `disarm: unknown key "${key}"`);
    }
    if (disarm.onRefusal !== undefined) {
      if (!(DISARM_FALLBACKS as readonly unknown[]).includes(disarm.onRefusal)) {
        fail(source, `disarm.onRefusal must be one of ${DISARM_FALLBACKS.join(', ')}`);
      }
      policy.disarm.onRefusal = disarm.onRefusal as DisarmFallback;
    }
  }
  return policy;
}

function asMap(value: unknown, source: string, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    fail(source, `${where} must be a mapping`);
  return value as Record<string, unknown>;
}

function asAction(value: unknown, source: string, where: string): Action {
  if (typeof value !== 'string' || !(ACTIONS as readonly string[]).includes(value)) {
    fail(source, `${where}: action must be one of ${ACTIONS.join(', ')}`);
  }
  return value as Action;
}

function fail(source: string, message: string): never {
  throw new ConfigError('E_POLICY_INVALID', `${source}: ${message}`);
}
