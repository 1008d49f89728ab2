/**
 * @module chain — the Emotet execution chain across process-creation events (Sysmon 1, Security 4688):
 * Office → WmiPrvSE → PowerShell → payload, joined by host, time and parent process id.
 *
 * @example
 * for await (const d of runHunt(events, [createChainEngine()])) console.log(d.rule.title);
 */
export { CHAIN_FINDINGS, CHAIN_WINDOW_MS, createChainEngine } from './engine.js';
