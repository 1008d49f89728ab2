import type { Detection, LogEvent } from '../../core/index.js';
import type { NetView } from '../../formats/netlog/index.js';
import type { IocHuntRule } from './rules.js';

/** A detection of `rule` on `event`, with the event's source, host and time. */
export function detectionOf(
  rule: IocHuntRule,
  event: LogEvent,
  extra: { attack?: readonly string[]; ioc?: Detection['ioc'] } = {},
): Detection {
  const attack = [...rule.attack];
  for (const id of extra.attack ?? []) if (!attack.includes(id)) attack.push(id);
  const d: Detection = {
    rule: { id: rule.id, title: rule.title, level: rule.level },
    source: event.source,
    step: rule.step,
    attack,
    event: event.data,
  };
  if (event.host !== undefined) d.host = event.host;
  if (event.time !== undefined) d.time = event.time;
  if (extra.ioc !== undefined) d.ioc = extra.ioc;
  return d;
}

/** Ports where the protocol seen is the expected one; anything else on C2 traffic is T1571. */
const STANDARD_PORTS = new Set([80, 443, 53, 25, 587, 465, 993, 995, 143, 110]);

export function connectionAttack(view: NetView): string[] {
  const out: string[] = [];
  if (view.dstPort !== undefined && view.kind !== 'dns' && !STANDARD_PORTS.has(view.dstPort))
    out.push('T1571');
  if (isTls(view)) out.push('T1573');
  return out;
}

export function isTls(view: NetView): boolean {
  return (
    view.kind === 'tls' ||
    view.service === 'ssl' ||
    view.service === 'tls' ||
    view.sni !== undefined ||
    view.ja3 !== undefined
  );
}
