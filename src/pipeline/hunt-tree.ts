import type { Detection, LogEvent } from '../core/index.js';

/**
 * Process trees for hunt detections (`hunt --tree`): every process start of the hunted logs (Sysmon 1,
 * Security 4688) is remembered, and a high/critical detection gets the tree of its process — the oldest
 * known ancestor and what descends from it, as known when the detection is made (records after it are
 * not in its tree). Identity: Sysmon's ProcessGuid (unique per boot, no pid reuse); for 4688, which has
 * no GUID, the process id with the logon id of the new process (TargetLogonId, else SubjectLogonId), and
 * a parent found by its pid and the creator's logon id, else by the newest start of that pid on the host.
 * Everything is bounded: processes remembered, children per process, tree depth, width and size.
 */

/** Process starts remembered; the oldest are forgotten first. */
export const MAX_TREE_PROCESSES = 100_000;
/** Children remembered per process (a busy services.exe would otherwise grow without end). */
export const MAX_TREE_CHILDREN = 64;
/** Ancestors walked up from the detection's process. */
export const MAX_TREE_ANCESTORS = 8;
/** Levels rendered below the root. */
export const MAX_TREE_DEPTH = 12;
/** Children rendered per node; the rest are counted in `more`. */
export const MAX_TREE_WIDTH = 16;
/** Nodes per rendered tree. */
export const MAX_TREE_NODES = 200;
/** Characters of a command line kept in a node. */
export const MAX_TREE_COMMAND_LINE = 1024;

export interface ProcessTreeNode {
  image: string;
  pid?: number;
  processGuid?: string;
  commandLine?: string;
  user?: string;
  time?: string;
  recordId?: number;
  /** The process of the detection. */
  match?: true;
  children: ProcessTreeNode[];
  /** Children left out by the width, depth or size bound. */
  more?: number;
}

export interface ProcessTree {
  host: string;
  root: ProcessTreeNode;
  /** A bound cut the tree somewhere (`more` on the nodes says where). */
  truncated?: true;
}

