/**
 * Safe view and RTF disarm throughput, in process:
 * - view: `renderSafeViewOf` over a mixed set of documents built in code — .docx (200 paragraphs, a
 *   table, a picture), .xlsx (500 × 10 shared-string cells), .doc (piece table), RTF, and a mail
 *   carrying the .docx — repeated; files/s, MB/s of input;
 * - RTF disarm: `disarmRtf` over RTF documents with an OLE object (8 KiB hex), a DDE field, a remote
 *   template and 32 KiB of text (in the notes).
 * Peak RSS covers both. Env: BENCH_FILES=<n> rounds of the view set (default 200).
 */
import { DEFAULT_LIMITS } from '../src/core/index.js';
import { disarmRtf } from '../src/engines/disarm/rtf.js';
import { renderSafeViewOf } from '../src/apps/safe-view/index.js';
import { buildDoc } from '../test/builders/doc.js';
import { buildMime } from '../test/builders/mime.js';
import { buildOle1Object } from '../test/builders/oleobj.js';
import { buildRtf } from '../test/builders/rtf.js';
import { buildViewDocx, buildViewXlsx, tinyPng } from '../test/builders/view-docs.js';
import { benchResult, MB, startRssSampler, type BenchResult } from './lib.js';

export const name = 'view';

const rounds = () => Number(process.env.BENCH_FILES) || 200;
const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

async function corpus(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const paragraphs = Array.from(
    { length: 200 },
    (_, i) => `Paragraph ${i}: 請求書の内容をご確認ください。`,
  );
  const docx = buildViewDocx({
    paragraphs,
    table: Array.from({ length: 20 }, (_, r) => [`item ${r}`, `${r * 100}`]),
    images: [{ name: 'image1.png', data: tinyPng() }],
  });
  const xlsx = buildViewXlsx({
    sheets: [
      {
        name: 'data',
        rows: Array.from({ length: 500 }, (_, r) =>
          Array.from({ length: 10 }, (_, c) => `v${r}-${c}`),
        ),
      },
    ],
  });
  const doc = buildDoc({ pieces: [{ text: paragraphs.join('\r'), isCompressed: false }] });
  const rtf = buildRtf({ body: paragraphs.join(' ') });
  const mail = await buildMime({
    from: 'sales@example.com',
    to: 'user@example.com',
    subject: '請求書',
    text: 'see attached',
    attachments: [
      { filename: 'invoice.docx', content: docx, contentType: 'application/octet-stream' },
    ],
  });
  return [
    { name: 'a.docx', bytes: docx },
    { name: 'a.xlsx', bytes: xlsx },
    { name: 'a.doc', bytes: doc },
    { name: 'a.rtf', bytes: rtf },
    { name: 'a.eml', bytes: mail },
  ];
}

export async function run(): Promise<BenchResult> {
  const files = await corpus();
  const rtfInputs = Array.from({ length: 200 }, (_, i) =>
    buildRtf({
      body: `memo ${i} ${'lorem ipsum dolor sit amet '.repeat(1200)}`,
      template: 'http://203.0.113.7/t.dotm',
      fields: ['DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k echo inert"'],
      objects: [
        {
          objclass: 'Package',
          data: buildOle1Object({ className: 'Package', nativeData: new Uint8Array(8192).fill(i) }),
          tricks: ['whitespace'],
        },
      ],
    }),
  );
  const rss = startRssSampler();
  let viewBytes = 0;
  let items = 0;
  const viewStart = process.hrtime.bigint();
  for (let r = 0; r < rounds(); r++) {
    for (const file of files) {
      await renderSafeViewOf(file.bytes, file.name);
      viewBytes += file.bytes.length;
      items++;
    }
  }
  const viewSeconds = seconds(viewStart);
  const rtfStart = process.hrtime.bigint();
  let rtfBytes = 0;
  for (const input of rtfInputs) {
    const outcome = disarmRtf(input, { limits: DEFAULT_LIMITS });
    if (outcome.status !== 'disarmed') throw new Error(`rtf disarm: ${outcome.status}`);
    rtfBytes += input.length;
  }
  const rtfSeconds = seconds(rtfStart);
  const sizes = files.map((f) => `${f.name} ${(f.bytes.length / 1024).toFixed(0)} KiB`).join(', ');
  return benchResult({
    name,
    items,
    bytes: viewBytes,
    seconds: viewSeconds,
    peakRssMb: rss.stop(),
    notes:
      `view set: ${sizes}; rtf disarm: ${rtfInputs.length} files, ` +
      `${(rtfInputs.length / rtfSeconds).toFixed(0)} files/s, ${(rtfBytes / MB / rtfSeconds).toFixed(1)} MB/s`,
  });
}
