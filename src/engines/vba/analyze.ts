import {
  parseError,
  type AnalysisContext,
  type ChildInput,
  type EngineOutput,
  type Evidence,
  type ExtractedMacro,
  type ExtractedPowerShell,
  type Finding,
} from '../../core/index.js';
import { extractIndicators } from '../../formats/indicators/index.js';
import { findEncodedCommands } from '../../formats/powershell/index.js';
import { parseVbaSource } from '../../formats/vba-source/index.js';
import { deobfuscate } from './deobfuscate.js';
import * as F from './findings.js';
import {
  BEHAVIOUR_PATTERNS,
  isAutoexecName,
  OBFUSCATION_MARKERS,
  OBFUSCATION_THRESHOLD,
  PATTERN_NEEDS,
  type Behaviour,
} from './heuristics.js';
import { macroSources } from './sources.js';
import { detectStomping } from './stomping.js';

const MAX_EVIDENCE_PER_FINDING = 5;
const MAX_COMMAND_CHILDREN = 16;

/** Evidence gathered over every module of one VBA project: a chain may span ThisDocument and Module1. */
interface Collected {
  autoexec: Evidence[];
  behaviours: Map<Behaviour, Evidence[]>;
  hiddenOnlyInDeobfuscation: Evidence[];
  obfuscationMarkers: number;
  texts: string[];
  commands: string[];
}

export async function analyzeVba(ctx: AnalysisContext): Promise<EngineOutput> {
  const { macros, anomalies } = await ctx.memo('vba.sources', () => macroSources(ctx));
  const findings: Finding[] = anomalies.map((a) =>
    parseError({
      location: a.location ?? 'vba',
      text: `${a.code}: ${a.message}`,
      ...(a.offset === undefined ? {} : { offset: a.offset }),
    }),
  );
  const stomping = await detectStomping(ctx, macros, anomalies);
  findings.push(...stomping.findings);
  if (macros.length === 0) return { findings };
  const collected: Collected = {
    autoexec: [],
    behaviours: new Map(),
    hiddenOnlyInDeobfuscation: [],
    obfuscationMarkers: 0,
    texts: [],
    commands: [],
  };
  for (const macro of macros) collectModule(ctx, macro, collected);
  // Literals only the stomped p-code carries: the hidden macro's URLs and encoded commands.
  collected.texts.push(...stomping.revealed);
  findings.push(
    F.macroPresent({
      note: `${macros.length} module(s): ${macros.map((m) => m.module).join(', ')}`,
    }),
  );
  const powershell = encodedCommands(collected.texts);
  findings.push(...behaviourFindings(collected, powershell));
  const iocs = extractIndicators(collected.texts.join('\n'));
  if (iocs.urls.length > 0) {
    findings.push(
      F.embeddedUrl(iocs.urls.slice(0, MAX_EVIDENCE_PER_FINDING).map((text) => ({ text }))),
    );
  }
  return {
    findings,
    extracted: {
      macros,
      iocs,
      powershell: powershell.map(({ raw, decoded }) => ({ raw, decoded })),
    },
    children: commandChildren(powershell, collected.commands),
  };
}

