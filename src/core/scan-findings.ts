import { describeError, FormatError, LimitError } from './errors.js';
import type { Anomaly } from './anomaly.js';
import { defineFinding, type Evidence, type Finding } from './finding.js';

/**
 * Findings about the scan itself, shared by the pipeline and by engines that skip one member and go on.
 * An input that could not be fully analysed is never reported clean without saying so.
 */
export const parseError = defineFinding({
  id: 'scan.parse-error',
  title: 'Malformed input: analysis is partial',
  severity: 'low',
  step: '2',
  attack: [],
  description:
    'A parser met bytes that break its format. Malware is malformed on purpose to slip past scanners ' +
    'that give up; the rest of the input was still analysed.',
});

export const limitExceeded = defineFinding({
  id: 'scan.limit-exceeded',
  title: 'Scan limit reached: content left unanalysed',
  severity: 'medium',
  step: '2',
  attack: ['T1027'],
  description:
    'A size, depth, count, ratio or time limit stopped the analysis (zip bombs, recursion bombs, padded ' +
    'documents). What lies past the limit was not scanned, so the input cannot be called clean.',
});

export const engineError = defineFinding({
  id: 'scan.engine-error',
  title: 'An engine failed on this input',
  severity: 'low',
  step: '2',
  attack: [],
  description:
    'An engine threw an unexpected error; other engines still ran. Please report it with the input.',
});

export const SCAN_FINDINGS = [parseError, limitExceeded, engineError] as const;

/** Evidence items kept per finding: an archive of 60,000 encrypted members stays one small finding. */
export const MAX_EVIDENCE_ITEMS = 20;

export function cappedEvidence(items: readonly Evidence[]): Evidence[] {
  if (items.length <= MAX_EVIDENCE_ITEMS) return [...items];
  return [
    ...items.slice(0, MAX_EVIDENCE_ITEMS),
    { note: `…and ${items.length - MAX_EVIDENCE_ITEMS} more` },
  ];
}

/**
 * Parser anomalies as findings, one each: limits reached (E_LIMIT_* by default) are scan.limit-exceeded,
 * the rest malformed structure (scan.parse-error).
 */
export function findingsForAnomalies(
  anomalies: readonly Anomaly[],
  where: string,
  isLimit: (code: string) => boolean = (code) => code.startsWith('E_LIMIT_'),
): Finding[] {
  return anomalies.map((a) => {
    const evidence: Evidence = {
      location: a.location ?? where,
      text: `${a.code}: ${a.message}`,
      ...(a.offset === undefined ? {} : { offset: a.offset }),
    };
    return isLimit(a.code) ? limitExceeded(evidence) : parseError(evidence);
  });
}

/** Turns anything an engine threw into the finding that says what was not analysed, and where. */
export function findingForError(error: unknown, location: string): Finding {
  if (error instanceof LimitError) {
    return limitExceeded({
      location,
      text: describeError(error),
      note: `${error.limit} = ${error.max}`,
    });
  }
  if (error instanceof FormatError) {
    return parseError({
      location,
      text: describeError(error),
      ...(error.offset === undefined ? {} : { offset: error.offset }),
    });
  }
  return engineError({ location, text: describeError(error) });
}
