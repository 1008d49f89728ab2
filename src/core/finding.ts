import type { Severity } from './severity.js';
import type { Step } from './steps.js';

/** The exact bytes or text that made an engine report a finding. */
export interface Evidence {
  /** The matched text, cut to `maxEvidenceChars`. */
  text?: string;
  /** Byte offset in the artifact, when the engine knows it. */
  offset?: number;
  /** 1-based line in the decoded text (macro source, script, log). */
  line?: number;
  /** Where inside the artifact: a stream, module, member, header or field name. */
  location?: string;
  /** A short explanation, such as the decoded value or the limit that was hit. */
  note?: string;
}

/**
 * One observation. `id` is `<engine>.<kebab-slug>` and never changes once shipped: users' filters,
 * the store and the coverage matrix key on it.
 */
export interface Finding {
  id: string;
  title: string;
  severity: Severity;
  /** The kill-chain step this evidences (see steps.ts). */
  step: Step;
  /** MITRE ATT&CK technique ids, e.g. `T1047`. */
  attack: string[];
  evidence: Evidence[];
  /**
   * When the evidenced event happened (ISO 8601 UTC), where the layer knows it: a mail's Date header, the
   * earliest log record of a hunt detection, a host snapshot's collection time. Absent otherwise.
   */
  observedAt?: string;
}

/** The fixed part of a finding, declared once per engine so ids, titles and mappings stay stable. */
export type FindingDef = Omit<Finding, 'evidence' | 'observedAt'> & {
  /** What the finding means for a responder; shown by `emoguard findings` and in docs. */
  description: string;
};

/** Declares a finding kind; the returned function stamps evidence onto a fresh finding. */
export function defineFinding(def: FindingDef): FindingFactory {
  const make = (evidence: Evidence[] | Evidence = []): Finding => ({
    id: def.id,
    title: def.title,
    severity: def.severity,
    step: def.step,
    attack: [...def.attack],
    evidence: Array.isArray(evidence) ? evidence : [evidence],
  });
  return Object.assign(make, { def });
}

export type FindingFactory = ((evidence?: Evidence[] | Evidence) => Finding) & { def: FindingDef };

/** Cuts evidence text so that one hostile input cannot inflate output and store. */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[${text.length - max} more]`;
}
