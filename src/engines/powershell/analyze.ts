import type {
  AnalysisContext,
  ChildInput,
  EngineOutput,
  Evidence,
  Finding,
} from '../../core/index.js';
import { extractIndicators } from '../../formats/indicators/index.js';
import { findEncodedCommands, normalizePowerShell } from '../../formats/powershell/index.js';
import * as F from './findings.js';

const DOWNLOAD = [
  /\bDownload(?:File|String|Data)(?:Async|TaskAsync)?\b/i,
  /\bInvoke-WebRequest\b|\biwr\b|\bwget\b|\bcurl\b/i,
  /\bInvoke-RestMethod\b|\birm\b/i,
  /\bStart-BitsTransfer\b/i,
  /\bNet\.WebClient\b|\bNet\.Http(?:Client|WebRequest)\b|\bSystem\.Net\.WebRequest\b/i,
];
const EXECUTE = [
  /\bStart-Process\b|\bsaps\b|\bstart\s+\$/i,
  /\bInvoke-Expression\b|\biex\b/i,
  /\b(?:rundll32|regsvr32|mshta)(?:\.exe)?\b/i,
  /\[(?:System\.)?Diagnostics\.Process\]::Start\b/i,
  /\bInvoke-Item\b|\bii\s+\$/i,
  /\bCreate\s*\(.*Win32_Process|\bInvoke-(?:Wmi|Cim)Method\b/i,
  /(?:^|[;|{(\s])&\s*\(?\s*\$\w+/m,
];
const DOWNLOAD_OR_EXECUTE = [...DOWNLOAD, ...EXECUTE];
const MAX_EVIDENCE = 5;
// One decoder: decode() without `stream` keeps no state, and constructing one is not free.
const UTF8 = new TextDecoder('utf-8');

export function analyzePowerShell(ctx: AnalysisContext): EngineOutput {
  const raw = UTF8.decode(ctx.bytes);
  const text = normalizePowerShell(raw);
  const findings: Finding[] = [];
  const downloads = matchLines(text, DOWNLOAD);
  const executes = matchLines(text, EXECUTE);
  if (downloads.length > 0) findings.push(F.downloadCradle(downloads));
  if (executes.length > 0) findings.push(F.executesPayload(executes));
  if (downloads.length > 0 && executes.length > 0) {
    findings.push(F.downloadAndExecute([downloads[0]!, executes[0]!]));
  }
  const iocs = extractIndicators(text);
  if (iocs.urls.length >= 2 && /\.Split\s*\(|-split\b|\bforeach\s*\(/i.test(text)) {
    findings.push(F.urlListLoop(iocs.urls.slice(0, MAX_EVIDENCE).map((u) => ({ text: u }))));
  }
  const clearHits = matchLines(raw, DOWNLOAD_OR_EXECUTE).length;
  if (downloads.length + executes.length > clearHits) {
    findings.push(F.obfuscated([...downloads, ...executes].slice(0, MAX_EVIDENCE)));
  }
  const nested = findEncodedCommands(text);
  const children: ChildInput[] = nested.map((n, i) => ({
    name: `decoded-${i + 1}.ps1`,
    bytes: new TextEncoder().encode(n.decoded),
    relation: 'decoded',
    typeHint: 'powershell',
  }));
  if (nested.length > 0) {
    findings.push(
      F.nestedEncoded(nested.slice(0, MAX_EVIDENCE).map((n) => ({ text: n.raw, note: n.decoded }))),
    );
  }
  return {
    findings,
    extracted: { iocs, powershell: nested.map((n) => ({ raw: n.raw, decoded: n.decoded })) },
    children,
  };
}

function matchLines(text: string, all: readonly RegExp[]): Evidence[] {
  const evidence: Evidence[] = [];
  // A pattern that matches a statement matches the whole text (statements end at ';' or a line end,
  // which \b, ^ (m) and the look-arounds see as they see the text's): try only those per statement.
  const patterns = all.filter((re) => re.test(text));
  if (patterns.length === 0) return evidence;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && evidence.length < MAX_EVIDENCE; i++) {
    // One-liners chain statements with ';': report the statement, not the whole line.
    for (const statement of lines[i]!.split(';')) {
      if (evidence.length < MAX_EVIDENCE && patterns.some((re) => re.test(statement))) {
        evidence.push({ text: statement.trim(), line: i + 1 });
      }
    }
  }
  return evidence;
}
