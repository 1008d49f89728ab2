/**
 * Keyword tables for macro behaviour, grouped as mraptor groups them (AutoExec, Write, Execute) plus the
 * Emotet specifics (WMI, PowerShell). Patterns run on comment-free code and on deobfuscated strings.
 */
export type Behaviour =
  | 'wmi'
  | 'shell'
  | 'powershell'
  | 'download'
  | 'write'
  | 'hidden'
  | 'win32'
  | 'injection'
  | 'keyword';

export const BEHAVIOUR_PATTERNS: Readonly<Record<Behaviour, readonly RegExp[]>> = {
  wmi: [/winmgmts:?/i, /\bWin32_Process(?:Startup)?\b/i, /\bWbemScripting\.SWbem\w+/i],
  shell: [
    /(?<![\w.])(?:VBA\.|Interaction\.)?Shell\s*[("]/i,
    /(?<![\w.])(?:VBA\.|Interaction\.)?Shell\s+\w/i,
    /\bWScript\.Shell\b/i,
    /\bShell\.Application\b/i,
    /\bShellExecute(?:Ex)?[AW]?\b/i,
    /\bCreateProcess[AW]?\b/i,
    /\bMacScript\b/i,
    /\bcmd(?:\.exe)?\s+\/[ckr]\b/i,
    /\b(?:rundll32|regsvr32|mshta|wscript|cscript)(?:\.exe)?\b/i,
  ],
  powershell: [/\bpowershell(?:\.exe|_ise)?\b/i, /\bpwsh(?:\.exe)?\b/i],
  download: [
    /\bURLDownloadToFile[AW]?\b/i,
    /\b(?:Microsoft|MSXML2)\.(?:Server)?XMLHTTP(?:\.\d\.\d)?\b/i,
    /\bWinHttp\.WinHttpRequest\b/i,
    /\bNet\.WebClient\b/i,
    /\bDownload(?:File|String|Data)\b/i,
    /\bInternetOpenUrl[AW]?\b/i,
    /\bbitsadmin\b/i,
    /\bcertutil(?:\.exe)?\b[^\n]{0,40}-urlcache\b/i,
    /\bInvoke-WebRequest\b|\biwr\s+http/i,
  ],
  write: [
    /\bADODB\.Stream\b/i,
    /\bSaveToFile\b/i,
    /^\s*Open\s+.+\s+For\s+(?:Binary|Output|Append)\b/im,
    /\bCreateTextFile\b/i,
    /\bPut\s+#\d/i,
  ],
  hidden: [
    /\bShowWindow\s*=\s*(?:0|False)\b/i,
    /\bvbHide\b/i,
    /-w(?:indowstyle)?\s+(?:hidden|1)\b/i,
  ],
  // Declare … Lib: the macro calls Windows directly (olevba "Suspicious: Lib").
  win32: [/\bDeclare\s+(?:PtrSafe\s+)?(?:Function|Sub)\s+\w+\s+Lib\s+"/i],
  // Shellcode runners: allocate, copy, start a thread, or abuse an enumeration callback.
  injection: [
    /\b(?:VirtualAlloc(?:Ex)?|VirtualProtect|RtlMoveMemory|WriteProcessMemory|CreateRemoteThread|CreateThread|NtCreateThreadEx|QueueUserAPC)\b/i,
    /\bEnum(?:SystemLanguageGroups|DateFormats|SystemCodePages|Windows|ChildWindows)\w*\b/i,
  ],
  // olevba's remaining "Suspicious" keywords: capabilities, not intent.
  keyword: [
    /\bEnviron\s*\(/i,
    /\bCallByName\b/i,
    /\bApplication\.Run\b/i,
    /\bExecuteExcel4Macro\b/i,
    /\bSendKeys\b/i,
    /\bKill\s+\S/i,
    /\bFileCopy\b/i,
    /\bReg(?:Write|Read|Delete)\b/i,
    /\bCreateObject\s*\(/i,
    /\bGetObject\s*\(/i,
    /\bMkDir\b/i,
    /\bAddFromString\b|\bVBProject\b|\bVBComponents\b/i,
  ],
};

/**
 * Lower-case text that every match of a behaviour pattern contains (at least one entry of the list), by
 * the pattern's source: `includes` on the lower-cased text rules the pattern out before its regex runs
 * (no pattern has the `u` flag, so an `i` pattern only matches these ASCII letters as ASCII letters,
 * which lower-case in place). A pattern without an entry is always run. SECURITY: a wrong entry hides
 * a behaviour; each must be text of the pattern that none of its alternatives can avoid.
 */
export const PATTERN_NEEDS: ReadonlyMap<string, readonly string[]> = new Map(
  (
    [
      [/winmgmts:?/i, ['winmgmts']],
      [/\bWin32_Process(?:Startup)?\b/i, ['win32_process']],
      [/\bWbemScripting\.SWbem\w+/i, ['wbemscripting.swbem']],
      [/(?<![\w.])(?:VBA\.|Interaction\.)?Shell\s*[("]/i, ['shell']],
      [/(?<![\w.])(?:VBA\.|Interaction\.)?Shell\s+\w/i, ['shell']],
      [/\bWScript\.Shell\b/i, ['wscript.shell']],
      [/\bShell\.Application\b/i, ['shell.application']],
      [/\bShellExecute(?:Ex)?[AW]?\b/i, ['shellexecute']],
      [/\bCreateProcess[AW]?\b/i, ['createprocess']],
      [/\bMacScript\b/i, ['macscript']],
      [/\bcmd(?:\.exe)?\s+\/[ckr]\b/i, ['cmd']],
      [
        /\b(?:rundll32|regsvr32|mshta|wscript|cscript)(?:\.exe)?\b/i,
        ['rundll32', 'regsvr32', 'mshta', 'wscript', 'cscript'],
      ],
      [/\bpowershell(?:\.exe|_ise)?\b/i, ['powershell']],
      [/\bpwsh(?:\.exe)?\b/i, ['pwsh']],
      [/\bURLDownloadToFile[AW]?\b/i, ['urldownloadtofile']],
      [/\b(?:Microsoft|MSXML2)\.(?:Server)?XMLHTTP(?:\.\d\.\d)?\b/i, ['xmlhttp']],
      [/\bWinHttp\.WinHttpRequest\b/i, ['winhttp.winhttprequest']],
      [/\bNet\.WebClient\b/i, ['net.webclient']],
      [/\bDownload(?:File|String|Data)\b/i, ['download']],
      [/\bInternetOpenUrl[AW]?\b/i, ['internetopenurl']],
      [/\bbitsadmin\b/i, ['bitsadmin']],
      [/\bcertutil(?:\.exe)?\b[^\n]{0,40}-urlcache\b/i, ['certutil']],
      [/\bInvoke-WebRequest\b|\biwr\s+http/i, ['invoke-webrequest', 'iwr']],
      [/\bADODB\.Stream\b/i, ['adodb.stream']],
      [/\bSaveToFile\b/i, ['savetofile']],
      [/^\s*Open\s+.+\s+For\s+(?:Binary|Output|Append)\b/im, ['open']],
      [/\bCreateTextFile\b/i, ['createtextfile']],
      [/\bPut\s+#\d/i, ['put']],
      [/\bShowWindow\s*=\s*(?:0|False)\b/i, ['showwindow']],
      [/\bvbHide\b/i, ['vbhide']],
      [/-w(?:indowstyle)?\s+(?:hidden|1)\b/i, ['-w']],
      [/\bDeclare\s+(?:PtrSafe\s+)?(?:Function|Sub)\s+\w+\s+Lib\s+"/i, ['declare']],
      [
        /\b(?:VirtualAlloc(?:Ex)?|VirtualProtect|RtlMoveMemory|WriteProcessMemory|CreateRemoteThread|CreateThread|NtCreateThreadEx|QueueUserAPC)\b/i,
        [
          'virtualalloc',
          'virtualprotect',
          'rtlmovememory',
          'writeprocessmemory',
          'createremotethread',
          'createthread',
          'ntcreatethreadex',
          'queueuserapc',
        ],
      ],
      [
        /\bEnum(?:SystemLanguageGroups|DateFormats|SystemCodePages|Windows|ChildWindows)\w*\b/i,
        ['enum'],
      ],
      [/\bEnviron\s*\(/i, ['environ']],
      [/\bCallByName\b/i, ['callbyname']],
      [/\bApplication\.Run\b/i, ['application.run']],
      [/\bExecuteExcel4Macro\b/i, ['executeexcel4macro']],
      [/\bSendKeys\b/i, ['sendkeys']],
      [/\bKill\s+\S/i, ['kill']],
      [/\bFileCopy\b/i, ['filecopy']],
      [/\bReg(?:Write|Read|Delete)\b/i, ['reg']],
      [/\bCreateObject\s*\(/i, ['createobject']],
      [/\bGetObject\s*\(/i, ['getobject']],
      [/\bMkDir\b/i, ['mkdir']],
      [
        /\bAddFromString\b|\bVBProject\b|\bVBComponents\b/i,
        ['addfromstring', 'vbproject', 'vbcomponents'],
      ],
    ] as const
  ).map(([re, needs]) => [re.source, needs]),
);

/** Auto-run procedure names (olevba's AutoExec list): document/workbook events and self-firing ActiveX events. */
const AUTOEXEC_NAMES =
  /^(?:Auto_?Open|AutoExec|Auto_?Close|Auto_?New|Auto_?Exit|Document_?Open|Document_?Close|Document_?BeforeClose|Document_?New|NewDocument|Document_?Change|Document_ContentControlOnEnter|Workbook_(?:Open|Activate|Close|BeforeClose|Deactivate|WindowActivate|SheetActivate)|Worksheet_(?:Activate|Calculate)|App_\w+|Presentation_Open|Auto_?Activate)$/i;
// ActiveX controls fire these without a click (Emotet used InkPicture1_Painted, Frame1_Layout, …).
const AUTOEXEC_ACTIVEX =
  /^\w+_(?:Layout|Painted|Painting|Resize|GotFocus|LostFocus|Initialize|Activate|MouseHover|MouseMove|Change|BeforeNavigate2|DocumentComplete|NavigateComplete2|ProgressChange|StatusTextChange|Enter|Exit|Scroll|Zoom|OnConnecting|FollowHyperlink)$/i;

export function isAutoexecName(name: string): boolean {
  return AUTOEXEC_NAMES.test(name) || AUTOEXEC_ACTIVEX.test(name);
}

/** Obfuscation markers counted over the code: many of them in one module is not how people write macros. */
export const OBFUSCATION_MARKERS = /\b(?:ChrW?B?\$?\s*\(|StrReverse\s*\(|CallByName\s*\()/gi;
export const OBFUSCATION_THRESHOLD = 10;
