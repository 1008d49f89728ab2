import {
  LimitError,
  type AnalysisContext,
  type Anomaly,
  type Evidence,
  type ExtractedMacro,
  type Finding,
} from '../../core/index.js';
import { parseCfb } from '../../formats/cfb/index.js';
import { readOoxml } from '../../formats/ooxml/index.js';
import {
  readVbaCompiled,
  type ModuleCompiled,
  type ProjectCompiled,
} from '../../formats/ovba/index.js';
import { pcodeNotUnderstood, stomped } from './findings.js';
import { BEHAVIOUR_PATTERNS, isAutoexecName } from './heuristics.js';
import { projectCfb } from './sources.js';

/**
 * VBA stomping (T1564.007): Office runs a module's compiled p-code when the `_VBA_PROJECT` version
 * matches its own, whatever the source says, so droppers (EvilClippy, Emotet builders) replace the
 * source with something benign or nothing and keep the malicious p-code. Source-only scanners, olevba on
 * OOXML included, then see a clean macro. This compares what the compiled side carries with the source:
 *
 * (A) a p-code string literal with a suspicious keyword, URL or executable name that no source has;
 * (B) more lines that compiled to p-code than the module's source has lines at all, or p-code with
 *     no readable source;
 * (C) suspicious API or auto-run names in the identifier table that no source uses, together with
 *     p-code strings the source lacks;
 * (D) most p-code strings (three or more) absent from every source.
 *
 * SECURITY: p-code matching its source must never fire (that is every normal document). Each signal
 * compares against the source of every module of the project, so a literal moved between modules is not
 * a mismatch; and a project without a version-dependent cache (version 0xFFFF) is skipped, since Office
 * recompiles it from source. A cache whose version is outside the known VBA5–VBA7 builds, or that is
 * big-endian (Mac), is reported as `vba.pcode-not-understood` (low) and not compared.
 *
 * What stays unvalidated: the line directory and literal layout come from public reverse-engineering
 * notes (no Office-written p-code was available here); the fixtures are built from the same notes.
 */

export interface StompingResult {
  findings: Finding[];
  /** p-code strings absent from the source: the hidden macro's literals, for IOC extraction. */
  revealed: string[];
}

const SUSPICIOUS_TEXT: readonly RegExp[] = [
  ...Object.values(BEHAVIOUR_PATTERNS).flat(),
  /\b(?:https?|ftp):\/\//i,
  /\.(?:exe|dll|scr|ps1|vbs|js|jse|hta|bat|cmd|lnk)\b/i,
];

const SUSPICIOUS_IDENTIFIER =
  /^(?:Shell|ShellExecute(?:Ex)?[AW]?|CreateObject|GetObject|URLDownloadToFile[AW]?|CallByName|Environ\$?|ExecuteExcel4Macro|MacScript|CreateProcess[AW]?|VirtualAlloc(?:Ex)?|VirtualProtect|RtlMoveMemory|WriteProcessMemory|CreateThread|CreateRemoteThread|WinExec)$/i;

/** p-code strings shorter than this count for (C)/(D) only when suspicious. */
const MIN_PLAIN_STRING = 5;
const MAX_EVIDENCE = 6;

interface Compiled {
  container: string;
  project: ProjectCompiled;
}

/** Reads the compiled side of every VBA project of the artifact (OLE, vbaProject.bin, OOXML parts). */
async function compiledProjects(ctx: AnalysisContext): Promise<Compiled[]> {
  const { artifact, bytes } = ctx;
  if (artifact.type === 'ole') {
    const cfb = ctx.memo('cfb', () => parseCfb(bytes, { maxStreamBytes: ctx.limits.maxFileSize }));
    return readVbaCompiled(cfb).map((project) => ({ container: artifact.path, project }));
  }
  if (artifact.type !== 'ooxml') return [];
  const pkg = await ctx.memo('ooxml', () =>
    readOoxml(bytes, { maxTotalBytes: ctx.remainingBytes() }),
  );
  const out: Compiled[] = [];
  for (const [index, part] of pkg.vbaProjects.entries()) {
    ctx.checkDeadline();
    try {
      for (const project of readVbaCompiled(projectCfb(ctx, index, part.bytes))) {
        out.push({ container: part.partName, project });
      }
    } catch {
      // Not a compound file: the source side already reports it (E_VBA_PROJECT_UNREADABLE).
      continue;
    }
  }
  return out;
}

/** Compares every project's p-code and identifiers with the source the vba engine read. */
export async function detectStomping(
  ctx: AnalysisContext,
  macros: readonly ExtractedMacro[],
  sourceAnomalies: readonly Anomaly[],
): Promise<StompingResult> {
  const findings: Finding[] = [];
  const revealed: string[] = [];
  let projects: Compiled[];
  try {
    projects = await compiledProjects(ctx);
  } catch (error) {
    // SECURITY: the compiled side is a second opinion; failing to read it must not cost the source
    // analysis its findings. Limits (the deadline) still stop the engine.
    if (error instanceof LimitError) throw error;
    return { findings, revealed };
  }
  for (const { container, project } of projects) {
    if (!project.hasCache) continue;
    // SECURITY: a layout the reader does not know is reported as such, never compared: reading an
    // unknown cache as a known one would turn every such document into a false "stomped".
    if (project.notUnderstood !== undefined) {
      findings.push(
        pcodeNotUnderstood([
          {
            text: project.notUnderstood,
            location: `${container}:${project.root ? `${project.root}/` : ''}VBA/_VBA_PROJECT`,
          },
        ]),
      );
      continue;
    }
    const sources = macros.filter((m) => m.container === container);
    const result = compareProject(project, sources, sourceAnomalies);
    revealed.push(...result.revealed);
    if (result.evidence.length > 0) findings.push(stomped(result.evidence.slice(0, MAX_EVIDENCE)));
  }
  return { findings, revealed };
}

