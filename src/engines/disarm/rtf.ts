import { describeError, LimitError, type Anomaly } from '../../core/index.js';
import { classifyFieldCode, isRemoteTarget } from '../../formats/msxml-office/index.js';
import { parseOle1Object } from '../../formats/oleobj/index.js';
import { parseRtf, rewriteRtf, type RtfCut, type RtfDocument } from '../../formats/rtf/index.js';
import type { DisarmOptions, DisarmOutcome, Removal, RemovalKind } from './types.js';

/**
 * Destinations that carry active or hidden content and no text a reader needs (RTF 1.9.1):
 * - `objdata`: OLE object data, also where Word honours it outside `\object` (rtfobj's orphans);
 * - `datastore`: hex-encoded binary the document stores for XML data — droppers park OLE and
 *   CFB payloads there because scanners skip it;
 * - `template`: the attached template Word fetches on open (T1221, remote template injection);
 * - `mailmerge`: a merge data source Word connects to on open (ODSO connection strings, SQL);
 * - `ffentrymcr`/`ffexitmcr`: macro names a form field runs on entry and exit.
 * Left in place on purpose: `themedata`/`colorschememapping` (theme XML, no code), `xmlopen`/
 * `xmlattr*` (custom XML tags around text, no behaviour), `docvar` (inert strings), `pict`/`shppict`
 * (pictures), `hlinkbase` (a base for hyperlinks, which need a click).
 */
const DROPPED_DESTINATIONS: ReadonlySet<string> = new Set([
  'objdata',
  'datastore',
  'template',
  'mailmerge',
  'ffentrymcr',
  'ffexitmcr',
]);

/** Field keywords that may legitimately hold inner fields (`IF {PAGE} = 1 …`); any other nest is suspect. */
const NESTING_FIELDS = new Set(
  `IF SET REF PAGE NUMPAGES SECTIONPAGES SEQ DATE TIME CREATEDATE SAVEDATE PRINTDATE COMPARE = TOC
   HYPERLINK MERGEFIELD FORMTEXT FORMCHECKBOX FORMDROPDOWN SYMBOL EQ STYLEREF NOTEREF PAGEREF FILENAME
   AUTHOR TITLE DOCPROPERTY ASK FILLIN`.split(/\s+/),
);

/** Object bytes parsed for the class name shown in the removal list; the rest is not needed. */
const OBJECT_HEAD_BYTES = 64 * 1024;
const OBJECT_HEAD_TOTAL_BYTES = 64 * 1024 * 1024;

/**
 * A field goes when it reaches outside the document: DDE/DDEAUTO (T1559.002), INCLUDETEXT,
 * INCLUDEPICTURE, INCLUDE, IMPORT, LINK — local or remote, a disarmed copy fetches nothing — and
 * instructions assembled from inner fields, the QUOTE trick that spells `DDEAUTO` from numbers.
 */
export function isActiveRtfField(instruction: string, hasNestedField: boolean): boolean {
  if (classifyFieldCode(instruction)) return true;
  if (!hasNestedField) return false;
  const keyword = /^\s*([A-Za-z=]+)/.exec(instruction)?.[1]?.toUpperCase();
  return keyword === undefined || !NESTING_FIELDS.has(keyword);
}

/**
 * Disarms an RTF document: objects become the picture Word shows for them (`\result`), active fields
 * their last result (`\fldrslt`), and the destinations above are cut; every other byte is copied as
 * is. The copy is parsed again before it is returned.
 *
 * @example
 * const outcome = disarmRtf(bytes, { limits: DEFAULT_LIMITS });
 * if (outcome.status === 'disarmed') write(outcome.output, outcome.removed);
 */
export function disarmRtf(bytes: Uint8Array, options: DisarmOptions): DisarmOutcome {
  try {
    return disarm(bytes, options);
  } catch (error) {
    if (error instanceof LimitError) return refuse('limit', describeError(error));
    return refuse('malformed', `the RTF could not be rewritten: ${describeError(error)}`);
  }
}

