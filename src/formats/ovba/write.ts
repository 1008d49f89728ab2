import { ConfigError } from '../../core/index.js';
import { cfbPackage } from '../cfb/index.js';
import { compressOvba } from './compress.js';
import { encodeCodePage, encodeUtf16, isEncodable } from './codepage.js';
import {
  buildDirStream,
  buildProjectStream,
  buildProjectWmStream,
  checkSpec,
  VBA_PROJECT_STREAM,
  type VbaModuleSpec,
  type VbaProjectSpec,
} from './write-records.js';

export type { VbaModuleSpec, VbaProjectSpec } from './write-records.js';

export interface VbaProjectCfbSpec extends VbaProjectSpec {
  /** Storage that receives PROJECT, PROJECTwm and VBA/: '' (vbaProject.bin), 'Macros' (Word). */
  root?: string;
  /** Other streams of the compound file, by full path. */
  streams?: { path: string; data: Uint8Array }[];
  /** CLSID of the root storage as 32 hex digits in file byte order (the `cfb` package's form). */
  rootClsid?: string;
}

export interface OleWordDocumentSpec extends VbaProjectSpec {
  /** Body text, kept in the WordDocument stream (cp1252, or UTF-16LE when it does not fit). */
  text: string;
  /** Title in \x05SummaryInformation. */
  title?: string;
}

/** CLSID_WordDocument 00020906-0000-0000-C000-000000000046, in file byte order. */
const WORD_CLSID = '0609020000000000c000000000000046';

/**
 * Builds a compound file holding a complete, source-only VBA project (MS-OVBA 2.2): PROJECT, PROJECTwm,
 * VBA/dir, VBA/_VBA_PROJECT (version-independent, so Office recompiles) and one stream per module with
 * its compressed source at MODULEOFFSET 0. Written with the `cfb` package, which also adds its own
 * 4-byte `\x01Sh33tJ5` stream to the root.
 *
 * @example
 * const bin = buildVbaProjectCfb({ root: 'Macros', modules: [{ name: 'Module1', code: src }] });
 */
export function buildVbaProjectCfb(input: VbaProjectCfbSpec): Uint8Array {
  checkSpec(input);
  const spec = { ...input, codePage: resolveCodePage(input) };
  const CFB = cfbPackage();
  const container = CFB.utils.cfb_new(spec.rootClsid ? { CLSID: spec.rootClsid } : undefined);
  const base = spec.root ? `${spec.root.replace(/\/+$/, '')}/` : '';
  const add = (path: string, data: Uint8Array): void => {
    CFB.utils.cfb_add(container, path, data);
  };
  for (const { path, data } of spec.streams ?? []) add(path, data);
  add(`${base}PROJECT`, buildProjectStream(spec));
  add(`${base}PROJECTwm`, buildProjectWmStream(spec));
  add(`${base}VBA/dir`, compressOvba(buildDirStream(spec)));
  add(`${base}VBA/_VBA_PROJECT`, VBA_PROJECT_STREAM);
  for (const module of spec.modules) {
    add(
      `${base}VBA/${module.name}`,
      compressOvba(encodeCodePage(module.code, spec.codePage ?? 1252)),
    );
  }
  const written = CFB.write(container, { type: 'array', fileType: 'cfb' }) as ArrayLike<number>;
  return dropSeedStream(Uint8Array.from(written));
}

const SEED_NAME = '\x01Sh33tJ5';
const NOSTREAM = 0xffffffff;

/**
 * The `cfb` package always writes a 4-byte `\x01Sh33tJ5` stream into the root (its own marker). It is a
 * fingerprint of the tool, not part of a document, so it is unlinked from the directory tree here
 * (its entry becomes unallocated; its mini sector is left unused, which readers ignore).
 */
function dropSeedStream(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const sectorSize = 1 << view.getUint16(30, true);
  const fatAt = (n: number): number => {
    const index = Math.floor(n / (sectorSize / 4));
    if (index >= 109) return 0xfffffffe; // past the header DIFAT: not a file this writer makes
    const at = (view.getUint32(76 + index * 4, true) + 1) * sectorSize + (n % (sectorSize / 4)) * 4;
    return at + 4 <= bytes.length ? view.getUint32(at, true) : 0xfffffffe;
  };
  const entries: number[] = [];
  for (let s = view.getUint32(48, true); s < 0xfffffffa && entries.length < 4096; s = fatAt(s)) {
    for (let i = 0; i < sectorSize && (s + 1) * sectorSize + i + 128 <= bytes.length; i += 128) {
      entries.push((s + 1) * sectorSize + i);
    }
  }
  const name = (at: number): string => {
    const length = Math.max(0, view.getUint16(at + 64, true) / 2 - 1);
    return String.fromCharCode(
      ...Array.from({ length }, (_, i) => view.getUint16(at + i * 2, true)),
    );
  };
  const seed = entries.findIndex((at) => view.getUint8(at + 66) === 2 && name(at) === SEED_NAME);
  if (seed < 0) return bytes;
  const seedAt = entries[seed]!;
  if (view.getUint32(seedAt + 68, true) !== NOSTREAM) return bytes; // not the list shape cfb writes
  const next = view.getUint32(seedAt + 72, true);
  for (const at of entries) {
    for (const field of [68, 72, 76]) {
      if (view.getUint32(at + field, true) === seed) view.setUint32(at + field, next, true);
    }
  }
  bytes.fill(0, seedAt, seedAt + 128);
  for (const field of [68, 72, 76]) view.setUint32(seedAt + field, NOSTREAM, true);
  return bytes;
}

