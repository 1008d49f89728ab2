import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import YAML from 'yaml';
import { type Anomaly, ConfigError, describeError, type LogEvent } from '../../../core/index.js';
import {
  EVTX_CHUNK_SIZE,
  EVTX_FILE_HEADER_SIZE,
  evtxRecordToLogEvent,
  type EvtxItem,
  type EvtxOptions,
  isEvtx,
  readEvtxStream,
} from '../../../formats/evtx/index.js';
import {
  compileWinlogMapping,
  type WinlogItem,
  type WinlogMappings,
  WinlogReader,
} from '../../../formats/winlog-json/index.js';
import { EXIT_ERROR, EXIT_OK, write, type CliIO } from '../io.js';
import { oneLine, safeText } from '../output/terminal.js';

interface EvtxFlags {
  json?: boolean;
}

/** Text read from a JSON/XML log per step; records of an EVTX file are read one 64 KiB chunk at a time. */
const TEXT_STEP = 1024 * 1024;
const OUTPUT_BATCH = 64 * 1024;
const SUMMARY_CHARS = 300;

/**
 * The records of an EVTX file on disk, read chunk by chunk with one reused 64 KiB buffer (a 2 GB log is
 * never held whole). Throws only when the file cannot be opened or read.
 */
export function* readEvtxFile(path: string, options: EvtxOptions = {}): Generator<EvtxItem> {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(EVTX_FILE_HEADER_SIZE);
    const headLength = readSync(fd, head, 0, head.length, 0);
    const buffer = new Uint8Array(EVTX_CHUNK_SIZE);
    function* chunks(): Generator<Uint8Array> {
      for (let at = EVTX_FILE_HEADER_SIZE; ; at += EVTX_CHUNK_SIZE) {
        const n = readSync(fd, buffer, 0, buffer.length, at);
        if (n <= 0) return;
        yield buffer.subarray(0, n);
      }
    }
    yield* readEvtxStream(head.subarray(0, headLength), chunks(), options);
  } finally {
    closeSync(fd);
  }
}

/** Windows events of a JSON or text log on disk (JSON Lines, ECS, NXLog, Sysmon for Linux), read in 1 MiB steps. */
export function* readWinlogFile(path: string, mappings: WinlogMappings): Generator<WinlogItem> {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(TEXT_STEP);
    const reader = new WinlogReader({ path, mappings });
    let decoder: InstanceType<typeof TextDecoder> | undefined;
    for (let at = 0; ;) {
      const n = readSync(fd, buffer, 0, buffer.length, at);
      if (n <= 0) break;
      decoder ??= new TextDecoder(buffer[0] === 0xff && buffer[1] === 0xfe ? 'utf-16le' : 'utf-8');
      yield* reader.push(decoder.decode(buffer.subarray(0, n), { stream: true }));
      at += n;
    }
    if (decoder) yield* reader.push(decoder.decode());
    yield* reader.finish();
  } finally {
    closeSync(fd);
  }
}

/**
 * Hunt events of any Windows log on disk: EVTX by its signature, else JSON/XML through `mappings`.
 * Throws only when the file cannot be opened or read; parse problems are anomaly items.
 */
export function* readLogEvents(
  path: string,
  mappings: WinlogMappings,
  options: EvtxOptions = {},
): Generator<WinlogItem> {
  if (!isEvtxFile(path)) return yield* readWinlogFile(path, mappings);
  for (const item of readEvtxFile(path, options)) {
    yield item.type === 'record'
      ? { type: 'event', event: evtxRecordToLogEvent(item, path) }
      : item;
  }
}

/** rules/mappings, found upward from this file (src/ under tsx, dist/ when built). */
function mappingsDir(): string {
  for (const up of ['../../../../rules/mappings/', '../../../../../rules/mappings/']) {
    const url = new URL(up, import.meta.url);
    if (existsSync(url)) return url.pathname;
  }
  throw new ConfigError(
    'E_CONFIG_MAPPINGS',
    'rules/mappings not found beside the emoguard installation',
  );
}

/** The bundled field mappings for NXLog and ECS logs (rules/mappings/winlog-*.yml), validated. */
export function loadWinlogMappings(dir = mappingsDir()): WinlogMappings {
  const load = (name: string) => {
    const path = `${dir.replace(/\/?$/, '/')}${name}`;
    return compileWinlogMapping(YAML.parse(readFileSync(path, 'utf8')), path);
  };
  return { nxlog: load('winlog-nxlog.yml'), ecs: load('winlog-ecs.yml') };
}

export function registerEvtx(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('evtx')
    .description(
      'print the records of Windows event logs: EVTX, or JSON/XML logs (evtx-rs JSON, ECS/Winlogbeat, NXLog, Sysmon for Linux)',
    )
    .argument('<files...>', 'log files')
    .option(
      '--json',
      'one JSON object per record, in the evtx-rs layout (as Chainsaw, Hayabusa and SigmaHQ use)',
    )
    .addHelpText(
      'after',
      '\nParse anomalies (bad checksums, a header that under-counts chunks, corrupt records) are warnings on\n' +
        'standard error; reading goes on. Exit status: 0, or 2 when a file cannot be read or holds no Windows events.',
    )
    .action(async (files: string[], flags: EvtxFlags) => setExit(await runEvtx(files, flags, io)));
}