function isSuspicious(text: string): boolean {
  return SUSPICIOUS_TEXT.some((re) => re.test(text));
}

/**
 * Physical source lines, blank and `Attribute` lines included: a generous bound, since the p-code line
 * directory has at most one entry per line the editor shows (and blank or continued lines compile to
 * nothing), whatever the VBA version.
 */
function sourceLines(code: string): number {
  const body = code.replace(/(?:\r\n|\r|\n)$/, '');
  return body === '' ? 0 : body.split(/\r\n|\r|\n/).length;
}

/** The source of a project as the comparisons need it. */
interface SourceView {
  byStream: Map<string, string>;
  isExplained(text: string): boolean;
  hasWord(word: string): boolean;
  isTruncated(stream: string): boolean;
}

function sourceView(sources: readonly ExtractedMacro[], anomalies: readonly Anomaly[]): SourceView {
  const all = sources.map((m) => m.code).join('\n');
  const words = new Set((all.match(/[A-Za-z_]\w*/g) ?? []).map((w) => w.toLowerCase()));
  return {
    byStream: new Map(sources.map((m) => [(m.stream ?? '').toUpperCase(), m.code])),
    // VBA source doubles a quote inside a literal; the p-code stores it once.
    isExplained: (text) => all.includes(text) || all.includes(text.replaceAll('"', '""')),
    hasWord: (word) => words.has(word.toLowerCase()),
    // A source that decompressed with errors is cut short: its line count proves nothing.
    isTruncated: (stream) =>
      anomalies.some((a) => a.location === stream || a.location?.endsWith(`:${stream}`)),
  };
}

interface Observed {
  /** Decisive on their own: signals (A) and (B). */
  strong: Evidence[];
  /** p-code strings no source has, not suspicious in themselves. */
  unexplained: Evidence[];
  /** p-code strings long or suspicious enough to count. */
  counted: number;
  revealed: string[];
}

function observeModule(module: ModuleCompiled, view: SourceView, seen: Observed): void {
  const pcode = module.pcode;
  if (!pcode || pcode.codeLineCount === 0) return;
  for (const s of pcode.strings) {
    const suspicious = isSuspicious(s.text);
    if (!suspicious && s.text.trim().length < MIN_PLAIN_STRING) continue;
    seen.counted++;
    if (view.isExplained(s.text)) continue;
    seen.revealed.push(s.text);
    const evidence = { text: s.text, line: s.line + 1, location: module.stream };
    if (suspicious) seen.strong.push({ ...evidence, note: 'in the p-code, in no source (A)' });
    else seen.unexplained.push({ ...evidence, note: 'in the p-code, in no source' });
  }
  const source = view.byStream.get(module.stream.toUpperCase());
  if (view.isTruncated(module.stream)) return;
  if (source === undefined) {
    seen.strong.push({
      text: `${pcode.codeLineCount} compiled line(s), no source`,
      location: module.stream,
      note: 'p-code without source (B)',
    });
  } else if (pcode.codeLineCount > sourceLines(source)) {
    seen.strong.push({
      text: `${pcode.codeLineCount} compiled line(s), ${sourceLines(source)} source line(s)`,
      location: module.stream,
      note: 'the p-code is longer than its source (B)',
    });
  }
}

function compareProject(
  project: ProjectCompiled,
  sources: readonly ExtractedMacro[],
  sourceAnomalies: readonly Anomaly[],
): { evidence: Evidence[]; revealed: string[] } {
  const view = sourceView(sources, sourceAnomalies);
  const seen: Observed = { strong: [], unexplained: [], counted: 0, revealed: [] };
  for (const module of project.modules) observeModule(module, view, seen);
  const missingIds = project.identifiers.filter(
    (id) => (SUSPICIOUS_IDENTIFIER.test(id) || isAutoexecName(id)) && !view.hasWord(id),
  );
  const ids: Evidence[] = missingIds.length
    ? [
        {
          text: missingIds.slice(0, 20).join(', '),
          location: `${project.root ? `${project.root}/` : ''}VBA/_VBA_PROJECT`,
          note: 'compiled identifiers that no source uses (C)',
        },
      ]
    : [];
  const { strong, unexplained, counted, revealed } = seen;
  if (strong.length > 0) return { evidence: [...strong, ...ids, ...unexplained], revealed };
  const byIdentifiers = ids.length > 0 && unexplained.length > 0;
  const byStrings = unexplained.length >= 3 && unexplained.length * 2 >= counted;
  if (byIdentifiers || byStrings) return { evidence: [...ids, ...unexplained], revealed };
  return { evidence: [], revealed: [] };
}
