import { writeZip, type WriteZipFile } from '../zip/index.js';
import { VBA_PROJECT_CONTENT_TYPE, VBA_PROJECT_REL } from './classify.js';
import { CONTENT_TYPES_PART } from './content-types.js';

/**
 * Writes OPC packages (ECMA-376 Part 2) synchronously: [Content_Types].xml and .rels parts from plain
 * objects. Used by `emoguard demo` to build an inert .docm at run time and by test builders.
 */

const REL_BASE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CONTENT_TYPES_NS = 'http://schemas.openxmlformats.org/package/2006/content-types';
const WORDML_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
export const DOCM_MAIN_CONTENT_TYPE = 'application/vnd.ms-word.document.macroEnabled.main+xml';
const SETTINGS_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml';

export interface OoxmlRelSpec {
  id: string;
  type: string;
  target: string;
  targetMode?: 'Internal' | 'External';
}

export interface OoxmlPackageSpec {
  /** Member name (no leading `/`) → content; strings are written as UTF-8. */
  files: Record<string, string | Uint8Array>;
  contentTypes?: {
    /** Extension → content type; `rels` and `xml` are added when missing. */
    defaults?: Record<string, string>;
    /** Part name (with or without the leading `/`) → content type. */
    overrides?: Record<string, string>;
  };
  /** Source part ('' for the package) → its relationships, written to `<dir>/_rels/<file>.rels`. */
  rels?: Record<string, OoxmlRelSpec[]>;
}

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

function relsPartOf(source: string): string {
  const name = source.replace(/^\//, '');
  const slash = name.lastIndexOf('/');
  return `${name.slice(0, slash + 1)}_rels/${name.slice(slash + 1)}.rels`;
}

function contentTypesXml(spec: OoxmlPackageSpec['contentTypes'] = {}): string {
  const defaults = {
    rels: 'application/vnd.openxmlformats-package.relationships+xml',
    xml: 'application/xml',
    ...spec.defaults,
  };
  const lines = [
    ...Object.entries(defaults).map(
      ([ext, type]) => `<Default Extension="${escapeXml(ext)}" ContentType="${escapeXml(type)}"/>`,
    ),
    ...Object.entries(spec.overrides ?? {}).map(
      ([part, type]) =>
        `<Override PartName="/${escapeXml(part.replace(/^\//, ''))}" ContentType="${escapeXml(type)}"/>`,
    ),
  ];
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="${CONTENT_TYPES_NS}">${lines.join('')}</Types>`;
}

function relsXml(rels: readonly OoxmlRelSpec[]): string {
  const lines = rels.map((r) => {
    const mode = r.targetMode === 'External' ? ' TargetMode="External"' : '';
    return `<Relationship Id="${escapeXml(r.id)}" Type="${escapeXml(r.type)}" Target="${escapeXml(r.target)}"${mode}/>`;
  });
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PACKAGE_RELS_NS}">${lines.join('')}</Relationships>`;
}

/**
 * Builds an OPC package; synchronous, returns the ZIP bytes.
 *
 * @example
 * const bytes = buildOoxmlPackage({ files: { 'word/document.xml': xml }, rels: { '': [...] } });
 */
export function buildOoxmlPackage(spec: OoxmlPackageSpec): Uint8Array {
  const files: WriteZipFile[] = [
    { name: CONTENT_TYPES_PART, data: contentTypesXml(spec.contentTypes) },
  ];
  for (const [source, rels] of Object.entries(spec.rels ?? {})) {
    files.push({ name: relsPartOf(source), data: relsXml(rels) });
  }
  for (const [name, data] of Object.entries(spec.files)) files.push({ name, data });
  return writeZip(files);
}

export interface DocmSpec {
  /** The CFB bytes of word/vbaProject.bin. */
  vbaProjectBin: Uint8Array;
  /** URL of a remote template (settings.xml attachedTemplate, TargetMode External: T1221). */
  externalTemplate?: string;
  /** Text of the single paragraph. */
  text?: string;
}

/**
 * A minimal, realistic .docm: macro-enabled main content type, word/document.xml, and
 * word/vbaProject.bin linked by a vbaProject relationship. Synchronous.
 *
 * @example
 * const docm = buildDocm({ vbaProjectBin, externalTemplate: 'http://203.0.113.7/t.dotm' });
 */
export function buildDocm(spec: DocmSpec): Uint8Array {
  const text = spec.text ?? 'emoguard inert test document';
  const files: Record<string, string | Uint8Array> = {
    'word/document.xml':
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${WORDML_NS}">` +
      `<w:body><w:p><w:r><w:t>${escapeXml(text)}</w:t></w:r></w:p></w:body></w:document>`,
    'word/vbaProject.bin': spec.vbaProjectBin,
  };
  const overrides: Record<string, string> = { 'word/document.xml': DOCM_MAIN_CONTENT_TYPE };
  const documentRels: OoxmlRelSpec[] = [
    { id: 'rId1', type: VBA_PROJECT_REL, target: 'vbaProject.bin' },
  ];
  const rels: Record<string, OoxmlRelSpec[]> = {
    '': [{ id: 'rId1', type: `${REL_BASE}/officeDocument`, target: 'word/document.xml' }],
    'word/document.xml': documentRels,
  };
  if (spec.externalTemplate !== undefined) {
    files['word/settings.xml'] =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings xmlns:w="${WORDML_NS}" ` +
      `xmlns:r="${REL_BASE}"><w:attachedTemplate r:id="rId1"/></w:settings>`;
    overrides['word/settings.xml'] = SETTINGS_CONTENT_TYPE;
    documentRels.push({ id: 'rId2', type: `${REL_BASE}/settings`, target: 'settings.xml' });
    rels['word/settings.xml'] = [
      {
        id: 'rId1',
        type: `${REL_BASE}/attachedTemplate`,
        target: spec.externalTemplate,
        targetMode: 'External',
      },
    ];
  }
  return buildOoxmlPackage({
    files,
    contentTypes: { defaults: { bin: VBA_PROJECT_CONTENT_TYPE }, overrides },
    rels,
  });
}