function collectModule(ctx: AnalysisContext, macro: ExtractedMacro, c: Collected): void {
  const source = parseVbaSource(macro.code);
  const location = macro.stream ?? macro.module;
  for (const proc of source.procedures) {
    if (isAutoexecName(proc.name)) {
      c.autoexec.push({ text: proc.name, line: proc.startLine, location });
    }
  }
  const code = source.lines.map((l) => l.code).join('\n');
  c.texts.push(code);
  c.obfuscationMarkers += code.match(OBFUSCATION_MARKERS)?.length ?? 0;
  // A pattern that matches one line matches the lines joined by '\n' (no pattern needs a line's start or
  // end to be the text's: `^` has the m flag, \b and the look-behinds see '\n' as a non-word character),
  // so the per-line loop tries only the behaviours found in the whole module, and looks for quoted
  // PowerShell only where the module names it.
  // Only the patterns that matched the module can match one of its lines.
  const present: Pattern[] = [];
  matchBehaviours(code, PATTERNS, present);
  const hasPowerShell = /powershell|pwsh/i.test(code);
  for (const line of source.lines) {
    if (present.length === 0 && !hasPowerShell) break;
    if (line.code.trim() === '') continue;
    for (const behaviour of matchBehaviours(line.code, present)) {
      add(c.behaviours, behaviour, { text: line.code.trim(), line: line.line, location });
    }
    if (!hasPowerShell) continue;
    for (const m of line.code.matchAll(/"([^"]*(?:powershell|pwsh)[^"]*)"/gi))
      c.commands.push(m[1]!);
  }
  const revealed = deobfuscate(source.lines, {
    maxStringChars: ctx.limits.maxExtractedChars,
    maxTotalChars: ctx.limits.maxExtractedChars * 4,
    checkDeadline: () => ctx.checkDeadline(),
  });
  const codeLower = code.toLowerCase();
  for (const { line, value, how } of revealed) {
    c.texts.push(value);
    if (/powershell|pwsh/i.test(value)) c.commands.push(value);
    const behaviours = matchBehaviours(value);
    const evidence = {
      text: value,
      line,
      location,
      note: how === 'folded' ? 'deobfuscated' : `${how} string decoded`,
    };
    // Folding only counts as hiding when the clear text appears nowhere in the source.
    if (behaviours.length > 0 && !codeLower.includes(value.toLowerCase())) {
      c.hiddenOnlyInDeobfuscation.push(evidence);
    }
    for (const behaviour of behaviours) add(c.behaviours, behaviour, evidence);
  }
}

interface Pattern {
  behaviour: Behaviour;
  re: RegExp;
  /** Lower-case text every match contains (one of them); undefined: no quick test, always run. */
  needs: readonly string[] | undefined;
}

/** Every behaviour pattern, grouped by behaviour in table order. */
const PATTERNS: readonly Pattern[] = (Object.keys(BEHAVIOUR_PATTERNS) as Behaviour[]).flatMap(
  (behaviour) =>
    BEHAVIOUR_PATTERNS[behaviour].map((re) => ({
      behaviour,
      re,
      needs: PATTERN_NEEDS.get(re.source),
    })),
);

function isPossible(pattern: Pattern, lower: string): boolean {
  return pattern.needs === undefined || pattern.needs.some((need) => lower.includes(need));
}

/**
 * The behaviours (in table order) that one of `patterns` finds in `text`. With `hits`, every matching
 * pattern is tested and collected; without, a behaviour's other patterns are skipped once one matched.
 */
function matchBehaviours(
  text: string,
  patterns: readonly Pattern[] = PATTERNS,
  hits?: Pattern[],
): Behaviour[] {
  const found: Behaviour[] = [];
  const lower = text.toLowerCase();
  for (const pattern of patterns) {
    const isFound = found.length > 0 && found[found.length - 1] === pattern.behaviour;
    if (isFound && !hits) continue;
    if (!isPossible(pattern, lower) || !pattern.re.test(text)) continue;
    if (!isFound) found.push(pattern.behaviour);
    hits?.push(pattern);
  }
  return found;
}

function add(map: Map<Behaviour, Evidence[]>, behaviour: Behaviour, evidence: Evidence): void {
  const list = map.get(behaviour) ?? [];
  if (list.length < MAX_EVIDENCE_PER_FINDING) list.push(evidence);
  map.set(behaviour, list);
}

