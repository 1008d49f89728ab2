import { DefenseError, FormatError, LimitError, type Anomaly } from '../../core/index.js';
import { decodeFolder, unsupportedReason } from './decode.js';
import { decodeWithPasswords } from './password.js';
import { folderUnpackSize, HeaderReader, K, readStreamsInfo, type StreamsInfo } from './header.js';
import {
  MAX_7Z_ENTRIES,
  type SevenZipArchive,
  type SevenZipEntry,
  type SevenZipOptions,
} from './types.js';

const SIGNATURE = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];
const SIGNATURE_HEADER = 32;
const MAX_HEADER_LAYERS = 4;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

export function isSevenZip(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * Lists a 7z archive (7zFormat.txt, 7-Zip 24): signature header, then the header at NextHeaderOffset,
 * decoded first when it is a kEncodedHeader (LZMA by default; AES when the archive was made with
 * `-mhe=on`, in which case no name is readable without the password). Never throws for bad input.
 *
 * @example
 * const a = parseSevenZip(bytes);
 * a.isHeaderEncrypted || a.entries.map((e) => e.name)
 */
export function parseSevenZip(bytes: Uint8Array, options: SevenZipOptions = {}): SevenZipArchive {
  const anomalies: Anomaly[] = [];
  const archive: SevenZipArchive = {
    version: `${bytes[6] ?? 0}.${bytes[7] ?? 0}`,
    isHeaderEncoded: false,
    isHeaderEncrypted: false,
    packStreams: [],
    folders: [],
    entries: [],
    anomalies,
  };
  if (!isSevenZip(bytes) || bytes.length < SIGNATURE_HEADER) {
    anomalies.push({ code: 'E_7Z_BAD_SIGNATURE', message: 'no 7z signature header', offset: 0 });
    return archive;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = Number(view.getBigUint64(12, true));
  const size = Number(view.getBigUint64(20, true));
  let start = SIGNATURE_HEADER + offset;
  let end = start + size;
  if (size === 0) return archive; // an empty archive
  if (end > bytes.length || start < SIGNATURE_HEADER) {
    anomalies.push({
      code: 'E_7Z_TRUNCATED',
      message: `header at ${start} (+${size}) is past the end of the file`,
      offset: 12,
    });
    return archive;
  }
  try {
    let header: Uint8Array = bytes;
    for (let layer = 0; ; layer++) {
      const r = new HeaderReader(header, start, end);
      const id = r.byte();
      if (id === K.Header) {
        readHeader(r, bytes, archive, options);
        return archive;
      }
      if (id !== K.EncodedHeader || layer >= MAX_HEADER_LAYERS)
        r.fail(`header starts with 0x${id.toString(16)}`);
      archive.isHeaderEncoded = true;
      const info = readStreamsInfo(r);
      const folder = info.folders[0];
      if (!folder) throw new FormatError('E_7Z_BAD_HEADER', 'encoded header without a folder');
      if (folder.isEncrypted) {
        archive.isHeaderEncrypted = true;
        archive.keys ??= new Map();
        const opened = openEncryptedHeader(bytes, info, archive, options);
        if (!opened) {
          archive.folders = info.folders;
          return archive;
        }
        header = opened;
      } else
        header = decodeFolder(folder, packSlices(bytes, info, archive), folderOptions(options));
      start = 0;
      end = header.length;
    }
  } catch (error) {
    if (error instanceof LimitError) throw error;
    if (!(error instanceof DefenseError)) throw error;
    anomalies.push({
      code: error.code,
      message: error.message,
      ...(error instanceof FormatError && error.offset !== undefined
        ? { offset: error.offset }
        : {}),
    });
    return archive;
  }
}

/**
 * The header of `7z a -p -mhe=on`, decrypted with the first candidate whose output passes the header's CRC
 * and parses; undefined when no candidate does (the archive stays "header encrypted", nothing listed).
 */
function openEncryptedHeader(
  bytes: Uint8Array,
  info: StreamsInfo,
  archive: SevenZipArchive,
  options: SevenZipOptions,
): Uint8Array | undefined {
  const folder = info.folders[0]!;
  const packs = packSlices(bytes, info, archive);
  const candidates = [...(options.passwords ?? [])];
  while (candidates.length > 0) {
    let opened: { bytes: Uint8Array; password: string };
    try {
      opened = decodeWithPasswords(folder, packs, folderOptions(options, archive), candidates);
    } catch (error) {
      if (error instanceof FormatError && error.code === 'E_7Z_BAD_PASSWORD') return undefined;
      throw error;
    }
    candidates.splice(0, candidates.indexOf(opened.password) + 1);
    // Without a header CRC a wrong key can slip through; a header that does not start right is rejected.
    if (opened.bytes[0] === K.Header || opened.bytes[0] === K.EncodedHeader) {
      archive.password = opened.password;
      return opened.bytes;
    }
  }
  return undefined;
}

const folderOptions = (o: SevenZipOptions, archive?: SevenZipArchive) => ({
  ...(archive?.keys ? { keys: archive.keys } : {}),
  ...(o.maxAesCyclesPower === undefined ? {} : { maxAesCyclesPower: o.maxAesCyclesPower }),
  maxOutput: o.maxOutput ?? DEFAULT_MAX_OUTPUT,
  ...(o.checkDeadline ? { checkDeadline: o.checkDeadline } : {}),
});

/** Pack streams as absolute slices (they start at 32 + PackPos, one after the other). */
function packSlices(bytes: Uint8Array, info: StreamsInfo, archive: SevenZipArchive): Uint8Array[] {
  let at = SIGNATURE_HEADER + info.packPos;
  return info.packSizes.map((size) => {
    const slice = bytes.subarray(Math.min(at, bytes.length), Math.min(at + size, bytes.length));
    if (at + size > bytes.length)
      archive.anomalies.push({
        code: 'E_7Z_TRUNCATED',
        message: `pack stream at ${at} (+${size}) cut by the end of the file`,
        offset: at,
      });
    archive.packStreams.push({ offset: at, size });
    at += size;
    return slice;
  });
}

function readHeader(
  r: HeaderReader,
  bytes: Uint8Array,
  archive: SevenZipArchive,
  options: SevenZipOptions,
): void {
  let info: StreamsInfo | undefined;
  for (let id = r.byte(); id !== K.End; id = r.byte()) {
    if (id === K.ArchiveProperties) {
      for (let t = r.byte(); t !== 0; t = r.byte()) r.bytes(r.number());
    } else if (id === K.AdditionalStreamsInfo) {
      readStreamsInfo(r);
    } else if (id === K.MainStreamsInfo) {
      info = readStreamsInfo(r);
      archive.packStreams = [];
      packSlices(bytes, info, archive);
      archive.folders = info.folders;
    } else if (id === K.FilesInfo) {
      readFiles(r, archive, info, options.maxEntries ?? MAX_7Z_ENTRIES);
    } else r.fail(`unexpected property 0x${id.toString(16)} in Header`);
  }
}

function readFiles(
  r: HeaderReader,
  archive: SevenZipArchive,
  info: StreamsInfo | undefined,
  maxEntries: number,
): void {
  const n = r.count(10_000_000, 'files');
  let emptyStream: boolean[] = new Array<boolean>(n).fill(false);
  let emptyFile: boolean[] = [];
  let names: string[] = [];
  let attributes: (number | undefined)[] = [];
  for (let type = r.number(); type !== K.End; type = r.number()) {
    const size = r.number();
    const end = r.pos + size;
    if (end > r.end) r.fail('file property past the header end');
    if (type === K.EmptyStream) emptyStream = r.bits(n);
    else if (type === K.EmptyFile) emptyFile = r.bits(emptyStream.filter(Boolean).length);
    else if (type === K.Name) {
      if (r.byte() !== 0) r.fail('external names are not supported');
      names = new TextDecoder('utf-16le').decode(r.bytes(end - r.pos)).split('\0');
    } else if (type === K.WinAttributes) {
      const defined = r.defined(n);
      if (r.byte() !== 0) r.fail('external attributes are not supported');
      attributes = defined.map((d) => (d ? r.u32() : undefined));
    }
    r.pos = end;
  }
  const sizes = info?.substreamSizes ?? [];
  let folder = 0;
  let inFolder = 0;
  let offset = 0;
  let emptyIndex = 0;
  for (let i = 0; i < n; i++) {
    if (archive.entries.length >= maxEntries) {
      archive.anomalies.push({
        code: 'E_LIMIT_7Z_ENTRIES',
        message: `more than ${maxEntries} entries`,
      });
      return;
    }
    const name = names[i] ?? `file-${i + 1}`;
    const attr = attributes[i];
    const entry: SevenZipEntry = {
      name,
      isDirectory: false,
      size: 0,
      offsetInFolder: 0,
      ...(attr === undefined ? {} : { attributes: attr }),
    };
    if (emptyStream[i]) {
      entry.isDirectory = !emptyFile[emptyIndex++] && (attr === undefined || (attr & 0x10) !== 0);
      archive.entries.push(entry);
      continue;
    }
    while (folder < sizes.length && inFolder >= sizes[folder]!.length) {
      folder++;
      inFolder = 0;
      offset = 0;
    }
    const size = sizes[folder]?.[inFolder];
    if (size === undefined) {
      archive.anomalies.push({
        code: 'E_7Z_BAD_HEADER',
        message: `${name}: no stream for this file`,
      });
      archive.entries.push(entry);
      continue;
    }
    Object.assign(entry, { size, folder, offsetInFolder: offset });
    offset += size;
    inFolder++;
    archive.entries.push(entry);
  }
}

/**
 * The output of one folder (the concatenated files it holds), decoded under `maxOutput`. An AES folder
 * is opened with the password that opened the header, else the first of `options.passwords` that works
 * (kept in `archive.password`). Throws FormatError E_7Z_ENCRYPTED (no candidate) / E_7Z_BAD_PASSWORD
 * (none works) / E_7Z_UNSUPPORTED / E_LZMA_* for what cannot be read, LimitError past a cap.
 */
export function readSevenZipFolder(
  bytes: Uint8Array,
  archive: SevenZipArchive,
  index: number,
  options: SevenZipOptions = {},
): Uint8Array {
  const folder = archive.folders[index];
  if (!folder) throw new FormatError('E_7Z_BAD_HEADER', `no folder ${index}`);
  const candidates = [
    ...(archive.password === undefined ? [] : [archive.password]),
    ...(options.passwords ?? []),
  ];
  const reason = unsupportedReason(folder, candidates.length > 0);
  if (reason)
    throw new FormatError(folder.isEncrypted ? 'E_7Z_ENCRYPTED' : 'E_7Z_UNSUPPORTED', reason);
  const packs = folder.packedStreams.map((_, i) => {
    const s = archive.packStreams[folder.firstPackStream + i];
    return s
      ? bytes.subarray(Math.min(s.offset, bytes.length), Math.min(s.offset + s.size, bytes.length))
      : new Uint8Array();
  });
  let out: Uint8Array;
  if (folder.isEncrypted) {
    archive.keys ??= new Map();
    const sizes = archive.entries.filter((e) => e.folder === index).map((e) => e.size);
    const opened = decodeWithPasswords(
      folder,
      packs,
      folderOptions(options, archive),
      candidates,
      sizes,
    );
    archive.password = opened.password;
    out = opened.bytes;
  } else out = decodeFolder(folder, packs, folderOptions(options));
  if (out.length < folderUnpackSize(folder)) {
    throw new FormatError(
      'E_7Z_TRUNCATED',
      `folder ${index}: ${out.length} of ${folderUnpackSize(folder)} bytes decoded`,
    );
  }
  return out;
}
