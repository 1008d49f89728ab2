/**
 * In-process throughput of the RTF reader on one large hostile document: 64 MiB of `\objdata` hex with
 * whitespace, control words and skipped groups between the digits (rtfobj-class obfuscation), plus a
 * 100,000-deep group nest. Measures MB/s and peak RSS.
 */
import { parseRtf } from '../src/formats/rtf/index.js';
import { benchResult, MB, startRssSampler, type BenchResult } from './lib.js';

export const name = 'rtf-parse';

export async function run(): Promise<BenchResult> {
  const chunk = '0102030405060708 090a0b0c\\par 0d0e0f10{\\*\\junk ff}1112\r\n';
  const body = chunk.repeat(Math.ceil((64 * MB) / chunk.length));
  const rtf = new TextEncoder().encode(
    `{\\rtf1${'{'.repeat(100_000)}{\\object{\\*\\objclass Package}{\\*\\objdata ${body}}}${'}'.repeat(100_000)}}`,
  );
  const rss = startRssSampler();
  const started = process.hrtime.bigint();
  const doc = parseRtf(rtf);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return benchResult({
    name,
    items: 1,
    bytes: rtf.length,
    seconds,
    peakRssMb: rss.stop(),
    notes: `${doc.objects[0]?.data.length ?? 0} object bytes decoded`,
  });
}
