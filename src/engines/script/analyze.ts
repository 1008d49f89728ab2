import {
  limitExceeded,
  type AnalysisContext,
  type ChildInput,
  type EngineOutput,
  type Evidence,
  type Finding,
} from '../../core/index.js';
import { extractIndicators } from '../../formats/indicators/index.js';
import { findEncodedCommands } from '../../formats/powershell/index.js';
import { extractBlocks } from './blocks.js';
import { deobfuscate } from './deobfuscate.js';
import * as F from './findings.js';
import { blockSignals, emptySignals, type Signals } from './signals.js';

// Scripts past this are junk-padded; the head is analysed and the cut reported.
export const MAX_SCRIPT_CHARS = 16 * 1024 * 1024;
// Folding may grow text (char codes → characters rarely do, base64 never by more than 4/3).
const FOLD_GROWTH = 4;
const MAX_CHILDREN = 20;
const MAX_EVIDENCE = 5;

/** HTML/HTA pages and script files (JS, VBS, WSF, BAT) → what they run, fetch and hide. */
export function analyzeScript(ctx: AnalysisContext): EngineOutput {
  const findings: Finding[] = [];
  const text = decodeScriptText(ctx.bytes);
  const head = text.length > MAX_SCRIPT_CHARS ? text.slice(0, MAX_SCRIPT_CHARS) : text;
  if (head !== text) {
    findings.push(
      limitExceeded({
        location: ctx.artifact.name,
        text: `E_LIMIT_SCRIPT_SIZE: only the first ${MAX_SCRIPT_CHARS} characters were analysed`,
      }),
    );
  }
  const isMarkup = ctx.artifact.type === 'html' || ctx.artifact.type === 'xml';
  const doc = extractBlocks(head, isMarkup);
  const isWebPage = isMarkup && !doc.isHta && !doc.isWsf;
  const all = emptySignals();
  const folded: string[] = [];
  const blobs: string[] = [];
  for (const [index, block] of doc.blocks.entries()) {
    ctx.checkDeadline();
    const deob = deobfuscate(
      block.code,
      block.language,
      Math.min(MAX_SCRIPT_CHARS, block.code.length * FOLD_GROWTH + 4096),
    );
    folded.push(deob.text);
    for (const b of deob.blobs) if (/<\w+[\s>]/.test(b.decoded)) blobs.push(b.decoded);
    merge(all, blockSignals({ block, index, deob, isWebPage }));
  }
  if (doc.isHta) {
    const line = head.slice(0, head.search(/<hta:application\b/i)).split('\n').length;
    findings.push(
      F.htaApplication({
        line,
        text: /<hta:application\b[^>]{0,300}>?/i.exec(head)?.[0] ?? '<hta:application>',
      }),
    );
  }
  const code = folded.join('\n');
  findings.push(...signalFindings(all, isWebPage));
  const encoded = findEncodedCommands(code);
  const children = scriptChildren(encoded, all.commands, blobs);
  const flagged = findings.some((f) => f.severity !== 'info' && f.severity !== 'low');
  return {
    findings,
    children,
    extracted: {
      // A plain web page's script URLs (analytics, CDNs) are not indicators of anything.
      ...(isWebPage && !flagged ? {} : { iocs: extractIndicators(code) }),
      powershell: encoded.map((e) => ({ raw: e.raw, decoded: e.decoded })),
    },
  };
}

function signalFindings(s: Signals, isWebPage: boolean): Finding[] {
  const out: Finding[] = [];
  const add = (make: (e: Evidence[]) => Finding, evidence: Evidence[]) => {
    if (evidence.length > 0) out.push(make(evidence.slice(0, MAX_EVIDENCE)));
  };
  add(F.shellExecution, s.shellExec);
  add(F.lolbinCommand, s.lolbin);
  add(F.wmiProcessCreate, s.wmi);
  add(F.download, s.downloads);
  if (s.downloads.length > 0 && s.executes.length > 0) {
    out.push(F.downloadAndExecute([s.downloads[0]!, s.executes[0]!]));
  }
  add(F.dynamicEval, s.evals);
  // On a web page, packed libraries look obfuscated; it only counts beside something that acts.
  const acts = out.length > 0;
  if (!isWebPage || acts)
    add(F.obfuscated, acts ? [...s.obfuscation, ...s.weakObfuscation] : s.obfuscation);
  return out;
}

function scriptChildren(
  encoded: ReturnType<typeof findEncodedCommands>,
  commands: readonly string[],
  blobs: readonly string[],
): ChildInput[] {
  const enc = new TextEncoder();
  const children: ChildInput[] = encoded.map((e, i) => ({
    name: `powershell-decoded-${i + 1}.ps1`,
    bytes: enc.encode(e.decoded),
    relation: 'decoded',
    typeHint: 'powershell',
  }));
  // Commands without -EncodedCommand: the PowerShell engine undoes backticks, format strings and splits.
  commands
    .filter((c) => !/\s[-/]e(?:c|nc|ncodedcommand)?\s/i.test(c))
    .forEach((c, i) =>
      children.push({
        name: `command-${i + 1}.ps1`,
        bytes: enc.encode(c),
        relation: 'command-line',
        typeHint: 'powershell',
      }),
    );
  blobs.forEach((b, i) =>
    children.push({
      name: `decoded-${i + 1}.html`,
      bytes: enc.encode(b),
      relation: 'decoded',
      typeHint: 'html',
    }),
  );
  return children.slice(0, MAX_CHILDREN);
}

function merge(into: Signals, from: Signals): void {
  for (const key of Object.keys(into) as (keyof Signals)[]) {
    const list = into[key] as unknown[];
    for (const item of from[key] as unknown[]) if (list.length < MAX_EVIDENCE * 4) list.push(item);
  }
}

/** Script files are UTF-8, or UTF-16LE with a BOM ("Unicode" in Notepad); both are read here. */
export function decodeScriptText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}
