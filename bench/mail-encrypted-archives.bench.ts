/**
 * The mail engine's password check on encrypted archive attachments (`mail.encrypted-archive-attachment`):
 * mails each carrying one password-protected ZIP (AES), 7z (7zAES, 2^19 rounds as 7-Zip writes them,
 * members or -mhe header) or RAR5 (KDF 2^15 as WinRAR writes it), with the right password in the body,
 * with 8 wrong candidates, or with none. Measures mails/s through `mailEngine.analyze` in process (the
 * extraction by the archive/container engines is not included) and peak RSS.
 *
 * Env: BENCH_MAILS=<n> mails per case (default 4).
 */
import { buildMailContext, buildMime } from '../test/builders/mime.js';
import { buildRar5 } from '../test/builders/rar.js';
import { buildEncryptedSevenZip } from '../test/builders/sevenzip.js';
import { buildEncryptedZip } from '../test/builders/zip.js';
import { mailEngine } from '../src/engines/mail/index.js';
import { benchResult, startRssSampler, type BenchResult } from './lib.js';

export const name = 'mail-encrypted-archives';

const PASSWORD = 'Ab12cd34';
const DOC = 'inert benchmark document text\n'.repeat(4000);

export async function run(): Promise<BenchResult> {
  const perCase = Number(process.env.BENCH_MAILS ?? 4);
  const files = [{ name: 'invoice.doc', data: DOC }];
  const archives: [string, Uint8Array][] = [
    ['zip', await buildEncryptedZip(files, { password: PASSWORD, encryption: 'aes' })],
    ['7z', buildEncryptedSevenZip({ files, password: PASSWORD, cyclesPower: 19 })],
    [
      '7z-mhe',
      buildEncryptedSevenZip({ files, password: PASSWORD, cyclesPower: 19, encryptHeader: true }),
    ],
    ['rar5', buildRar5([{ ...files[0]!, password: PASSWORD }], { kdfCount: 15 })],
  ];
  const bodies: [string, string][] = [
    ['right', `パスワード：${PASSWORD}\n`],
    ['8-wrong', Array.from({ length: 8 }, (_, i) => `pw: Wrong${i}x9\n`).join('')],
    ['none', 'ご確認ください。\n'],
  ];
  const mails: { label: string; bytes: Uint8Array }[] = [];
  for (const [kind, content] of archives)
    for (const [body, text] of bodies) {
      const bytes = await buildMime({ text, attachments: [{ filename: `a.${kind}`, content }] });
      mails.push({ label: `${kind}/${body}`, bytes });
    }
  await mailEngine.analyze(buildMailContext(mails[0]!.bytes)); // warm-up (zip.js, JIT)
  const rss = startRssSampler();
  const times: string[] = [];
  let bytes = 0;
  const start = performance.now();
  for (const mail of mails) {
    const t = performance.now();
    for (let i = 0; i < perCase; i++) await mailEngine.analyze(buildMailContext(mail.bytes));
    bytes += mail.bytes.length * perCase;
    times.push(`${mail.label} ${((performance.now() - t) / perCase).toFixed(0)} ms`);
  }
  const seconds = (performance.now() - start) / 1000;
  return benchResult({
    name,
    items: mails.length * perCase,
    bytes,
    seconds,
    peakRssMb: rss.stop(),
    notes: `per mail: ${times.join(', ')}`,
  });
}
