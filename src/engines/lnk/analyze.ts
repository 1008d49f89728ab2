import {
  findingForError,
  findingsForAnomalies,
  type AnalysisContext,
  type Anomaly,
  type ChildInput,
  type EngineOutput,
  type Finding,
} from '../../core/index.js';
import {
  collapseWhitespace,
  DOWNLOAD_PATTERNS,
  EXECUTE_PATTERNS,
  findLolbins,
  matchPatterns,
  programName,
  stripCarets,
  type LolbinFamily,
} from '../../formats/command-line/index.js';
import { extractIndicators } from '../../formats/indicators/index.js';
import { parseLnk, type ShellLink } from '../../formats/lnk/index.js';
import { findEncodedCommands } from '../../formats/powershell/index.js';
import { appendedChildren } from './appended.js';
import * as F from './findings.js';
import { hiddenArgumentsEvidence, iconTrickEvidence } from './heuristics.js';
import { metadataEvidence } from './metadata.js';

export const LNK_MEMO = 'lnk.parsed';

const FAMILY_FINDING: Readonly<Record<LolbinFamily, typeof F.shellCommand>> = {
  shell: F.shellCommand,
  'script-host': F.scriptHost,
  proxy: F.proxyExecution,
  download: F.downloadTool,
};

// cmd.exe reading a file that names a .lnk (itself) and redirecting it into a new file.
const SELF_READ =
  /\b(?:findstr|find|type|more|Get-Content|gc|Select-String|ReadAll(?:Text|Bytes|Lines))\b[^&|\r\n]{0,400}\.lnk\b/i;
const WRITES_FILE =
  />\s*["']?[^\s"'&|]+|\b(?:Set-Content|Out-File|WriteAll(?:Bytes|Text)|-decode)\b/i;

/** A Shell Link → what it runs, how it hides it, what it carries after itself. */
export function analyzeLnk(ctx: AnalysisContext): EngineOutput {
  let link: ShellLink;
  try {
    link = ctx.memo(LNK_MEMO, () => parseLnk(ctx.bytes));
  } catch (error) {
    return { findings: [findingForError(error, ctx.artifact.name)] };
  }
  const findings: Finding[] = anomalyFindings(link.anomalies, ctx.artifact.name);
  const args = link.strings.arguments ?? '';
  const target = link.target ?? '';
  const commandLine = stripCarets(`${target} ${args}`.trim());
  const collapsed = collapseWhitespace(commandLine);
  const encoded = findEncodedCommands(commandLine);
  const decoded = encoded.map((e) => e.decoded).join('\n');
  const hasArgs = args.trim() !== '';

  findings.push(F.metadata(metadataEvidence(link)));
  if (hasArgs) findings.push(...lolbinFindings(programName(target), args, collapsed));
  const analysed = `${commandLine}\n${decoded}`;
  const downloads = matchPatterns(analysed, DOWNLOAD_PATTERNS);
  const executes = matchPatterns(analysed, EXECUTE_PATTERNS);
  if (hasArgs && downloads.length > 0 && executes.length > 0) {
    findings.push(
      F.downloadAndExecute([
        { location: 'command line', text: collapsed },
        { location: downloads[0]!.pattern, text: downloads[0]!.text },
        { location: executes[0]!.pattern, text: executes[0]!.text },
      ]),
    );
  }
  if (SELF_READ.test(args) && WRITES_FILE.test(args)) {
    findings.push(F.carvesItself({ location: 'arguments', text: collapseWhitespace(args) }));
  }
  const hidden = hiddenArgumentsEvidence(args);
  if (hidden) findings.push(F.hiddenArguments(hidden));
  const icon = iconTrickEvidence(link, ctx.artifact.name);
  if (icon.length > 0) findings.push(F.documentIcon(icon));

  const children: ChildInput[] = encoded.map((e, i) => ({
    name: `powershell-decoded-${i + 1}.ps1`,
    bytes: new TextEncoder().encode(e.decoded),
    relation: 'decoded',
    typeHint: 'powershell',
  }));
  if (
    encoded.length === 0 &&
    findLolbins(commandLine).some((h) => h.name === 'powershell' || h.name === 'pwsh')
  ) {
    // The inline command goes to the PowerShell engine, which undoes backticks and format strings.
    children.push({
      name: 'command-line.ps1',
      bytes: new TextEncoder().encode(collapsed),
      relation: 'command-line',
      typeHint: 'powershell',
    });
  }
  if (link.trailing) {
    findings.push(
      F.appendedData({
        offset: link.trailing.offset,
        text: `${link.trailing.length} bytes after the terminal block`,
      }),
    );
    children.push(...appendedChildren(ctx.bytes.subarray(link.trailing.offset), args));
  }
  const iocText = [
    commandLine,
    decoded,
    link.linkInfo?.netName ?? '',
    link.strings.workingDir ?? '',
  ].join('\n');
  return {
    findings,
    children,
    extracted: {
      iocs: extractIndicators(iocText),
      powershell: encoded.map((e) => ({ raw: e.raw, decoded: e.decoded })),
    },
  };
}

function lolbinFindings(targetProgram: string, args: string, collapsed: string): Finding[] {
  const hits = findLolbins(stripCarets(args));
  const families = new Map<LolbinFamily, string[]>();
  const add = (family: LolbinFamily, name: string) => {
    const names = families.get(family) ?? [];
    if (!names.includes(name)) names.push(name);
    families.set(family, names);
  };
  const targetFamily = findLolbins(targetProgram)[0];
  if (targetFamily) add(targetFamily.family, targetFamily.name);
  for (const hit of hits) add(hit.family, hit.name);
  return [...families].map(([family, names]) =>
    FAMILY_FINDING[family]({
      location: 'command line',
      text: collapsed,
      note: `runs ${names.join(', ')}`,
    }),
  );
}

/** Parser anomalies as findings: E_LNK_TOO_MANY_* are limits reached, the rest malformed structure. */
function anomalyFindings(anomalies: readonly Anomaly[], where: string): Finding[] {
  return findingsForAnomalies(anomalies, where, (code) => code.startsWith('E_LNK_TOO_MANY'));
}
