/**
 * What a command line or script does, by the words it uses: fetching from the network and starting code.
 * Shared by the shortcut and script engines; kept small and specific so ordinary admin scripts and web
 * pages do not match (no bare `http` counts as a download, no bare `start` as an execution).
 */
export interface PatternHit {
  pattern: string;
  text: string;
  index: number;
}

export const DOWNLOAD_PATTERNS: Readonly<Record<string, RegExp>> = {
  'curl/wget': /\b(?:curl|wget)(?:\.exe)?\s+[^\r\n]{0,200}?(?:https?|ftp):\/\//i,
  bitsadmin: /\bbitsadmin(?:\.exe)?\s+[^\r\n]{0,40}\/(?:transfer|addfile)\b/i,
  'certutil -urlcache': /\bcertutil(?:\.exe)?\s+[^\r\n]{0,80}-(?:urlcache|verifyctl)\b/i,
  'powershell download':
    /\b(?:Download(?:File|String|Data)|Invoke-WebRequest|Invoke-RestMethod|Start-BitsTransfer|Net\.WebClient|iwr\s+(?:-Uri\s+)?["']?https?:)/i,
  'XMLHTTP request':
    /\b(?:MSXML2\.(?:Server)?XMLHTTP(?:\.\d\.\d)?|Microsoft\.XMLHTTP|WinHttp\.WinHttpRequest(?:\.5\.1)?)\b/i,
  'ADODB.Stream': /\bADODB\.Stream\b/i,
  'remote script':
    /\b(?:mshta(?:\.exe)?\s+["']?(?:https?|ftp):|script:(?:https?|ftp):|\/i:(?:https?|ftp):)/i,
  'WebDAV path':
    /\\\\[\w.-]+@(?:SSL@)?\d*\\DavWWWRoot\\|\\\\\d{1,3}(?:\.\d{1,3}){3}(?:@\d+)?\\[^\s"']+\.(?:dll|exe|ocx|cpl|vbs|js|hta|bat|cmd|ps1)\b/i,
  'msiexec remote': /\bmsiexec(?:\.exe)?\s+[^\r\n]{0,40}\/[iq]\S*\s+["']?https?:/i,
};

export const EXECUTE_PATTERNS: Readonly<Record<string, RegExp>> = {
  'rundll32/regsvr32': /\b(?:rundll32|regsvr32)(?:\.exe)?\b/i,
  'Shell Run/Exec': /\.(?:Run|Exec|ShellExecute)\b\s*\(?/i,
  'Start-Process':
    /\b(?:Start-Process|saps|Invoke-Item|\[(?:System\.)?Diagnostics\.Process\]::Start)\b/i,
  'Invoke-Expression': /\b(?:Invoke-Expression|iex)\b/i,
  'WMI Win32_Process.Create':
    /Win32_Process[^\r\n]{0,80}\bCreate\b|\bCreate\s*\([^\r\n]{0,20}Win32_Process/i,
  'cmd start/call':
    /(?:^|[&|(]\s*|\/[ck]\s+)(?:start|call)\s+(?:\/\w+\s+)*["']?[^\s"'&|]+\.(?:exe|dll|vbs|js|jse|hta|bat|cmd|ps1|scr)\b/im,
  'runs a dropped file':
    /(?:^|[&|]\s*|\/[ck]\s+)["']?%(?:tmp|temp|appdata|public|programdata|userprofile)%\\[^\s"'&|]+\.(?:exe|vbs|js|jse|hta|bat|cmd|scr)\b/im,
  'script host': /\b(?:wscript|cscript|mshta)(?:\.exe)?\s+["']?[^\s"']+/i,
};

/** The first match of each pattern, in pattern order. */
export function matchPatterns(
  text: string,
  patterns: Readonly<Record<string, RegExp>>,
): PatternHit[] {
  const hits: PatternHit[] = [];
  for (const [pattern, re] of Object.entries(patterns)) {
    const m = re.exec(text);
    if (m) hits.push({ pattern, text: m[0].trim(), index: m.index });
  }
  return hits;
}

/** cmd.exe drops `^` escapes before it runs a line: `p^ow^er^shell` is powershell. */
export function stripCarets(text: string): string {
  return text.includes('^') ? text.replace(/\^(?=[^\r\n])/g, '') : text;
}

/** Runs of whitespace (padding, newlines) as one space, for evidence that stays readable. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The longest run of whitespace and where it starts. */
export function longestWhitespaceRun(text: string): { length: number; index: number } {
  let best = { length: 0, index: -1 };
  for (const m of text.matchAll(/\s{2,}/g)) {
    if (m[0].length > best.length) best = { length: m[0].length, index: m.index ?? 0 };
  }
  return best;
}
