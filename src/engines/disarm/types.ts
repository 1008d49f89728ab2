import type { FileType, Limits } from '../../core/index.js';

/**
 * Content disarm and reconstruction (CDR): a copy of a document that keeps its content and loses what can
 * run. Each format's disarmer (OOXML, OLE, RTF) returns a `DisarmOutcome`; the pipeline re-scans every
 * output and refuses it unless it comes out clean.
 */

export type RemovalKind =
  | 'vba-project'
  | 'macro-sheet'
  | 'xlm-auto-name'
  | 'activex'
  | 'ole-object'
  | 'embedded-package'
  | 'object-pool'
  | 'external-relationship'
  | 'remote-template'
  | 'dde-field'
  | 'rtf-object'
  | 'other';

/** One thing taken out of the document, for the report and the mail note. */
export interface Removal {
  kind: RemovalKind;
  /** Where it was: a part name, a storage path, a record or an RTF offset. */
  location: string;
  /** What it was (the field code, the relationship target, the object class …), raw: renderers escape. */
  detail?: string;
}

export type DisarmStatus =
  /** Active content was removed; `output` holds the copy. */
  | 'disarmed'
  /** Nothing to remove; `output` is the input bytes, unchanged. */
  | 'unchanged'
  /** No safe copy can be made (encrypted, malformed, unsupported, or the copy did not re-scan clean). */
  | 'refused';

export interface DisarmOutcome {
  status: DisarmStatus;
  /** The disarmed copy; absent when refused. */
  output?: Uint8Array;
  /** Type of the output (a .docm becomes `docx`). */
  outputType?: FileType;
  /** File extension for the output with its dot (`.docx`), when it differs from the input's kind. */
  outputExtension?: string;
  removed: Removal[];
  /** Why it was refused, in one sentence. */
  reason?: string;
  /** Machine-readable refusal code: `encrypted`, `malformed`, `unsupported`, `limit`, `rescan-not-clean`. */
  refusal?: 'encrypted' | 'malformed' | 'unsupported' | 'limit' | 'rescan-not-clean';
}

/**
 * What every format disarmer takes: `(bytes: Uint8Array, options: DisarmOptions) => DisarmOutcome`.
 * A disarmer never throws for hostile input: a limit hit is `refusal: 'limit'`, broken structure is
 * `refusal: 'malformed'` — never a half-written output.
 */
export interface DisarmOptions {
  /** Sizes, counts and depth to stay within (the scan's limits). */
  limits: Readonly<Limits>;
  /** Throws `LimitError` (E_LIMIT_TIME) past the deadline; call it in long loops. */
  checkDeadline?: () => void;
}

/** The signature each format disarmer exports (`disarmOoxml`, `disarmOle`, `disarmRtf`). */
export type Disarmer = (bytes: Uint8Array, options: DisarmOptions) => DisarmOutcome;