type Obj = { [key: string]: unknown };
/** One printed record, from an EVTX file or a JSON/XML log. */
type Row = { event: Obj; recordId?: number; time?: string };

export async function runEvtx(files: string[], flags: EvtxFlags, io: CliIO): Promise<number> {
  let status = EXIT_OK;
  let mappings: WinlogMappings | undefined;
  for (const file of files) {
    const out = new Output(io);
    try {
      if (statSync(file).isDirectory()) throw new Error('is a directory');
      if (!flags.json && files.length > 1) out.line(`==> ${safeText(file)} <==`);
      let events = 0;
      let isForeign = false;
      const items = isEvtxFile(file)
        ? evtxItems(file)
        : winlogItems(file, (mappings ??= loadWinlogMappings()));
      for (const item of items) {
        if ('anomaly' in item) {
          if (item.anomaly.code === 'E_WINLOG_UNKNOWN_SOURCE') isForeign = true;
          await out.flush();
          await write(
            io.stderr,
            `emoguard: warning: ${safeText(file)}: ${describeAnomaly(item.anomaly)}\n`,
          );
          continue;
        }
        events++;
        out.line(flags.json ? JSON.stringify(item.event) : summaryLine(item));
        if (out.size >= OUTPUT_BATCH) await out.flush();
      }
      await out.flush();
      if (events === 0 && isForeign) {
        await write(io.stderr, `emoguard: ${safeText(file)}: no Windows events found\n`);
        status = EXIT_ERROR;
      }
    } catch (error) {
      await out.flush();
      if (error instanceof ConfigError) throw error;
      await write(io.stderr, `emoguard: ${safeText(file)}: cannot read: ${describeError(error)}\n`);
      status = EXIT_ERROR;
    }
  }
  return status;
}

function isEvtxFile(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = new Uint8Array(8);
    readSync(fd, head, 0, 8, 0);
    return isEvtx(head);
  } finally {
    closeSync(fd);
  }
}

function* evtxItems(file: string): Generator<Row | { anomaly: Anomaly }> {
  for (const item of readEvtxFile(file)) {
    if (item.type === 'anomaly') yield { anomaly: item.anomaly };
    else yield { event: item.event, recordId: item.recordId, time: item.time };
  }
}

function* winlogItems(
  file: string,
  mappings: WinlogMappings,
): Generator<Row | { anomaly: Anomaly }> {
  for (const item of readWinlogFile(file, mappings)) {
    if (item.type === 'anomaly') yield { anomaly: item.anomaly };
    else yield fromLogEvent(item.event);
  }
}

function fromLogEvent(event: LogEvent): Row {
  return { event: event.data, ...(event.time ? { time: event.time } : {}) };
}

function describeAnomaly(a: Anomaly): string {
  const where =
    a.offset !== undefined
      ? ` (offset 0x${a.offset.toString(16)})`
      : a.location
        ? ` (${a.location})`
        : '';
  return `${a.code}: ${a.message}${where}`;
}

function pick(value: unknown, ...keys: string[]): unknown {
  let node = value;
  for (const key of keys)
    node = node !== null && typeof node === 'object' ? (node as Obj)[key] : undefined;
  return node;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const t = (value as Obj)['#text'];
    return t === undefined ? JSON.stringify(value) : Array.isArray(t) ? t.join(' | ') : String(t);
  }
  return String(value);
}

/** `time  #id  channel  event-id  computer  Key=value …` for one record. */
function summaryLine(record: Row): string {
  const system = pick(record.event, 'Event', 'System');
  const time = text(pick(system, 'TimeCreated', '#attributes', 'SystemTime')) || record.time || '-';
  const id = text(pick(system, 'EventRecordID')) || String(record.recordId ?? '-');
  const data = pick(record.event, 'Event', 'EventData') ?? pick(record.event, 'Event', 'UserData');
  const pairs =
    data !== null && typeof data === 'object'
      ? Object.entries(data as Obj)
          .filter(([k]) => k !== '#attributes')
          .map(([k, v]) => `${k}=${text(v)}`)
          .join(' ')
      : '';
  return [
    time,
    `#${id}`,
    text(pick(system, 'Channel')) || '-',
    text(pick(system, 'EventID')) || '-',
    text(pick(system, 'Computer')) || '-',
    oneLine(pairs, SUMMARY_CHARS),
  ].join('  ');
}

/** Lines batched into few writes: per-record writes would dominate the time of a large log. */
class Output {
  private lines: string[] = [];
  size = 0;

  constructor(private readonly io: CliIO) {}

  line(text: string): void {
    this.lines.push(text);
    this.size += text.length + 1;
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const text = `${this.lines.join('\n')}\n`;
    this.lines = [];
    this.size = 0;
    await write(this.io.stdout, text);
  }
}
