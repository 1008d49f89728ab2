/**
 * Binary Office documents carrying each kind of active content that the OLE disarmer removes, built
 * from the other builders: a .doc with a VBA project under `Macros` (written by the `cfb` package, so
 * the disarmer also reads another writer's layout), a DDEAUTO field in the text and a package object
 * in ObjectPool; an .xls with an Excel 4.0 macro sheet and Auto_Open (the Emotet 2020 dropper of
 * biff.ts), a VBA project under `_VBA_PROJECT_CUR` with its ObjProj record and an MBD object storage.
 * Inert: the macros only echo, commands name `calc`/`echo`, addresses are TEST-NET.
 */
import { concatBytes } from '../../src/core/index.js';
import { buildVbaProjectCfb, vbaModuleSource } from '../../src/formats/ovba/index.js';
import { buildWorkbookStream, emotetXlmSpec, record, type BiffWorkbookSpec } from './biff.js';
import { buildCfb } from './cfb.js';
import {
  buildCompObj,
  buildPackageNative,
  buildPpt,
  exOleObjStg,
  pptRecord,
  wordText,
} from './oleobj.js';

export const DOC_TEXT = 'Dear customer, the invoice is attached. Regards';
export const DDE_INSTRUCTION = 'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"';

/** A Document_Open macro that goes through WMI to PowerShell: the Emotet step ③④ shape, inert. */
export function inertMacro(moduleName: string): string {
  return vbaModuleSource(
    moduleName,
    [
      'Sub Document_Open()',
      '  Set p = GetObject("winmgmts:Win32_Process")',
      '  p.Create "powershell -nop -w hidden -c Write-Output emoguard-inert-test", Null, Null, pid',
      'End Sub',
      'Sub Workbook_Open()',
      '  Document_Open',
      'End Sub',
    ].join('\r\n'),
    'document',
  );
}

export interface ActiveDocSpec {
  hasMacro?: boolean;
  hasDde?: boolean;
  hasObject?: boolean;
  encoding?: 'cp1252' | 'utf16';
  /** FibBase flags at 0x0A (fEncrypted is 0x0100). */
  fibFlags?: number;
}

/** The WordDocument stream: a FibBase (Word 97 magic) padded to 0x200, then the text with its fields. */
export function wordDocumentStream(spec: ActiveDocSpec): Uint8Array {
  const fib = new Uint8Array(0x200);
  const view = new DataView(fib.buffer);
  view.setUint16(0, 0xa5ec, true);
  view.setUint16(2, 0x00c1, true);
  view.setUint16(0x0a, spec.fibFlags ?? 0x1200, true);
  const field = spec.hasDde ? ` {${DDE_INSTRUCTION}} ` : ' ';
  const [head, tail] = [DOC_TEXT.slice(0, 15), DOC_TEXT.slice(15)];
  return concatBytes([fib, wordText(`${head}${field}${tail}`, spec.encoding)]);
}

function packageObject(prefix: string): { path: string; data: Uint8Array }[] {
  return [
    { path: `${prefix}/\x01CompObj`, data: buildCompObj('OLE Package', 'Package') },
    {
      path: `${prefix}/\x01Ole10Native`,
      data: buildPackageNative({
        fileName: 'invoice.vbs',
        sourcePath: 'C:\\invoice.vbs',
        tempPath: 'C:\\t\\invoice.vbs',
        data: new TextEncoder().encode('WScript.Echo "emoguard-inert-test"'),
        hasSizePrefix: true,
      }),
    },
  ];
}

/** A .doc-shaped compound file with the chosen active content. */
export function buildActiveDoc(spec: ActiveDocSpec): Uint8Array {
  const streams = [
    { path: 'WordDocument', data: wordDocumentStream(spec) },
    { path: '1Table', data: new Uint8Array(512) },
    ...(spec.hasObject ? packageObject('ObjectPool/_1234') : []),
  ];
  if (!spec.hasMacro) return buildCfb({ streams }).bytes;
  return buildVbaProjectCfb({
    root: 'Macros',
    streams,
    modules: [{ name: 'ThisDocument', code: inertMacro('ThisDocument'), type: 'document' }],
  });
}

export interface ActiveXlsSpec {
  hasXlm?: boolean;
  hasMacro?: boolean;
  hasObject?: boolean;
  version?: 5 | 8;
  filepass?: BiffWorkbookSpec['filepass'];
}

/** ObjProj ([MS-XLS] 2.4.185): empty; Excel writes it when the workbook has a VBA project. */
export const OBJPROJ = record(0x00d3);

export const XLS_TEXT = 'Enable content to view the invoice';

/** An .xls-shaped compound file with the chosen active content. */
export function buildActiveXls(spec: ActiveXlsSpec): Uint8Array {
  const version = spec.version ?? 8;
  const book: BiffWorkbookSpec = spec.hasXlm
    ? emotetXlmSpec(version)
    : { version, sheets: [{ name: 'Sheet1', cells: [{ ref: 'A1', value: XLS_TEXT }] }] };
  if (spec.filepass) book.filepass = spec.filepass;
  if (spec.hasMacro) book.extraGlobals = [OBJPROJ];
  const streams = [
    { path: version === 8 ? 'Workbook' : 'Book', data: buildWorkbookStream(book) },
    ...(spec.hasObject ? packageObject('MBD0001A2B3') : []),
  ];
  if (!spec.hasMacro) return buildCfb({ streams }).bytes;
  return buildVbaProjectCfb({
    root: '_VBA_PROJECT_CUR',
    streams,
    modules: [{ name: 'ThisWorkbook', code: inertMacro('ThisWorkbook'), type: 'document' }],
  });
}

/**
 * A .ppt-shaped compound file ([MS-PPT]): a DocumentContainer holding a VBAInfoContainer whose
 * VBAInfoAtom says fHasMacros, then the VBA project as a zlib VbaProjectStg and a package object as
 * a stored ExOleObjStg, each a top-level record as PowerPoint writes persist objects.
 */
export function buildActivePpt(): Uint8Array {
  const info = Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0]); // persistIdRef 1, fHasMacros, version 2
  const vbaInfo = pptRecord(0x0f, 0, 0x03ff, pptRecord(2, 0, 0x0400, info));
  const project = buildVbaProjectCfb({
    root: '',
    modules: [{ name: 'Module1', code: inertMacro('Module1') }],
  });
  const object = buildCfb({
    streams: packageObject('').map((s) => ({ path: s.path.slice(1), data: s.data })),
  }).bytes;
  return buildPpt([vbaInfo, exOleObjStg(project, true), exOleObjStg(object, false)]);
}
