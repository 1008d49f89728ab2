import type { Evidence } from '../../core/index.js';
import {
  collapseWhitespace,
  findLolbins,
  longestWhitespaceRun,
  programName,
} from '../../formats/command-line/index.js';
import type { ShellLink } from '../../formats/lnk/index.js';

// Explorer's Target field shows MAX_PATH (260) characters of target and arguments together.
const EXPLORER_VISIBLE = 260;
// A whitespace run this long is padding, not formatting.
const PADDING_RUN = 32;
// Arguments this long are past anything a person reads in the properties dialog.
const LONG_ARGUMENTS = 1024;

/** Evidence that the arguments hide the command: padding, line breaks, or sheer length. */
export function hiddenArgumentsEvidence(args: string): Evidence[] | undefined {
  const run = longestWhitespaceRun(args);
  const lineBreaks = (args.match(/[\r\n]/g) ?? []).length;
  if (run.length < PADDING_RUN && lineBreaks === 0 && args.length <= LONG_ARGUMENTS)
    return undefined;
  const start = args.search(/\S/);
  const notes = [
    `${args.length} characters`,
    run.length >= PADDING_RUN ? `${run.length} whitespace characters at ${run.index}` : '',
    lineBreaks > 0 ? `${lineBreaks} line breaks` : '',
    start >= EXPLORER_VISIBLE
      ? `command starts at character ${start}, past the ${EXPLORER_VISIBLE} Explorer shows`
      : '',
  ].filter(Boolean);
  return [{ location: 'arguments', text: collapseWhitespace(args), note: notes.join('; ') }];
}

const DOCUMENT_EXT = /\.(?:pdf|docx?|docm|xlsx?|xlsm|pptx?|rtf|txt|jpe?g|png|one|html?|csv)\b/i;
// Icon sources that hold document icons: shell icon libraries, and programs whose icon sets include a
// document icon (msedge.exe index 11 is Edge's PDF icon, used by 2022–2023 QakBot/Emotet shortcuts).
const ICON_LIBRARY = /(?:^|[\\/])(?:shell32|imageres|moricons|pifmgr|ddores|wmploc)\.dll$/i;
const DOCUMENT_PROGRAM =
  /(?:^|[\\/])(?:msedge|chrome|firefox|AcroRd32|Acrobat|winword|excel|powerpnt|wordpad|notepad)\.exe$/i;
const SCRIPT_TARGET = /\.(?:vbs|vbe|js|jse|wsf|hta|bat|cmd|ps1|scr|com|pif)$/i;

/**
 * Evidence that the shortcut poses as a document: an icon from a document type, an icon library or a
 * document program, while its target runs code (a LOLBin or a script), or a document-like name.
 */
export function iconTrickEvidence(link: ShellLink, artifactName: string): Evidence[] {
  const target = link.target ?? '';
  const runsCode =
    findLolbins(programName(target)).length > 0 || SCRIPT_TARGET.test(target.replace(/["']/g, ''));
  if (!runsCode) return [];
  const icon = (link.extra.iconEnvironmentTarget ?? link.strings.iconLocation ?? '')
    .replace(/["']/g, '')
    .trim();
  const evidence: Evidence[] = [];
  const iconProgram = programName(icon);
  const isOwnIcon = icon === '' || iconProgram === programName(target);
  if (
    !isOwnIcon &&
    (DOCUMENT_EXT.test(icon) || ICON_LIBRARY.test(icon) || DOCUMENT_PROGRAM.test(icon))
  ) {
    evidence.push({
      location: 'IconLocation',
      text: `${icon},${link.header.iconIndex}`,
      note: `target ${target}`,
    });
  }
  const name = link.strings.name ?? '';
  if (DOCUMENT_EXT.test(name)) evidence.push({ location: 'NAME_STRING', text: name });
  if (/\.(?:pdf|docx?|xlsx?|rtf|txt|jpe?g)\.lnk$/i.test(artifactName)) {
    evidence.push({ location: 'file name', text: artifactName });
  }
  return evidence;
}