function disarm(bytes: Uint8Array, options: DisarmOptions): DisarmOutcome {
  const { limits, checkDeadline } = options;
  if (bytes.length > limits.maxFileSize) {
    return refuse('limit', `${bytes.length} bytes is over maxFileSize (${limits.maxFileSize})`);
  }
  const doc = parseRtf(bytes, {
    maxObjectBytes: OBJECT_HEAD_BYTES,
    maxTotalObjectBytes: OBJECT_HEAD_TOTAL_BYTES,
    ...(checkDeadline ? { checkDeadline } : {}),
  });
  const problem = refusalFor(doc);
  if (problem) return problem;
  const rewrite = rewriteRtf(bytes, {
    drop: DROPPED_DESTINATIONS,
    isActiveField: isActiveRtfField,
    instructions: new Map(doc.fields.map((f) => [f.offset, f.instruction])),
    ...(checkDeadline ? { checkDeadline } : {}),
  });
  if (!rewrite.isComplete) return refuse('limit', firstMessage(rewrite.anomalies));
  // SECURITY: the copy is read again by the scanner's own parser; anything active left in it (an
  // object, a DDE or INCLUDE field, a template) refuses the copy rather than passing it as clean.
  const left = activeContentOf(
    parseRtf(rewrite.output, {
      maxObjectBytes: OBJECT_HEAD_BYTES,
      ...(checkDeadline ? { checkDeadline } : {}),
    }),
  );
  if (left) return refuse('rescan-not-clean', `the rewritten RTF still holds ${left}`);
  if (rewrite.cuts.length === 0) {
    return { status: 'unchanged', output: bytes, outputType: 'rtf', removed: [] };
  }
  return {
    status: 'disarmed',
    output: rewrite.output,
    outputType: 'rtf',
    removed: rewrite.cuts.map((cut) => removalOf(cut, doc)),
  };
}

/** Input the rewrite cannot be trusted on: not RTF, cut `\bin` data, or lists the parser had to cap. */
function refusalFor(doc: RtfDocument): DisarmOutcome | undefined {
  if (!doc.hasHeader) return refuse('malformed', 'the input does not start with {\\rt');
  const codes = new Set(doc.anomalies.map((a) => a.code));
  if (codes.has('E_RTF_BIN_TRUNCATED')) {
    return refuse('malformed', 'a \\bin block runs past the end of the input');
  }
  for (const code of ['E_LIMIT_RTF_OBJECTS', 'E_LIMIT_RTF_FIELDS', 'E_RTF_TOO_DEEP'] as const) {
    if (codes.has(code)) {
      return refuse('limit', doc.anomalies.find((a) => a.code === code)!.message);
    }
  }
  return undefined;
}

function activeContentOf(doc: RtfDocument): string | undefined {
  if (doc.objects.length > 0) return `${doc.objects.length} object(s)`;
  const field = doc.fields.find((f) => classifyFieldCode(f.instruction));
  if (field) return `the field ${JSON.stringify(field.instruction.trim().slice(0, 80))}`;
  if (doc.templates.length > 0) return 'an attached template';
  return undefined;
}

function removalOf(cut: RtfCut, doc: RtfDocument): Removal {
  const location = `offset ${cut.offset}`;
  if (cut.word === 'object' || cut.word === 'objdata') {
    const object = doc.objects.find((o) => o.offset === cut.offset);
    const ole1 = object && object.data.length > 0 ? parseOle1Object(object.data) : undefined;
    const className = (ole1?.className ?? object?.objclass ?? '').replace(/\0+$/, '');
    const kind: RemovalKind = /^package$/i.test(className) ? 'embedded-package' : 'rtf-object';
    const what = cut.word === 'objdata' ? '\\objdata outside an object' : '\\object';
    return { kind, location, detail: className ? `${what} ${className}` : what };
  }
  if (cut.word === 'field') {
    const instruction = (cut.instruction ?? '').trim();
    const code = classifyFieldCode(instruction);
    const kind: RemovalKind =
      code?.kind === 'dde' || cut.hasNestedField ? 'dde-field' : 'external-relationship';
    const nested = cut.hasNestedField && !code ? ' (built from nested fields)' : '';
    return { kind, location, detail: `${instruction}${nested}` };
  }
  if (cut.word === 'template') {
    const target = doc.templates.find((t) => t.offset === cut.offset)?.target ?? '';
    return {
      kind: isRemoteTarget(target) ? 'remote-template' : 'other',
      location,
      detail: `\\template ${target}`.trim(),
    };
  }
  return { kind: 'other', location, detail: `\\${cut.word}` };
}

function firstMessage(anomalies: readonly Anomaly[]): string {
  return anomalies[0]?.message ?? 'a limit stopped the rewrite';
}

function refuse(refusal: NonNullable<DisarmOutcome['refusal']>, reason: string): DisarmOutcome {
  return { status: 'refused', refusal, reason, removed: [] };
}
