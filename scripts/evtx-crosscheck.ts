/**
 * Dev-only cross-check of the EVTX parser against libevtx's `evtxexport` (Debian: libevtx-utils), not
 * run in CI. For each file: record counts, then per record (matched by System/EventRecordID) EventID,
 * Channel, Computer and every named EventData value, after normalising what the two tools print
 * differently on purpose (libevtx zero-pads hex and wraps GUIDs in braces; evtx-rs/emoguard do not).
 *
 *   node --import tsx scripts/evtx-crosscheck.ts [FILE.evtx ...]   (default: ../shared/data/evtx/*.evtx)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvtx } from '../src/formats/evtx/index.js';

interface Flat {
  recordId: string;
  fields: Map<string, string>;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(Number(e[1] === 'x' ? `0${e.slice(1)}` : e.slice(1)))
      : (ENTITIES[e] ?? m),
  );

/** Values compared across tools: hex as numbers, GUIDs bare upper-case, times to the microsecond. */
function normalise(value: string): string {
  const v = value.trim();
  if (/^0x[0-9a-f]+$/i.test(v)) return `0x${BigInt(v).toString(16)}`;
  if (/^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i.test(v))
    return v.replace(/[{}]/g, '').toUpperCase();
  return v;
}

function fromLibevtx(xml: string): Flat[] {
  return xml
    .split('<Event xmlns')
    .slice(1)
    .map((block) => {
      const fields = new Map<string, string>();
      for (const tag of ['EventID', 'Channel', 'Computer']) {
        const m = new RegExp(`<${tag}(?: [^>]*)?>([^<]*)</${tag}>`).exec(block);
        if (m) fields.set(tag, normalise(unescape(m[1] ?? '')));
      }
      const data = /<EventData>([\s\S]*?)<\/EventData>/.exec(block)?.[1] ?? '';
      for (const m of data.matchAll(/<Data Name="([^"]*)"(?:\/>|>([^<]*)<\/Data>)/g)) {
        fields.set(`EventData.${unescape(m[1] ?? '')}`, normalise(unescape(m[2] ?? '')));
      }
      const recordId = /<EventRecordID>(\d+)</.exec(block)?.[1] ?? '?';
      return { recordId, fields };
    });
}

function fromEmoguard(bytes: Uint8Array): { flats: Flat[]; anomalies: number } {
  const parsed = parseEvtx(bytes);
  const flats = parsed.records.map((r) => {
    const event = (r.event as { Event: Record<string, Record<string, unknown>> }).Event;
    const system = event.System ?? {};
    const fields = new Map<string, string>();
    const id = system.EventID;
    const eventId =
      id !== null && typeof id === 'object' ? (id as Record<string, unknown>)['#text'] : id;
    fields.set('EventID', String(eventId));
    fields.set('Channel', normalise(String(system.Channel ?? '')));
    fields.set('Computer', normalise(String(system.Computer ?? '')));
    for (const [k, v] of Object.entries(event.EventData ?? {})) {
      if (k !== 'Data' && typeof v !== 'object') fields.set(`EventData.${k}`, normalise(String(v)));
    }
    return { recordId: String(system.EventRecordID), fields };
  });
  return { flats, anomalies: parsed.anomalies.length };
}

function check(file: string): boolean {
  const run = spawnSync('evtxexport', ['-f', 'xml', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (run.error) {
    console.error(`evtxexport not available (${run.error.message}): apt-get install libevtx-utils`);
    process.exit(2);
  }
  const theirs = fromLibevtx(run.stdout);
  const ours = fromEmoguard(new Uint8Array(readFileSync(file)));
  const byId = new Map(theirs.map((f) => [f.recordId, f]));
  let compared = 0;
  const diffs: string[] = [];
  for (const mine of ours.flats) {
    const other = byId.get(mine.recordId);
    if (!other) {
      diffs.push(`record ${mine.recordId}: not in evtxexport output`);
      continue;
    }
    for (const [key, value] of other.fields) {
      compared++;
      const got = mine.fields.get(key);
      if (got !== value)
        diffs.push(
          `record ${mine.recordId} ${key}: evtxexport ${JSON.stringify(value)}, emoguard ${JSON.stringify(got)}`,
        );
    }
  }
  const ok = theirs.length === ours.flats.length && diffs.length === 0;
  console.log(
    `${ok ? 'OK  ' : 'DIFF'} ${file}: records evtxexport ${theirs.length}, emoguard ${ours.flats.length} (${ours.anomalies} anomalies); ${compared} fields compared, ${diffs.length} differ`,
  );
  for (const d of diffs.slice(0, 10)) console.log(`     ${d}`);
  return ok;
}

const args = process.argv.slice(2);
const dir = join(import.meta.dirname ?? '.', '..', '..', 'shared', 'data', 'evtx');
const files =
  args.length > 0
    ? args
    : readdirSync(dir)
        .filter((f) => f.endsWith('.evtx'))
        .map((f) => join(dir, f));
const results = files.map(check);
process.exitCode = results.every(Boolean) ? 0 : 1;
