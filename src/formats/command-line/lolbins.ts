/** Windows programs that droppers start to run, fetch or proxy code (LOLBAS project categories). */
export type LolbinFamily = 'shell' | 'script-host' | 'proxy' | 'download';

export const LOLBINS: Readonly<Record<string, LolbinFamily>> = {
  cmd: 'shell',
  powershell: 'shell',
  pwsh: 'shell',
  conhost: 'shell',
  mshta: 'script-host',
  wscript: 'script-host',
  cscript: 'script-host',
  rundll32: 'proxy',
  regsvr32: 'proxy',
  msiexec: 'proxy',
  forfiles: 'proxy',
  curl: 'download',
  bitsadmin: 'download',
  certutil: 'download',
};

export interface LolbinHit {
  /** Lower-case program name without `.exe`. */
  name: string;
  family: LolbinFamily;
  /** Character offset in the searched text. */
  index: number;
}

const NAMES = Object.keys(LOLBINS).join('|');
// A program name as a command word: at the start, after whitespace, a quote, a path separator or a cmd
// operator, and followed by `.exe`, whitespace, a quote or an operator (not `curl-guide` in a URL path).
const LOLBIN_RE = new RegExp(
  `(?:^|[\\s"'&|;(\\\\/=:])(${NAMES})(?:\\.exe)?(?=$|[\\s"'&|;),])`,
  'gi',
);
const MAX_HITS = 32;

/** Every LOLBin named as a command word in `text`, in order, at most 32. */
export function findLolbins(text: string): LolbinHit[] {
  const hits: LolbinHit[] = [];
  for (const m of text.matchAll(LOLBIN_RE)) {
    if (hits.length >= MAX_HITS) break;
    const name = m[1]!.toLowerCase();
    hits.push({ name, family: LOLBINS[name]!, index: (m.index ?? 0) + m[0].length - m[1]!.length });
  }
  return hits;
}

/** The program a path names, lower-case, without directory, quotes or `.exe`: `cmd` for `%windir%\cmd.exe`. */
export function programName(path: string): string {
  const base = path.replace(/["']/g, '').trim().split(/[\\/]/).pop() ?? '';
  return base.toLowerCase().replace(/\.exe$/, '');
}