interface Proc {
  key: string;
  parentKey: string | undefined;
  host: string;
  image: string;
  parentImage: string;
  pid?: number;
  processGuid?: string;
  commandLine: string;
  user: string;
  time?: string;
  recordId?: number;
  children: string[];
  droppedChildren: number;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export class ProcessTreeIndex {
  private readonly procs = new Map<string, Proc>();
  private readonly maxProcesses: number;

  /** `maxProcesses` lowers the memory bound (tests); it cannot raise it above MAX_TREE_PROCESSES. */
  constructor(options: { maxProcesses?: number } = {}) {
    this.maxProcesses = Math.max(
      1,
      Math.min(options.maxProcesses ?? MAX_TREE_PROCESSES, MAX_TREE_PROCESSES),
    );
  }

  /** host|pid → key of the newest start of that pid. */
  private readonly byPid = new Map<string, string>();

  /** Remembers the event if it is a process start; other events are ignored. */
  add(event: LogEvent): void {
    const fields = windowsFields(event);
    if (!fields) return;
    const { channel, eventId, data, host } = fields;
    const str = (k: string) => text(data[k]);
    let proc: Proc;
    if (channel === 'microsoft-windows-sysmon/operational' && eventId === 1) {
      const guid = str('ProcessGuid');
      const pid = toPid(str('ProcessId'));
      const parentGuid = str('ParentProcessGuid');
      const parentPid = toPid(str('ParentProcessId'));
      proc = this.newProc(event, host, {
        key: guid !== '' ? `${host}|${guid}` : `${host}|pid:${pid}`,
        parentKey:
          parentGuid !== ''
            ? `${host}|${parentGuid}`
            : parentPid !== undefined
              ? (this.byPid.get(`${host}|${parentPid}`) ?? `${host}|pid:${parentPid}`)
              : undefined,
        image: str('Image'),
        parentImage: str('ParentImage'),
        commandLine: str('CommandLine'),
        user: str('User'),
        ...(pid !== undefined ? { pid } : {}),
        ...(guid !== '' ? { processGuid: guid } : {}),
      });
    } else if (channel === 'security' && eventId === 4688) {
      const pid = toPid(str('NewProcessId'));
      const parentPid = toPid(str('ProcessId'));
      const target = str('TargetLogonId');
      const logon = target !== '' && target !== '0x0' ? target : str('SubjectLogonId');
      proc = this.newProc(event, host, {
        key: `${host}|pid:${pid}@${logon}`,
        parentKey:
          parentPid === undefined
            ? undefined
            : (this.known(`${host}|pid:${parentPid}@${str('SubjectLogonId')}`) ??
              this.byPid.get(`${host}|${parentPid}`) ??
              `${host}|pid:${parentPid}@${str('SubjectLogonId')}`),
        image: str('NewProcessName'),
        parentImage: str('ParentProcessName'),
        commandLine: str('CommandLine'),
        // TargetUserName (4688 v2) is who the new process runs as; SubjectUserName who started it.
        user:
          [str('TargetUserName'), str('SubjectUserName')].find((u) => u !== '' && u !== '-') ?? '',
        ...(pid !== undefined ? { pid } : {}),
      });
    } else return;
    this.remember(proc);
  }

  /**
   * The tree around a detection's process, or undefined when the detection names no process that was
   * seen starting (its event's ProcessGuid, SourceProcessGuid, or the event's own process start).
   */
  treeFor(detection: Detection): ProcessTree | undefined {
    const event = detection.event;
    if (!event) return undefined;
    const fields = windowsFields({ kind: 'windows', source: detection.source, data: event });
    if (!fields) return undefined;
    const host = fields.host;
    const start = [fields.data.ProcessGuid, fields.data.SourceProcessGuid]
      .map(text)
      .map((g) => (g !== '' ? this.known(`${host}|${g}`) : undefined))
      .find((k) => k !== undefined);
    // PowerShell 4103/4104 name their process only in System/Execution/@ProcessID.
    const pid = toPid(
      text(fields.data.NewProcessId) || text(fields.data.ProcessId) || fields.executionPid,
    );
    const key = start ?? (pid !== undefined ? this.byPid.get(`${host}|${pid}`) : undefined);
    const proc = key !== undefined ? this.procs.get(key) : undefined;
    if (!proc) return undefined;
    let root = proc;
    const seen = new Set([root.key]);
    for (let i = 0; i < MAX_TREE_ANCESTORS; i++) {
      const parent = root.parentKey !== undefined ? this.procs.get(root.parentKey) : undefined;
      // SECURITY: hostile logs can make a process its own ancestor; the walk stops at a repeat.
      if (!parent || seen.has(parent.key)) break;
      seen.add(parent.key);
      root = parent;
    }
    const budget = { nodes: MAX_TREE_NODES, truncated: false };
    const node = this.render(root, proc.key, 0, budget, new Set());
    return {
      host: proc.host,
      root: node,
      ...(budget.truncated ? { truncated: true as const } : {}),
    };
  }

  get size(): number {
    return this.procs.size;
  }

  private render(
    proc: Proc,
    match: string,
    depth: number,
    budget: { nodes: number; truncated: boolean },
    path: Set<string>,
  ): ProcessTreeNode {
    budget.nodes--;
    const node: ProcessTreeNode = {
      image: proc.image,
      ...(proc.pid !== undefined ? { pid: proc.pid } : {}),
      ...(proc.processGuid ? { processGuid: proc.processGuid } : {}),
      ...(proc.commandLine ? { commandLine: proc.commandLine } : {}),
      ...(proc.user ? { user: proc.user } : {}),
      ...(proc.time ? { time: proc.time } : {}),
      ...(proc.recordId !== undefined ? { recordId: proc.recordId } : {}),
      ...(proc.key === match ? { match: true as const } : {}),
      children: [],
    };
    path.add(proc.key);
    const kids = proc.children.map((k) => this.procs.get(k)).filter((p) => p !== undefined);
    // The branch holding the detection's process is rendered first, so width cuts never hide it.
    const holds = (p: Proc) => this.leadsTo(p, match);
    kids.sort((a, b) => Number(holds(b)) - Number(holds(a)));
    let more = proc.droppedChildren;
    for (const kid of kids) {
      if (
        path.has(kid.key) ||
        depth + 1 > MAX_TREE_DEPTH ||
        node.children.length >= MAX_TREE_WIDTH ||
        budget.nodes <= 0
      ) {
        more++;
        continue;
      }
      node.children.push(this.render(kid, match, depth + 1, budget, path));
    }
    path.delete(proc.key);
    if (more > 0) {
      node.more = more;
      budget.truncated = true;
    }
    return node;
  }

  /** Whether `match` descends from `proc` (walking up from `match`, bounded). */
  private leadsTo(proc: Proc, match: string): boolean {
    let key: string | undefined = match;
    for (let i = 0; key !== undefined && i <= MAX_TREE_DEPTH; i++) {
      if (key === proc.key) return true;
      key = this.procs.get(key)?.parentKey;
    }
    return false;
  }

  private known(key: string): string | undefined {
    return this.procs.has(key) ? key : undefined;
  }

  private newProc(
    event: LogEvent,
    host: string,
    p: Omit<Proc, 'host' | 'children' | 'droppedChildren' | 'time' | 'recordId'>,
  ): Proc {
    return {
      ...p,
      host: event.host ?? host,
      commandLine: p.commandLine.slice(0, MAX_TREE_COMMAND_LINE),
      ...(event.time ? { time: event.time } : {}),
      ...(event.source.recordId !== undefined ? { recordId: event.source.recordId } : {}),
      children: [],
      droppedChildren: 0,
    };
  }

  private remember(proc: Proc): void {
    const existing = this.procs.get(proc.key);
    if (existing) {
      // A parent first known from ParentImage, now seen starting: it keeps the children it had.
      proc.children = existing.children;
      proc.droppedChildren = existing.droppedChildren;
      this.procs.delete(proc.key);
    }
    if (
      proc.parentImage !== '' &&
      (proc.parentKey === undefined || !this.procs.has(proc.parentKey))
    ) {
      // A parent never seen starting (it started before the log) still heads the tree, from ParentImage.
      proc.parentKey ??= `${proc.key}^parent`;
      this.insert({
        key: proc.parentKey,
        parentKey: undefined,
        host: proc.host,
        image: proc.parentImage,
        parentImage: '',
        commandLine: '',
        user: '',
        children: [],
        droppedChildren: 0,
      });
    }
    this.insert(proc);
    if (proc.pid !== undefined) this.byPid.set(`${hostKey(proc.key)}|${proc.pid}`, proc.key);
    if (this.byPid.size > this.maxProcesses) this.byPid.delete(this.byPid.keys().next().value!);
    const parent = proc.parentKey !== undefined ? this.procs.get(proc.parentKey) : undefined;
    if (parent && !parent.children.includes(proc.key)) {
      if (parent.children.length < MAX_TREE_CHILDREN) parent.children.push(proc.key);
      else parent.droppedChildren++;
    }
  }

  private insert(proc: Proc): void {
    // SECURITY: memory is bounded by the process count, whatever the log's size.
    while (this.procs.size >= this.maxProcesses) this.procs.delete(this.procs.keys().next().value!);
    this.procs.set(proc.key, proc);
  }
}

function hostKey(key: string): string {
  return key.slice(0, key.indexOf('|'));
}

function windowsFields(
  event: LogEvent,
):
  { channel: string; eventId: number; data: Json; host: string; executionPid: string } | undefined {
  if (event.kind !== 'windows') return undefined;
  const root = isObject(event.data.Event) ? event.data.Event : undefined;
  const system = isObject(root?.System) ? root.System : undefined;
  const data = isObject(root?.EventData) ? root.EventData : undefined;
  if (!system || !data) return undefined;
  const rawId = system.EventID;
  const eventId = Number(isObject(rawId) ? rawId['#text'] : rawId);
  const host = (event.host ?? text(system.Computer)).toLowerCase();
  const execution = isObject(system.Execution) ? system.Execution['#attributes'] : undefined;
  const executionPid = isObject(execution) ? text(execution.ProcessID) : '';
  return { channel: text(system.Channel).toLowerCase(), eventId, data, host, executionPid };
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** Sysmon writes decimal pids, Security 4688 hex (`0x1a4`). */
function toPid(s: string): number | undefined {
  const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^\d+$/.test(s) ? Number(s) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Indented text, one process a line, the detection's process marked with `◀`. */
export function renderProcessTree(
  tree: ProcessTree,
  line: (node: ProcessTreeNode) => string,
  indent = '    ',
): string[] {
  const out: string[] = [];
  const walk = (node: ProcessTreeNode, depth: number) => {
    out.push(
      `${indent}${'  '.repeat(depth)}${depth > 0 ? '└ ' : ''}${line(node)}${node.match ? ' ◀' : ''}`,
    );
    for (const child of node.children) walk(child, depth + 1);
    if (node.more) out.push(`${indent}${'  '.repeat(depth + 1)}… ${node.more} more`);
  };
  walk(tree.root, 0);
  return out;
}
