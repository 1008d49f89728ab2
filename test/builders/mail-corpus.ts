/**
 * A generated corpus of Japanese business mails for the mail-layer benchmarks (issue 4 "Performance"):
 * ISO-2022-JP and UTF-8 headers and bodies, Shift_JIS (RFC 2231) attachment names, attachments of
 * 100 KB – 2 MB: PDF-like and random binaries, .docx/.xlsx with a large image part, a .doc with a
 * harmless macro, a ZIP inside a ZIP, and a password ZIP whose password is in the body (Emotet 2020).
 * Inert by construction: example.* addresses, random bytes, a macro that formats tables.
 */
import { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { buildOoxmlPackage } from '../../src/formats/ooxml/index.js';
import { buildOleWordDocument } from '../../src/formats/ovba/index.js';
import { writeZip } from '../../src/formats/zip/index.js';
import { base64Lines, encodedWord, iso2022jp, percentEncode, rawMail, shiftJis } from './mime.js';

export type CorpusKind =
  'pdf' | 'binary' | 'docx' | 'xlsx' | 'macro-doc' | 'zip-in-zip' | 'password-zip';

/** Kinds in the order mail i takes them (i modulo the length). */
export const CORPUS_KINDS: readonly CorpusKind[] = [
  'pdf',
  'docx',
  'binary',
  'xlsx',
  'macro-doc',
  'zip-in-zip',
  'password-zip',
];

export interface CorpusMail {
  kind: CorpusKind;
  /** The attachment's name as the recipient sees it. */
  attachmentName: string;
  /** Password written in the body (password-zip only). */
  password?: string;
  bytes: Uint8Array;
}

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const BENIGN_MACRO = [
  'Attribute VB_Name = "FormatTables"',
  'Sub FormatAllTables()',
  '    Dim t As Table',
  '    For Each t In ActiveDocument.Tables',
  '        t.Borders.Enable = True',
  '    Next t',
  'End Sub',
  '',
].join('\r\n');

/** Fast deterministic filler (xorshift32): incompressible bytes, as images and PDFs streams are. */
export function noiseBytes(size: number, seed: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(size / 4));
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer, 0, size);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}

const ascii = (text: string) => new TextEncoder().encode(text);

function pdfLike(size: number, seed: number): Uint8Array {
  const head = ascii('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 0 >>\nstream\n');
  const tail = ascii('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
  return concat(head, noiseBytes(Math.max(0, size - head.length - tail.length), seed), tail);
}

function docxWithImage(size: number, seed: number): Uint8Array {
  return buildOoxmlPackage({
    files: {
      'word/document.xml': `<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>御見積書 No.${seed}</w:t></w:r></w:p></w:body></w:document>`,
      'word/media/image1.png': noiseBytes(size, seed),
    },
    contentTypes: {
      defaults: { png: 'image/png' },
      overrides: {
        'word/document.xml':
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
      },
    },
    rels: {
      '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'word/document.xml' }],
      'word/document.xml': [{ id: 'rId2', type: `${REL}/image`, target: 'media/image1.png' }],
    },
  });
}

function xlsxWithImage(size: number, seed: number): Uint8Array {
  const rows = Array.from(
    { length: 200 },
    (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${(seed * 31 + i) % 9973}</v></c></row>`,
  ).join('');
  return buildOoxmlPackage({
    files: {
      'xl/workbook.xml': `<workbook xmlns="${S}" xmlns:r="${REL}"><sheets><sheet name="請求" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/worksheets/sheet1.xml': `<worksheet xmlns="${S}"><sheetData>${rows}</sheetData></worksheet>`,
      'xl/media/image1.png': noiseBytes(size, seed),
    },
    contentTypes: {
      defaults: { png: 'image/png' },
      overrides: {
        'xl/workbook.xml':
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
      },
    },
    rels: {
      '': [{ id: 'rId1', type: `${REL}/officeDocument`, target: 'xl/workbook.xml' }],
      'xl/workbook.xml': [
        { id: 'rId1', type: `${REL}/worksheet`, target: 'worksheets/sheet1.xml' },
      ],
    },
  });
}

function macroDoc(size: number, seed: number): Uint8Array {
  // The document text pads the WordDocument stream to the wanted size (CJK: 2 bytes a character).
  const line = `第${seed}期 御請求明細 (emoguard benchmark, inert)\r`;
  const text = line.repeat(Math.max(1, Math.floor(size / 2 / line.length)));
  return buildOleWordDocument({
    text,
    modules: [{ name: 'FormatTables', code: BENIGN_MACRO, type: 'procedural' }],
  });
}

