import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BEHAVIOUR_PATTERNS, PATTERN_NEEDS } from './heuristics.js';

const PATTERNS = Object.values(BEHAVIOUR_PATTERNS).flat();

/** Text that matches the patterns, in the case mixes macros use. */
const SAMPLES = [
  'Set o = GetObject("winmgmts:\\\\.\\root\\cimv2:Win32_ProcessStartup")',
  'CreateObject("WbemScripting.SWbemLocator")',
  'VBA.Shell("cmd /c calc")',
  'Interaction.Shell x, 0',
  'SHELL "calc"',
  'CreateObject("WScript.Shell").Run "mshta.exe http://x"',
  'Shell.Application',
  'ShellExecuteExW 0',
  'CreateProcessA',
  'MacScript("do shell script")',
  'CMD.EXE /C whoami',
  'RunDll32.exe x,y : regsvr32 /s : CScript a.vbs : wscript b.js',
  'PowerShell_ISE.exe -w Hidden -nop; pwsh.exe -WindowStyle 1',
  'URLDownloadToFileA 0, "http://x", "c:\\a.exe", 0, 0',
  'CreateObject("MSXML2.ServerXMLHTTP.6.0") : Microsoft.XMLHTTP',
  'WinHttp.WinHttpRequest.5.1',
  'New-Object Net.WebClient).DownloadString("http://x")',
  'DownloadFile DownloadData',
  'InternetOpenUrlW',
  'bitsadmin /transfer',
  'certutil.exe -f -urlcache -split http://x',
  'Invoke-WebRequest http://x; iwr   http://y',
  'ADODB.Stream : .SaveToFile "a", 2 : fso.CreateTextFile("b")',
  '  Open "c:\\x.bat" For Output As #1',
  'Put #1, , data',
  'obj.ShowWindow = False : vbHide',
  'Private Declare PtrSafe Function Sleep Lib "kernel32" (ByVal ms As Long)',
  'VirtualAllocEx : RtlMoveMemory : CreateRemoteThread : QueueUserAPC : NtCreateThreadEx',
  'EnumSystemLanguageGroupsW : EnumChildWindows',
  'Environ("TEMP") : CallByName x, "Run", 1 : Application.Run "m"',
  'ExecuteExcel4Macro "EXEC(1)" : SendKeys "x" : Kill "a" : FileCopy a, b',
  'RegWrite RegRead RegDelete : MkDir "c:\\t"',
  'ThisDocument.VBProject.VBComponents(1).CodeModule.AddFromString s',
];

describe('vba heuristics: PATTERN_NEEDS quick tests', () => {
  it('has an entry for every behaviour pattern and none for a pattern that is gone', () => {
    const sources = new Set(PATTERNS.map((re) => re.source));
    for (const re of PATTERNS) assert.ok(PATTERN_NEEDS.has(re.source), `no entry: ${re.source}`);
    for (const source of PATTERN_NEEDS.keys()) assert.ok(sources.has(source), `stale: ${source}`);
  });

  it('names text written in the pattern itself', () => {
    for (const re of PATTERNS) {
      const literal = re.source.replace(/\\(.)/g, '$1').toLowerCase();
      for (const need of PATTERN_NEEDS.get(re.source) ?? []) {
        assert.ok(literal.includes(need), `${need} is not in ${re.source}`);
      }
    }
  });

  it('never rules out a match: every match contains one of its entries', () => {
    for (const sample of SAMPLES) {
      for (const text of [sample, sample.toUpperCase(), sample.toLowerCase()]) {
        const lower = text.toLowerCase();
        for (const re of PATTERNS) {
          const m = re.exec(text);
          if (!m) continue;
          const needs = PATTERN_NEEDS.get(re.source) ?? [];
          assert.ok(
            needs.some((n) => m[0].toLowerCase().includes(n) && lower.includes(n)),
            `${re.source} matched ${m[0]} without ${needs.join('|')}`,
          );
        }
      }
    }
    // Every pattern is exercised by some sample, so the check above covers all of them.
    for (const re of PATTERNS)
      assert.ok(
        SAMPLES.some((s) => re.test(s)),
        `no sample: ${re.source}`,
      );
  });
});