/** Code pages tried, in order, when the spec names none: Western, then Japanese. */
const AUTO_CODE_PAGES = [1252, 932];

/**
 * The project code page. An explicit one must hold every name and module losslessly; without one, the
 * first of cp1252 and cp932 that does is used. Either way a `?` never silently replaces a character.
 */
function resolveCodePage(spec: VbaProjectSpec): number {
  const texts = [spec.projectName ?? '', ...spec.modules.flatMap((m) => [m.name, m.code])];
  const fits = (codePage: number): boolean => texts.every((text) => isEncodable(text, codePage));
  const candidates = spec.codePage === undefined ? AUTO_CODE_PAGES : [spec.codePage];
  const found = candidates.find(fits);
  if (found === undefined) {
    throw new ConfigError(
      'E_OVBA_UNENCODABLE',
      `module text cannot be written in code page ${candidates.join(' or ')}; set codePage`,
    );
  }
  return found;
}

/** The raw vbaProject.bin of a .docm/.xlsm: the VBA project at the root. */
export function buildVbaProjectBin(spec: VbaProjectSpec): Uint8Array {
  return buildVbaProjectCfb({ ...spec, root: '' });
}

/**
 * A .doc-shaped compound file: WordDocument (a FibBase with the Word magic, then the text), 1Table,
 * \x05SummaryInformation and the VBA project under `Macros`. Scanners see what they see in a real
 * macro document; Word itself needs a full FIB and piece table to open it, which this does not write.
 */
export function buildOleWordDocument(spec: OleWordDocumentSpec): Uint8Array {
  return buildVbaProjectCfb({
    ...spec,
    root: 'Macros',
    rootClsid: WORD_CLSID,
    streams: [
      { path: 'WordDocument', data: buildWordDocumentStream(spec.text) },
      { path: '1Table', data: new Uint8Array(512) },
      { path: '\x05SummaryInformation', data: buildSummaryInformation(spec.title ?? '') },
    ],
  });
}

/** Source with the Attribute header VBE writes, CRLF line ends: what real module streams hold. */
export function vbaModuleSource(
  name: string,
  body: string,
  type: NonNullable<VbaModuleSpec['type']> = 'procedural',
): string {
  const attributes = [`Attribute VB_Name = "${name}"`];
  if (type === 'document') {
    attributes.push(
      `Attribute VB_Base = "1Normal.${name}"`,
      'Attribute VB_GlobalNameSpace = False',
      'Attribute VB_Creatable = False',
      'Attribute VB_PredeclaredId = True',
      'Attribute VB_Exposed = True',
      'Attribute VB_TemplateDerived = True',
      'Attribute VB_Customizable = True',
    );
  } else if (type === 'class') {
    attributes.push(
      'Attribute VB_GlobalNameSpace = False',
      'Attribute VB_Creatable = False',
      'Attribute VB_PredeclaredId = False',
      'Attribute VB_Exposed = False',
    );
  }
  const lines = body.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  return `${[...attributes, ...lines].join('\r\n')}\r\n`;
}

/**
 * [MS-DOC] 2.5.2 FibBase: wIdent 0xA5EC, nFib 0x00C1 (Word 97), fWhichTblStm and fExtChar set. The
 * text follows as cp1252 when it fits, else UTF-16LE, the two forms Word stores text in (2.4.1).
 */
function buildWordDocumentStream(text: string): Uint8Array {
  const body = isEncodable(text, 1252) ? encodeCodePage(text, 1252) : encodeUtf16(text);
  const out = new Uint8Array(0x200 + body.length);
  const view = new DataView(out.buffer);
  view.setUint16(0x00, 0xa5ec, true);
  view.setUint16(0x02, 0x00c1, true);
  view.setUint16(0x06, 0x0409, true);
  view.setUint16(0x0a, 0x1200, true);
  view.setUint16(0x0c, 0x00bf, true);
  out.set(body, 0x200);
  return out;
}

/** [MS-OLEPS] 2.21 PropertySetStream with CodePage (1252) and Title (VT_LPSTR). */
function buildSummaryInformation(title: string): Uint8Array {
  const titleBytes = encodeCodePage(`${title}\0`, 1252);
  const titleSize = 8 + Math.ceil(titleBytes.length / 4) * 4;
  const setSize = 8 + 2 * 8 + 8 + titleSize;
  const out = new Uint8Array(48 + setSize);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfffe, true);
  view.setUint32(4, 0x00020006, true);
  view.setUint32(24, 1, true);
  // FMTID_SummaryInformation {F29F85E0-4FF9-1068-AB91-08002B27B3D9}
  out.set(
    [
      0xe0, 0x85, 0x9f, 0xf2, 0xf9, 0x4f, 0x68, 0x10, 0xab, 0x91, 0x08, 0x00, 0x2b, 0x27, 0xb3,
      0xd9,
    ],
    28,
  );
  view.setUint32(44, 48, true);
  const set = 48;
  view.setUint32(set, setSize, true);
  view.setUint32(set + 4, 2, true);
  view.setUint32(set + 8, 1, true); // PID_CODEPAGE
  view.setUint32(set + 12, 24, true);
  view.setUint32(set + 16, 2, true); // PIDSI_TITLE
  view.setUint32(set + 20, 32, true);
  view.setUint16(set + 24, 0x0002, true); // VT_I2
  view.setInt16(set + 28, 1252, true);
  view.setUint32(set + 32, 0x001e, true); // VT_LPSTR
  view.setUint32(set + 36, titleBytes.length, true);
  out.set(titleBytes, set + 40);
  return out;
}
