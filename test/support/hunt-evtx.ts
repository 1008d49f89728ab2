/**
 * Set-up shared by the `emoguard hunt` command tests: Sysmon/PowerShell records built in code (inert
 * command lines, example.com hosts), the temporary EVTX file holding them, and a store-less hunt run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvtx, eventRoot, type EvtxChunkSpec, type EvtxRecordSpec } from '../builders/evtx.js';
import { runCli } from './cli-io.js';

export const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
export const POWERSHELL = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

export interface EventOptions {
  /** Event.System.Computer; default ws01.example.com. */
  computer?: string;
  /** Event.System.Execution ProcessID, when the record names the writing process (4104 does). */
  executionPid?: number;
}

/** An event record numbered `id`, written at 2024-05-01T10:00:00Z + `id` seconds. */
export function eventRecord(
  id: number,
  channel: string,
  eventId: number,
  data: Record<string, unknown>,
  options: EventOptions = {},
): EvtxRecordSpec {
  const time = new Date(Date.UTC(2024, 4, 1, 10, 0, id)).toISOString().replace('Z', '000Z');
  return {
    recordId: id,
    time,
    event: eventRoot({
      System: {
        EventID: eventId,
        TimeCreated: { '#attributes': { SystemTime: time } },
        EventRecordID: id,
        Channel: channel,
        Computer: options.computer ?? 'ws01.example.com',
        ...(options.executionPid === undefined
          ? {}
          : { Execution: { '#attributes': { ProcessID: options.executionPid, ThreadID: 1 } } }),
      },
      EventData: data,
    }),
    types: { 'Event.System.TimeCreated.#attributes.SystemTime': 'filetime' },
  };
}

export interface ProcessCreate {
  id: number;
  pid: number;
  parent: number;
  image: string;
  parentImage: string;
  cmd: string;
  /** The ProcessGuid of a pid; the parent's guid comes from the same function. */
  guid: (pid: number) => string;
  user?: string;
}

/** Sysmon event 1 (process create). */
export function processCreate(p: ProcessCreate, options: EventOptions = {}): EvtxRecordSpec {
  return eventRecord(
    p.id,
    SYSMON,
    1,
    {
      ProcessGuid: p.guid(p.pid),
      ProcessId: String(p.pid),
      Image: p.image,
      CommandLine: p.cmd,
      ...(p.user === undefined ? {} : { User: p.user }),
      ParentProcessGuid: p.guid(p.parent),
      ParentProcessId: String(p.parent),
      ParentImage: p.parentImage,
    },
    options,
  );
}

/**
 * A positional Sysmon 1 builder, `proc(id, pid, parent, image, parentImage, cmd)`, with the guid scheme,
 * user and per-pid event options of one test file.
 */
export function processCreator(
  guid: (pid: number) => string,
  extra: { user?: string; options?: (pid: number) => EventOptions } = {},
) {
  return (
    id: number,
    pid: number,
    parent: number,
    image: string,
    parentImage: string,
    cmd: string,
  ): EvtxRecordSpec =>
    processCreate(
      {
        id,
        pid,
        parent,
        image,
        parentImage,
        cmd,
        guid,
        ...(extra.user ? { user: extra.user } : {}),
      },
      extra.options?.(pid),
    );
}

/** Writes the chunks as `name` in a fresh temporary directory; returns its path. */
export function writeTempEvtx(prefix: string, name: string, chunks: EvtxChunkSpec[]): string {
  const path = join(mkdtempSync(join(tmpdir(), prefix)), name);
  writeFileSync(path, buildEvtx({ chunks }));
  return path;
}

/** A store path that does not exist, for `--no-store` runs that must not touch ./emoguard.db. */
export const missingDb = (prefix: string): string =>
  join(mkdtempSync(join(tmpdir(), prefix)), 'none.db');

/** `emoguard hunt --no-store …args` in process. */
export const huntNoStore = (prefix: string, ...args: string[]) =>
  runCli(['hunt', '--no-store', '--db', missingDb(prefix), ...args]);