async function encryptedZip(name: string, data: Uint8Array, password: string, isAes: boolean) {
  const writer = new ZipWriter(new Uint8ArrayWriter(), { useWebWorkers: false });
  await writer.add(name, new Uint8ArrayReader(data), {
    password,
    zipCrypto: !isAes,
    ...(isAes ? { encryptionStrength: 3 as const } : {}),
  });
  return writer.close();
}

const NAMES: Record<CorpusKind, string> = {
  pdf: '見積書',
  binary: '図面データ',
  docx: '議事録',
  xlsx: '請求一覧',
  'macro-doc': '請求書',
  'zip-in-zip': '資料一式',
  'password-zip': '請求書_暗号化',
};
const EXTENSIONS: Record<CorpusKind, string> = {
  pdf: 'pdf',
  binary: 'dat',
  docx: 'docx',
  xlsx: 'xlsx',
  'macro-doc': 'doc',
  'zip-in-zip': 'zip',
  'password-zip': 'zip',
};

async function attachmentOf(kind: CorpusKind, size: number, seed: number, password: string) {
  switch (kind) {
    case 'pdf':
      return pdfLike(size, seed);
    case 'binary':
      return noiseBytes(size, seed);
    case 'docx':
      return docxWithImage(size, seed);
    case 'xlsx':
      return xlsxWithImage(size, seed);
    case 'macro-doc':
      return macroDoc(size, seed);
    case 'zip-in-zip': {
      const inner = writeZip([
        { name: 'scan.pdf', data: pdfLike(size >> 1, seed) },
        { name: 'memo.docx', data: docxWithImage(size >> 2, seed + 1) },
      ]);
      return writeZip([{ name: '内部資料.zip', data: inner }]);
    }
    case 'password-zip':
      return encryptedZip('請求書.docx', docxWithImage(size, seed), password, seed % 2 === 0);
  }
}

/**
 * Mail number `index` of the corpus: its kind by `CORPUS_KINDS`, its attachment of `size` bytes (before
 * base64), ISO-2022-JP (even) or UTF-8 base64 (odd) text, the name in RFC 2231 Shift_JIS.
 */
export async function buildCorpusMail(index: number, size: number): Promise<CorpusMail> {
  const kind = CORPUS_KINDS[index % CORPUS_KINDS.length]!;
  const password = `Pw${(index * 7919).toString(36)}X`;
  const attachment = await attachmentOf(kind, size, index + 1, password);
  const attachmentName = `${NAMES[kind]}_${index}.${EXTENSIONS[kind]}`;
  const isJis = index % 2 === 0;
  const body = [
    '経理部 御中',
    '',
    'いつもお世話になっております。',
    `${NAMES[kind]}を送付いたしますので、ご確認をお願いいたします。`,
    ...(kind === 'password-zip' ? ['', `パスワード: ${password}`] : []),
    '',
    '詳細は https://www.example.co.jp/info をご覧ください。',
    '株式会社サンプル 営業部 山田',
    '',
  ].join('\r\n');
  const subject = `【ご連絡】${NAMES[kind]}の送付 No.${index}`;
  return {
    kind,
    attachmentName,
    ...(kind === 'password-zip' ? { password } : {}),
    bytes: rawMail(
      `From: ${encodedWord('ISO-2022-JP', iso2022jp('山田太郎'))} <yamada${index % 17}@sales.example.co.jp>\r\n`,
      'To: keiri@example.com\r\n',
      `Subject: ${isJis ? encodedWord('ISO-2022-JP', iso2022jp(subject)) : encodedWord('UTF-8', ascii(subject))}\r\n`,
      'Date: Mon, 15 Jan 2024 09:30:00 +0900\r\n',
      `Message-ID: <bench-${index}@sales.example.co.jp>\r\n`,
      'MIME-Version: 1.0\r\n',
      `Content-Type: multipart/mixed; boundary="bench-${index}"\r\n\r\n`,
      `--bench-${index}\r\n`,
      `Content-Type: text/plain; charset=${isJis ? 'ISO-2022-JP' : 'UTF-8'}\r\n`,
      `Content-Transfer-Encoding: ${isJis ? '7bit' : 'base64'}\r\n\r\n`,
      isJis ? iso2022jp(body) : base64Lines(body),
      `\r\n--bench-${index}\r\n`,
      'Content-Type: application/octet-stream\r\n',
      `Content-Disposition: attachment; filename*=shift_jis''${percentEncode(shiftJis(attachmentName))}\r\n`,
      'Content-Transfer-Encoding: base64\r\n\r\n',
      base64Lines(attachment),
      `--bench-${index}--\r\n`,
    ),
  };
}
