/**
 * Main-part content types of macro-enabled packages and what they become without macros
 * ([MS-OFFMACRO2] 2.2.1.x for the macro-enabled types; ECMA-376 Part 1 §11–13 for the others).
 * Add-ins (.xlam/.ppam) have no macro-free form and become a workbook/presentation. XLSB has one
 * content type for all workbooks and keeps it.
 */
const OOXML = 'application/vnd.openxmlformats-officedocument';

export const MACRO_FREE_TYPES: ReadonlyMap<string, { type: string; extension: string }> = new Map(
  (
    [
      [
        'application/vnd.ms-word.document.macroEnabled.main+xml',
        `${OOXML}.wordprocessingml.document.main+xml`,
        '.docx',
      ],
      [
        'application/vnd.ms-word.template.macroEnabledTemplate.main+xml',
        `${OOXML}.wordprocessingml.template.main+xml`,
        '.dotx',
      ],
      [
        'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
        `${OOXML}.spreadsheetml.sheet.main+xml`,
        '.xlsx',
      ],
      [
        'application/vnd.ms-excel.template.macroEnabled.main+xml',
        `${OOXML}.spreadsheetml.template.main+xml`,
        '.xltx',
      ],
      [
        'application/vnd.ms-excel.addin.macroEnabled.main+xml',
        `${OOXML}.spreadsheetml.sheet.main+xml`,
        '.xlsx',
      ],
      [
        'application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml',
        `${OOXML}.presentationml.presentation.main+xml`,
        '.pptx',
      ],
      [
        'application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml',
        `${OOXML}.presentationml.slideshow.main+xml`,
        '.ppsx',
      ],
      [
        'application/vnd.ms-powerpoint.template.macroEnabled.main+xml',
        `${OOXML}.presentationml.template.main+xml`,
        '.potx',
      ],
      [
        'application/vnd.ms-powerpoint.addin.macroEnabled.main+xml',
        `${OOXML}.presentationml.presentation.main+xml`,
        '.pptx',
      ],
    ] as const
  ).map(([from, type, extension]) => [from.toLowerCase(), { type, extension }]),
);

const EXTENSIONS: readonly [RegExp, string][] = [
  [/wordprocessingml\.document\.main/i, '.docx'],
  [/wordprocessingml\.template\.main/i, '.dotx'],
  [/spreadsheetml\.sheet\.main/i, '.xlsx'],
  [/spreadsheetml\.template\.main/i, '.xltx'],
  [/sheet\.binary\.macroEnabled\.main/i, '.xlsb'],
  [/presentationml\.presentation\.main/i, '.pptx'],
  [/presentationml\.slideshow\.main/i, '.ppsx'],
  [/presentationml\.template\.main/i, '.potx'],
];

/** The usual extension for a main content type (`.docx` …), if it is one of the common ones. */
export function extensionFor(mainContentType: string): string | undefined {
  return EXTENSIONS.find(([re]) => re.test(mainContentType))?.[1];
}

export const isBinaryWorkbookType = (type: string): boolean =>
  /sheet\.binary\.macroEnabled\.main/i.test(type);
