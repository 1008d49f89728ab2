import type { FindingRecord, Store } from '../store/index.js';
import type { AddressBook } from './addresses.js';
import { ipLiteral } from './addresses.js';
import { type IncidentBook, MAX_CROSS_LINKS, subjectKey, type PassCache } from './book.js';

/**
 * Incidents named by a client address (a proxy or Zeek hit before any layer had tied the address to a
 * host) move to the host that held the address at each finding's time, once a layer has seen it: all
 * findings to one host → the address incident is merged into the host's (and closed with a note); some
 * resolved → those findings move and the rest stay. Returns the incidents merged into or moved from.
 */
export async function resolveAddressIncidents(
  store: Store,
  book: IncidentBook,
  cache: PassCache,
  addresses: AddressBook,
): Promise<number[]> {
  const changed: number[] = [];
  const pending = book
    .entries()
    .filter(([key, i]) => key.startsWith('host:') && i.subject !== null && ipLiteral(i.subject));
  if (pending.length === 0) return changed;
  await addresses.prepare(
    [],
    pending.map(([, i]) => ipLiteral(i.subject!)!),
  );
  for (const [key, incident] of pending) {
    const ip = ipLiteral(incident.subject!)!;
    const findings = await store.listFindings({ incidentId: incident.id, limit: MAX_CROSS_LINKS });
    const byHost = new Map<string, FindingRecord[]>();
    let unresolved = 0;
    for (const f of findings) {
      const host = addresses.resolve(ip, f.observedAt);
      if (host === null) {
        unresolved++;
        continue;
      }
      byHost.set(host, [...(byHost.get(host) ?? []), f]);
    }
    if (byHost.size === 0) continue;
    const targets = new Map<string, number>();
    for (const host of byHost.keys()) {
      const target = await book.open(
        subjectKey('host', host),
        host,
        cache.hostsByName.get(host.toLowerCase())?.id ?? null,
      );
      targets.set(host, target.id);
    }
    if (byHost.size === 1 && unresolved === 0 && findings.length < MAX_CROSS_LINKS) {
      const [host, targetId] = [...targets.entries()][0]!;
      const merged = await store.mergeIncidents(targetId, [incident.id], { author: 'correlate' });
      await store.relabelSightings(`host:${incident.subject}`, `host:${host}`);
      book.refresh(subjectKey('host', host), merged);
      book.refresh(key, undefined);
      changed.push(targetId);
      continue;
    }
    for (const [host, moved] of byHost) {
      const target = book.get(subjectKey('host', host));
      if (target === undefined) continue;
      await book.link(target, moved);
      await store.unlinkFindings(
        incident.id,
        moved.map((f) => f.id),
      );
    }
    book.refresh(key, await store.getIncident(incident.id));
    changed.push(incident.id);
  }
  return changed;
}
