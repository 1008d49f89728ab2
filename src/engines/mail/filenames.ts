import type { FileType } from '../../core/index.js';

/** Extensions Windows runs, scripts, shortcuts, disk images and macro-enabled Office files. */
// prettier-ignore
export const DANGEROUS_EXTENSIONS: ReadonlySet<string> = new Set([
  // programs and installers
  'exe', 'scr', 'com', 'pif', 'cpl', 'msi', 'msp', 'dll', 'xll', 'sys', 'gadget', 'application',
  // scripts (WSH, PowerShell, batch, Java, HTML applications)
  'js', 'jse', 'vbs', 'vbe', 'wsf', 'wsh', 'wsc', 'sct', 'hta', 'bat', 'cmd', 'ps1', 'psm1', 'psd1',
  'jar', 'reg', 'inf', 'scf', 'chm',
  // shortcuts and containers that mount or open straight away
  'lnk', 'url', 'iso', 'img', 'vhd', 'vhdx', 'one', 'onepkg', 'appx', 'msix', 'appinstaller',
  // macro-enabled Office (ECMA-376 macro-enabled content types) and add-ins
  'docm', 'dotm', 'xlsm', 'xltm', 'xlam', 'xla', 'pptm', 'potm', 'ppsm', 'ppam', 'sldm',
]);

/** Sniffed types that are programs, scripts, shortcuts or disk images whatever the name says. */
export const DANGEROUS_TYPES: ReadonlySet<FileType> = new Set<FileType>([
  'pe',
  'elf',
  'lnk',
  'onenote',
  'iso',
  'script',
  'powershell',
]);

/** Extensions that make a harmless first impression in front of a dangerous one. */
// prettier-ignore
const DECOY_EXTENSIONS: ReadonlySet<string> = new Set([
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'rtf', 'txt', 'csv', 'jpg', 'jpeg', 'png',
  'gif', 'bmp', 'tif', 'tiff', 'zip', 'htm', 'html', 'mp3', 'mp4', 'wav', 'xml', 'odt', 'ods',
]);

/** Extensions an Office file of each sniffed type is legitimately named with. */
// prettier-ignore
export const OFFICE_EXTENSIONS: Readonly<Partial<Record<FileType, ReadonlySet<string>>>> = {
  ole: new Set([
    'doc', 'dot', 'xls', 'xlt', 'xla', 'ppt', 'pot', 'pps', 'ppa', 'msg', 'vsd', 'pub', 'mpp', 'msi',
  ]),
  ooxml: new Set([
    'docx', 'docm', 'dotx', 'dotm', 'xlsx', 'xlsm', 'xltx', 'xltm', 'xlam', 'xlsb', 'pptx', 'pptm',
    'potx', 'potm', 'ppsx', 'ppsm', 'ppam', 'sldx', 'sldm', 'vsdx', 'vsdm', 'thmx',
  ]),
  rtf: new Set(['rtf']),
  // Excel 2.x–4.0 files: worksheets, .xlm macro sheets, BIFF4W workbooks (and .xls, which Excel opens).
  biff: new Set(['xls', 'xlm', 'xlw', 'xlt', 'xla']),
};

/** Bidirectional overrides and isolates (Unicode TR9): U+202A–U+202E, U+2066–U+2069. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
/** What Windows strips from the end of a name: spaces, dots; plus look-alike blanks senders pad with. */
const TRAILING_STRIPPED = /[\s.\u00a0\u2000-\u200b\u3000]+$/u;

/** Lower-cased extension of `name` after trailing blanks are dropped, or '' when there is none. */
export function extensionOf(name: string): string {
  const base = name.replace(TRAILING_STRIPPED, '').split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0
    ? base
        .slice(dot + 1)
        .trim()
        .toLowerCase()
    : '';
}

/**
 * The decoy extension of a double-extension name (`invoice.pdf.exe`, `scan.doc      .js`), or
 * undefined. Only a decoy in front of a dangerous extension counts: `report.v2.docx` does not.
 */
export function decoyExtensionOf(name: string): string | undefined {
  const base = (name.replace(TRAILING_STRIPPED, '').split(/[\\/]/).pop() ?? '').toLowerCase();
  const match = /\.([a-z0-9]{1,5})[\s\u00a0\u3000_.-]*\.([a-z0-9]{1,12})$/u.exec(base);
  if (!match) return undefined;
  const [, decoy = '', real = ''] = match;
  return DECOY_EXTENSIONS.has(decoy) && DANGEROUS_EXTENSIONS.has(real) ? decoy : undefined;
}

export function hasBidiControl(name: string): boolean {
  return BIDI_CONTROL.test(name);
}

/** True when the name ends in characters Windows drops on save (`invoice.exe `, `a.doc.`). */
export function hasTrailingBlank(name: string): boolean {
  return name !== name.replace(TRAILING_STRIPPED, '') && name.replace(TRAILING_STRIPPED, '') !== '';
}

const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u00a0\u200b-\u200f\u202a-\u202e\u2066-\u2069\u3000]/gu;

const codePoint = (c: string) =>
  `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`;

/** Escapes invisible, bidi and trailing blank characters so evidence shows what the name holds. */
export function visibleName(name: string): string {
  const body = name.replace(TRAILING_STRIPPED, '');
  const tail = name.slice(body.length).replace(/[^.]/gu, codePoint);
  return body.replace(INVISIBLE, codePoint) + tail;
}
