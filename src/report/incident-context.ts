import type { Severity, Step } from '../core/index.js';
import type { IncidentStatus, Store } from '../store/index.js';
import type { ChecklistContext, IncidentRun } from './checklist.js';

/** Runs read for the checklist, newest first: enough for any one investigation. */
export const MAX_CONTEXT_RUNS = 500;
/** Artifacts read per run to learn which hosts it covered. */
const MAX_RUN_ARTIFACTS = 10_000;
/** Input types that mean a host was checked: its state (EmoCheck-style triage) or its logs (a hunt). */
const TRIAGE_TYPES = new Set(['host-snapshot', 'minidump']);
const LOG_TYPES = new Set(['evtx', 'jsonl', 'log', 'pcap', 'pcapng']);

/**
 * What the checklist needs beyond the incident: the runs that stored results for a host (a `triage` of
 * its snapshot, a `hunt` over its logs, or any verb that read such inputs, like `demo`), every known host
 * (for the sweep), and the incident's notes. Hosts come from the stored artifacts, not from the machine
 * the verb ran on.
 */
export async function readChecklistContext(
  store: Store,
  incidentId?: number,
): Promise<ChecklistContext> {
  const hosts = await store.listHosts();
  const nameById = new Map(hosts.map((h) => [h.id, h.name]));
  const runs: IncidentRun[] = [];
  for (const scan of await store.listScans({ limit: MAX_CONTEXT_RUNS })) {
    const covered = new Set<string>();
    const kinds = new Set<IncidentRun['kinds'][number]>();
    if (scan.command === 'triage') kinds.add('triage');
    if (scan.command === 'hunt') kinds.add('hunt');
    let inputs = 0;
    const artifacts = await store.listArtifacts({ scanId: scan.id, limit: MAX_RUN_ARTIFACTS });
    for (const a of artifacts) {
      if (a.depth !== 0) continue;
      inputs++;
      const name = a.hostId === null ? undefined : nameById.get(a.hostId);
      if (name === undefined) continue;
      covered.add(name);
      if (TRIAGE_TYPES.has(a.type)) kinds.add('triage');
      if (LOG_TYPES.has(a.type)) kinds.add('hunt');
    }
    if (covered.size === 0 || kinds.size === 0) continue;
    runs.push({
      scanId: scan.id,
      command: scan.command,
      startedAt: scan.startedAt.toISOString(),
      inputs,
      hosts: [...covered].sort(),
      kinds: [...kinds].sort(),
    });
  }
  const notes = incidentId === undefined ? [] : await store.listIncidentNotes(incidentId);
  return { runs, allHosts: hosts.map((h) => h.name), notes };
}

/** One row of the store report's incident list. */
export interface ReportIncident {
  id: number;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  host: string | null;
  steps: Step[];
  findings: number;
  updatedAt: string;
}

export const MAX_REPORT_INCIDENTS = 200;

/** Newest first, at most `max`; `omitted` counts the rest. */
export async function readIncidentList(
  store: Store,
  max = MAX_REPORT_INCIDENTS,
): Promise<{ incidents: ReportIncident[]; omitted: number }> {
  const all = await store.listIncidents();
  const names = new Map((await store.listHosts()).map((h) => [h.id, h.name]));
  return {
    incidents: all.slice(0, max).map((i) => ({
      id: i.id,
      title: i.title,
      severity: i.severity,
      status: i.status,
      host: i.hostId === null ? null : (names.get(i.hostId) ?? null),
      steps: i.steps,
      findings: i.findingIds.length,
      updatedAt: i.updatedAt.toISOString(),
    })),
    omitted: Math.max(0, all.length - max),
  };
}