function behaviourFindings(c: Collected, powershell: ExtractedPowerShell[]): Finding[] {
  const findings: Finding[] = [];
  const of = (b: Behaviour) => c.behaviours.get(b) ?? [];
  if (c.autoexec.length > 0)
    findings.push(F.autoexecEntrypoint(c.autoexec.slice(0, MAX_EVIDENCE_PER_FINDING)));
  if (of('wmi').length > 0) findings.push(F.wmiProcessCreate(of('wmi')));
  if (of('shell').length > 0) findings.push(F.shellExecution(of('shell')));
  if (of('powershell').length > 0) findings.push(F.powershellInvocation(of('powershell')));
  if (powershell.length > 0) {
    findings.push(
      F.encodedPowershell(
        powershell
          .slice(0, MAX_EVIDENCE_PER_FINDING)
          .map((p) => ({ text: p.raw, note: `decoded: ${p.decoded}` })),
      ),
    );
  }
  if (of('download').length > 0) findings.push(F.download(of('download')));
  if (of('write').length > 0) findings.push(F.fileWrite(of('write')));
  if (of('hidden').length > 0) findings.push(F.hiddenWindow(of('hidden')));
  if (of('win32').length > 0) findings.push(F.win32Api(of('win32')));
  if (of('injection').length > 0) findings.push(F.shellcodeInjection(of('injection')));
  if (of('keyword').length > 0) findings.push(F.suspiciousKeyword(of('keyword')));
  if (c.hiddenOnlyInDeobfuscation.length > 0 || c.obfuscationMarkers >= OBFUSCATION_THRESHOLD) {
    const counted = { note: `${c.obfuscationMarkers} Chr/StrReverse/CallByName calls` };
    findings.push(
      F.obfuscation([...c.hiddenOnlyInDeobfuscation.slice(0, MAX_EVIDENCE_PER_FINDING), counted]),
    );
  }
  if (c.autoexec.length === 0) return findings;
  // mraptor's rule: AutoExec together with Execute, or with Write/download, is a dropper.
  const executes = (['wmi', 'shell', 'powershell', 'injection'] as const).filter(
    (b) => of(b).length > 0,
  );
  if (executes.length > 0 || powershell.length > 0) {
    const chain = F.autoexecExecutionChain([c.autoexec[0]!, ...executes.map((b) => of(b)[0]!)]);
    if (executes.includes('wmi')) chain.attack.push('T1047');
    if (executes.includes('powershell') || powershell.length > 0) chain.attack.push('T1059.001');
    if (executes.includes('injection')) chain.attack.push('T1055');
    findings.push(chain);
  }
  if (of('download').length > 0 || of('write').length > 0) {
    findings.push(
      F.autoexecDownload([c.autoexec[0]!, ...[...of('download'), ...of('write')].slice(0, 2)]),
    );
  }
  return findings;
}

function encodedCommands(texts: string[]): ExtractedPowerShell[] {
  const found = new Map<string, ExtractedPowerShell>();
  for (const text of texts) {
    for (const command of findEncodedCommands(text)) {
      if (!found.has(command.base64))
        found.set(command.base64, { raw: command.raw, decoded: command.decoded });
    }
  }
  // A string built piece by piece (p = p & "…") is seen at every step; keep only the complete payloads.
  const all = [...found.keys()];
  return all
    .filter((b64) => !all.some((other) => other !== b64 && other.startsWith(b64)))
    .map((b64) => found.get(b64)!);
}

/** Decoded PowerShell and clear-text command lines go back into the pipeline for the PowerShell engine. */
function commandChildren(powershell: ExtractedPowerShell[], commands: string[]): ChildInput[] {
  const children: ChildInput[] = [];
  const seen = new Set<string>();
  const encoder = new TextEncoder();
  powershell.forEach((p, i) => {
    seen.add(p.decoded);
    children.push({
      name: `powershell-decoded-${i + 1}.ps1`,
      bytes: encoder.encode(p.decoded),
      relation: 'decoded',
      typeHint: 'powershell',
    });
  });
  for (const command of commands) {
    if (children.length >= MAX_COMMAND_CHILDREN) break;
    if (seen.has(command) || findEncodedCommands(command).length > 0 || command.length < 12)
      continue;
    if ([...seen].some((s) => s.includes(command))) continue;
    seen.add(command);
    children.push({
      name: `command-${children.length + 1}.ps1`,
      bytes: encoder.encode(command),
      relation: 'command',
      typeHint: 'powershell',
    });
  }
  return children;
}
