import { walkResults, type Finding, type ScanResult } from '../../../core/index.js';
import type { Colors } from './terminal.js';

/** Findings whose evidence is a DDE request or a remote target a responder wants to read whole. */
const DDE_FINDINGS = /^office\.dde-/;
const REMOTE_FINDINGS = new Set([
  'office.remote-template',
  'office.external-ole-link',
  'office.external-content',
]);
const BAR = '  │ ';

/**
 * `scan --detail`: after the findings table, what a responder reads to judge a document, like
 * `olevba --decode` — each artifact's macro source, the strings the engines decoded, PowerShell
 * (raw and decoded), XLM formulas, DDE instructions, remote targets and IOCs. Every line from the
 * input has its control and bidi characters escaped (`\x1b`, `\u{202E}`), so a macro cannot drive
 * the terminal or reorder what is shown. Artifacts with nothing to show are skipped.
 *
 * @example
 * write(io.stdout, renderHumanResult(result, colors) + renderDetail(result, colors));
 */
export function renderDetail(result: ScanResult, colors: Colors): string {
  const blocks: string[] = [];
  for (const [node] of walkResults(result)) {
    const sections = sectionsOf(node, colors);
    if (sections.length === 0) continue;
    const relation = node.relation ? `, ${node.relation}` : '';
    blocks.push(
      `${colors.bold(`── ${escapeControls(node.path)}`)}  ${colors.dim(`(${node.type}${relation})`)}\n` +
        sections.join(''),
    );
  }
  return blocks.length === 0 ? '' : `\n${blocks.join('\n')}\n`;
}

function sectionsOf(node: ScanResult, colors: Colors): string[] {
  const out: string[] = [];
  const head = (title: string) => `  ${colors.bold(title)}\n`;
  for (const macro of node.extracted.macros) {
    const where = macro.stream ? ` (stream ${macro.stream})` : '';
    out.push(
      head(`VBA MACRO ${escapeControls(macro.module)}${escapeControls(where)}`) + code(macro.code),
    );
  }
  const decoded = decodedStrings(node.findings);
  if (decoded.length > 0) out.push(head('DECODED STRINGS') + list(decoded));
  if (node.extracted.powershell.length > 0) {
    const lines = node.extracted.powershell.flatMap((p) => [
      `raw:     ${oneLine(p.raw)}`,
      `decoded: ${oneLine(p.decoded)}`,
    ]);
    out.push(head('POWERSHELL') + list(lines));
  }
  if (node.extracted.xlm.length > 0) {
    const lines = node.extracted.xlm.map((c) => `${c.sheet}!${c.cell}  ${oneLine(c.formula)}`);
    out.push(head('XLM FORMULAS') + list(lines));
  }
  const dde = evidenceLines(node.findings, (f) => DDE_FINDINGS.test(f.id));
  if (dde.length > 0) out.push(head('DDE') + list(dde));
  const remote = evidenceLines(node.findings, (f) => REMOTE_FINDINGS.has(f.id));
  if (remote.length > 0) out.push(head('REMOTE TARGETS') + list(remote));
  const iocs = Object.entries(node.extracted.iocs)
    .filter(([, values]) => values.length > 0)
    .map(([kind, values]) => `${kind}: ${values.map(oneLine).join('  ')}`);
  if (iocs.length > 0) out.push(head('IOCS') + list(iocs));
  return out;
}

/** What the engines decoded: deobfuscated VBA strings, decoded commands (evidence notes). */
function decodedStrings(findings: readonly Finding[]): string[] {
  const seen = new Set<string>();
  for (const finding of findings) {
    for (const e of finding.evidence) {
      if (e.note === 'deobfuscated' && e.text) seen.add(e.text);
      else if (e.note?.startsWith('decoded: ')) seen.add(e.note.slice('decoded: '.length));
    }
  }
  return [...seen].map(oneLine);
}

function evidenceLines(findings: readonly Finding[], pick: (f: Finding) => boolean): string[] {
  const lines: string[] = [];
  for (const finding of findings.filter(pick)) {
    for (const e of finding.evidence) {
      if (!e.text) continue;
      const where = [e.location, e.offset === undefined ? undefined : `@${e.offset}`]
        .filter(Boolean)
        .join(' ');
      lines.push(`${oneLine(e.text)}${where ? `  (${oneLine(where)})` : ''}`);
    }
  }
  return lines;
}

function code(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  return `${lines.map((l) => `${BAR}${escapeControls(l)}`).join('\n')}\n`;
}

function list(lines: readonly string[]): string {
  return `${lines.map((l) => `    ${l}`).join('\n')}\n`;
}

function oneLine(text: string): string {
  return escapeControls(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/**
 * Shows control characters as `\xNN` and bidi/zero-width format characters as `\u{NNNN}`; newlines and
 * tabs are kept (callers decide how lines are laid out).
 * SECURITY: terminal escapes (ESC, CSI, OSC) in macro text must never reach the terminal raw.
 */
export function escapeControls(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u{${code.toString(16).toUpperCase()}}`;
    },
  );
}
