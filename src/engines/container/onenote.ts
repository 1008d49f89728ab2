import {
  findingForError,
  type AnalysisContext,
  type ChildInput,
  type EngineOutput,
  type Evidence,
  type FileType,
  type Finding,
} from '../../core/index.js';
import { parseOneNote, type OneNoteSection } from '../../formats/onenote/index.js';
import { sniffType } from '../../formats/sniff/index.js';
import { ExtractionBudget } from './budget.js';
import { sizeLimit } from './disk-image.js';
import { anomalyFindings, capped, embeddedFile, embeddedScript, lureText } from './findings.js';
import { extensionOf, typeHintFor } from './hints.js';

// What OneNote hands to the shell on a double-click and runs: scripts, shortcuts, programs, installers.
const RUNNABLE_EXT =
  /^\.(?:hta|vbs|vbe|js|jse|wsf|wsh|bat|cmd|ps1|lnk|url|exe|dll|scr|cpl|msi|chm|iso|img|vhdx?|jar)$/i;
const RUNNABLE_TYPES: ReadonlySet<FileType> = new Set([
  'script',
  'powershell',
  'lnk',
  'pe',
  'vba-source',
]);
const EXT_BY_TYPE: Partial<Record<FileType, string>> = {
  html: '.html',
  script: '.txt',
  powershell: '.ps1',
  lnk: '.lnk',
  pe: '.exe',
  ole: '.doc',
  ooxml: '.docx',
  zip: '.zip',
  pdf: '.pdf',
  iso: '.iso',
  onenote: '.one',
  text: '.txt',
};
const LURE =
  /double[\s-]?click|click (?:here )?to (?:view|open|unlock)|to view (?:the )?(?:document|file|invoice)|this (?:document|file) is (?:protected|encrypted)|enable (?:content|editing)|open (?:the )?attachment|ダブルクリック/i;

/** A .one section → its embedded files as children, with what they are and the lure around them. */
export function analyzeOneNote(ctx: AnalysisContext): EngineOutput {
  let section: OneNoteSection;
  try {
    section = ctx.memo('onenote.parsed', () =>
      parseOneNote(ctx.bytes, {
        maxEmbedded: Math.max(1, ctx.limits.maxMembers + 1),
        checkDeadline: () => ctx.checkDeadline(),
      }),
    );
  } catch (error) {
    return { findings: [findingForError(error, ctx.artifact.name)] };
  }
  const findings: Finding[] = anomalyFindings(section.anomalies, ctx.artifact.name);
  const budget = new ExtractionBudget(ctx);
  const children: ChildInput[] = [];
  const listed: Evidence[] = [];
  const runnable: Evidence[] = [];
  for (const [i, file] of section.embedded.entries()) {
    const stop = budget.stop(section.embedded.length - i);
    if (stop) {
      findings.push(findingForError(stop, `embedded-${i + 1}`));
      break;
    }
    const bytes = ctx.bytes.subarray(
      file.dataOffset,
      file.dataOffset + Math.min(file.length, budget.maxChild),
    );
    const type = sniffType(bytes);
    const ext = (file.extension ?? extensionOf(file.name ?? '')).toLowerCase();
    const name = file.name ?? `embedded-${i + 1}${ext || EXT_BY_TYPE[type] || '.bin'}`;
    if (bytes.length < file.length)
      findings.push(findingForError(sizeLimit(ctx, name, file.length, budget.maxChild), name));
    budget.take(bytes.length);
    children.push({ name, bytes, relation: 'embedded', ...typeHintFor(ext) });
    const evidence: Evidence = {
      location: name,
      offset: file.dataOffset,
      text: name,
      note: [
        `${file.length} bytes`,
        `content ${type}`,
        file.sourcePath ? `inserted from ${file.sourcePath}` : '',
      ]
        .filter(Boolean)
        .join(', '),
    };
    listed.push(evidence);
    if (RUNNABLE_EXT.test(ext) || RUNNABLE_TYPES.has(type) || (type === 'html' && isHta(bytes)))
      runnable.push(evidence);
  }
  if (listed.length > 0) findings.push(embeddedFile(capped(listed)));
  if (runnable.length > 0) findings.push(embeddedScript(capped(runnable)));
  const lures = section.texts.filter((t) => LURE.test(t));
  if (lures.length > 0)
    findings.push(lureText(capped(lures.map((t) => ({ location: 'page text', text: t })))));
  return { findings, children };
}

function isHta(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 64 * 1024));
  return /<hta:application\b|<script[^>]{0,200}language\s*=\s*["']?vbscript/i.test(head);
}
