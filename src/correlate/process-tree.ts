import type { FindingRecord } from '../store/index.js';
import type { ProcessNode } from './types.js';

/** Process nodes kept per incident view; the rest of a noisy host is in the findings. */
export const MAX_PROCESS_NODES = 500;

/** The `key=value` facts hunt writes into evidence notes (pipeline/hunt-results.ts). */
export function noteFacts(note: string | undefined): Record<string, string> {
  const facts: Record<string, string> = {};
  if (typeof note !== 'string') return facts;
  for (const part of note.split(' | ').slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0) facts[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return facts;
}

function timeOf(note: string | undefined): string | null {
  const head = (note ?? '').split(' | ')[0] ?? '';
  const m = /\d{4}-\d\d-\d\dT[\d:.]+Z?/.exec(head);
  return m === null ? null : m[0];
}

/** The event time at the head of a hunt note (`<host> <time> | …`), read as UTC when it has no zone. */
export function noteTime(note: string | undefined): Date | null {
  const t = timeOf(note);
  if (t === null) return null;
  const d = new Date(t.endsWith('Z') ? t : `${t}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * Process trees per host from the process events in hunt evidence (Sysmon 1 / 4688: pid, parent pid,
 * image, command line, user) and the chains of chain detections. Parents that were never seen starting
 * become nodes of their own from `ParentImage`, so Office → WmiPrvSE → PowerShell reads as one tree.
 */
export function buildProcessTree(findings: readonly FindingRecord[]): ProcessNode[] {
  const nodes = new Map<string, ProcessNode>();
  const parentOf = new Map<string, string>();
  const keyOf = (host: string, pid: string) => `${host}\u0000${pid}`;
  const ensure = (key: string, image: string): ProcessNode | undefined => {
    let node = nodes.get(key);
    if (node === undefined) {
      if (nodes.size >= MAX_PROCESS_NODES) return undefined;
      const pid = Number(key.split('\u0000')[1]);
      node = {
        pid: Number.isSafeInteger(pid) ? pid : null,
        image,
        commandLine: null,
        user: null,
        startedAt: null,
        children: [],
        findingIds: [],
      };
      nodes.set(key, node);
    }
    if (node.image === '' || node.image === '?') node.image = image;
    return node;
  };
  for (const f of findings) {
    const host = (f.host ?? '').toLowerCase();
    for (const e of f.evidence) {
      const facts = noteFacts(e.note);
      if (facts.pid === undefined || facts.image === undefined) continue;
      const key = keyOf(host, facts.pid);
      const node = ensure(key, facts.image);
      if (node === undefined) continue;
      if (typeof e.text === 'string' && e.text.startsWith('CommandLine: ')) {
        node.commandLine ??= e.text.slice('CommandLine: '.length);
      }
      node.user ??= facts.user ?? null;
      node.startedAt ??= timeOf(e.note);
      if (!node.findingIds.includes(f.id)) node.findingIds.push(f.id);
      if (facts.ppid !== undefined) {
        const parentKey = keyOf(host, facts.ppid);
        if (ensure(parentKey, facts.parent ?? '?') !== undefined) parentOf.set(key, parentKey);
      }
      linkChain(facts.chain, host, ensure, parentOf, keyOf);
    }
  }
  const roots: ProcessNode[] = [];
  for (const [key, node] of nodes) {
    const parent = parentOf.get(key);
    const parentNode = parent === undefined ? undefined : nodes.get(parent);
    // SECURITY: a pid reused as its own ancestor must not make a cycle (the tree is rendered recursively).
    if (parentNode !== undefined && !isAncestor(node, parentNode)) parentNode.children.push(node);
    else roots.push(node);
  }
  return roots;
}

function linkChain(
  chain: string | undefined,
  host: string,
  ensure: (key: string, image: string) => ProcessNode | undefined,
  parentOf: Map<string, string>,
  keyOf: (host: string, pid: string) => string,
): void {
  if (chain === undefined) return;
  const steps = chain.split(' > ').map((s) => /^(.*)\(([^()]*)\)$/.exec(s));
  let previous: string | undefined;
  for (const m of steps) {
    if (m === null || m[2] === '?') {
      previous = undefined;
      continue;
    }
    const key = keyOf(host, m[2]!);
    if (ensure(key, m[1]!) === undefined) return;
    // WMI breaks the parent link (Win32_Process.Create): the chain records it as Office → WmiPrvSE.
    if (previous !== undefined && !parentOf.has(key)) parentOf.set(key, previous);
    previous = key;
  }
}

function isAncestor(candidate: ProcessNode, of: ProcessNode): boolean {
  const stack = [candidate];
  for (let steps = 0; stack.length > 0 && steps < MAX_PROCESS_NODES * 4; steps++) {
    const n = stack.pop()!;
    if (n === of) return true;
    stack.push(...n.children);
  }
  return false;
}
