/**
 * @module correlate — findings from every layer turned into incidents a responder can act on: one per
 * compromised host or attacked mailbox, linked mail → host (same file hash, name or URL) → process chain →
 * C2 → triage, with the kill-chain progression, scope (hosts, users, mailboxes, contacts exposed by stolen
 * mail, SMB edges, indicators shared with other hosts) and IOCs. Imports core and the store interface.
 * Background: JPCERT/CC, "Emotet FAQ" (https://blogs.jpcert.or.jp/ja/2019/12/emotetfaq.html); MITRE ATT&CK.
 *
 * @example
 * const summary = await correlate(store);
 * const view = await buildIncidentView(store, summary.created[0]!);
 */
export { correlate, subjectKey, type CorrelateOptions } from './correlate.js';
export { layerOf } from './layers.js';
export { buildIncidentView, progression, techniques, timeline } from './view.js';
export * from './types.js';
