/**
 * @module triage-runner — `emoguard triage` on all cores: snapshot files are read, parsed (JSON) and
 * triaged (JPCERT/CC EmoCheck's methods, https://github.com/JPCERTCC/EmoCheck, and emoguard's checks)
 * in worker threads; the CLI prints, stores and correlates in input order, so the output is the same
 * as with one thread.
 *
 * @example
 * const pool = new TriagePool(2, { maxFileSize, maxEvidenceChars, maxTimePerInputMs });
 * const outcome = await pool.triage('WS-0042.json'); // { ok: true, input, sha256, … }
 * await pool.close();
 */
export {
  readHead,
  triageBytes,
  triageFile,
  type TriageOutcome,
  type TriageTaskLimits,
} from './analyze.js';
export { TriagePool } from './pool.js';
