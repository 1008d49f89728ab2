/**
 * Detections that need no indicator: the shapes Emotet's delivery and C2 leave in HTTP and IDS logs.
 * Each is a pure function of one record's view; positive and negative examples live in heuristics.test.ts.
 */
import type { Detection, LogEvent } from '../../core/index.js';
import type { NetView } from '../../formats/netlog/index.js';
import { detectionOf } from './detection.js';
import { hostIp } from './match-iocs.js';
import {
  c2CheckinShape,
  executableMasquerade,
  lolbinDownload,
  suricataEmotetAlert,
} from './rules.js';

/** Content types of Windows executables: libmagic (Zeek), Suricata's magic text, and what servers declare. */
const EXECUTABLE_TYPE =
  /^(application\/(x-dosexec|x-msdownload|x-msdos-program|vnd\.microsoft\.portable-executable|x-executable|x-ms-installer|x-msi)|PE32\+?\s|MS-DOS executable)/i;
const EXECUTABLE_EXTENSION = /\.(exe|dll|scr|cpl|ocx|msi|sys|com|pif)$/i;
/** What a masquerading executable claims to be by its name. */
const INNOCENT_EXTENSION =
  /\.(jpe?g|png|gif|bmp|ico|svg|webp|txt|log|csv|pdf|docx?|xlsx?|pptx?|rtf|zip|rar|7z|gz|html?|css|js|json|xml|mp3|mp4|avi|woff2?|ttf)$/i;

/** User agents of the Windows downloaders Emotet documents used (ATT&CK per tool). */
const DOWNLOADER_AGENTS: { re: RegExp; tool: string; attack: string[] }[] = [
  { re: /WindowsPowerShell\/|\bPowerShell\//i, tool: 'PowerShell', attack: ['T1059.001'] },
  { re: /Microsoft BITS\//i, tool: 'BITS', attack: ['T1197'] },
  { re: /CertUtil URL Agent|Microsoft-CryptoAPI\//i, tool: 'certutil', attack: [] },
];

function pathOf(view: NetView): string {
  const uri = view.uri ?? '';
  return uri.split(/[?#]/)[0]!;
}

export function isSniffedExecutable(view: NetView): boolean {
  return view.sniffedTypes?.some((t) => EXECUTABLE_TYPE.test(t)) === true;
}

function isExecutableTarget(view: NetView): boolean {
  if (isSniffedExecutable(view)) return true;
  if (view.declaredType !== undefined && EXECUTABLE_TYPE.test(view.declaredType)) return true;
  if (EXECUTABLE_EXTENSION.test(pathOf(view))) return true;
  return view.filenames?.some((f) => EXECUTABLE_EXTENSION.test(f)) === true;
}

/** PowerShell / BITS / certutil, or no user agent at all (Net.WebClient), fetching an EXE or DLL. */
export function lolbinDownloadOf(view: NetView, event: LogEvent): Detection | undefined {
  if (view.kind !== 'http' || (view.method !== undefined && view.method !== 'GET'))
    return undefined;
  if (!isExecutableTarget(view)) return undefined;
  const agent = view.userAgent;
  const tool = agent === undefined ? undefined : DOWNLOADER_AGENTS.find((a) => a.re.test(agent));
  // Zeek logs a missing header as unset; a proxy CSV without a user-agent column says nothing.
  const isMissingAgent =
    agent === undefined && event.data._path !== 'proxy' && event.data._path !== 'squid';
  if (!tool && !isMissingAgent) return undefined;
  return detectionOf(lolbinDownload, event, { attack: tool?.attack ?? [] });
}

/** Executable bytes behind a non-executable Content-Type or file name. */
export function executableMasqueradeOf(view: NetView, event: LogEvent): Detection | undefined {
  if (view.kind !== 'http' && view.kind !== 'file') return undefined;
  if (!isSniffedExecutable(view)) return undefined;
  const declared = view.declaredType;
  const isDeclaredOther =
    declared !== undefined && !EXECUTABLE_TYPE.test(declared) && !/octet-stream/i.test(declared);
  const names = [pathOf(view), ...(view.filenames ?? [])];
  const isNamedOther = names.some((n) => INNOCENT_EXTENSION.test(n));
  return isDeclaredOther || isNamedOther ? detectionOf(executableMasquerade, event) : undefined;
}

/**
 * Emotet's C2 ports (Feodo Tracker's Heodo entries, 2019–2022): plain HTTP on 443 is itself odd, the rest
 * are non-standard web ports or service ports used to blend in.
 */
export const EMOTET_C2_PORTS: ReadonlySet<number> = new Set([
  443, 7080, 8080, 8443, 50000, 2080, 4143, 8090, 9080, 990, 465, 995, 20, 21, 22, 53, 143, 3389,
]);

/** Segments of random letters and digits, at least one mixed-case or letters+digits: `/tvF5xQ/a2uFkq/`. */
export function isRandomPath(path: string): boolean {
  const segments = path.split('/').filter((s) => s.length > 0);
  if (segments.length === 0 || segments.length > 8) return false;
  if (!segments.every((s) => /^[A-Za-z0-9]{2,48}$/.test(s))) return false;
  return segments.some(
    (s) =>
      s.length >= 4 &&
      ((/[a-z]/.test(s) && /[A-Z]/.test(s)) || (/[A-Za-z]/.test(s) && /\d/.test(s))),
  );
}

/** The Emotet check-in: POST with a body, to a bare IP, on an Emotet C2 port, to a random path. */
export function c2CheckinOf(view: NetView, event: LogEvent): Detection | undefined {
  if (view.kind !== 'http' || view.method !== 'POST') return undefined;
  if (view.dstPort === undefined || !EMOTET_C2_PORTS.has(view.dstPort)) return undefined;
  if (view.host !== undefined && hostIp(view.host) === undefined) return undefined;
  if (view.requestBodyLen !== undefined && view.requestBodyLen <= 0) return undefined;
  if (!isRandomPath(pathOf(view))) return undefined;
  return detectionOf(c2CheckinShape, event);
}

const EMOTET_NAMES = /\b(emotet|heodo|geodo)\b/i;

/** A Suricata (or Zeek notice) alert whose message or malware_family metadata names Emotet. */
export function emotetAlertOf(view: NetView, event: LogEvent): Detection | undefined {
  if (view.kind !== 'alert') return undefined;
  const named =
    (view.signature !== undefined && EMOTET_NAMES.test(view.signature)) ||
    view.malwareFamilies?.some((f) => EMOTET_NAMES.test(f)) === true;
  return named ? detectionOf(suricataEmotetAlert, event) : undefined;
}
