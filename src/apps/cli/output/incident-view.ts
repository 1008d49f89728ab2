import { STEP_INFO } from '../../../core/index.js';
import type { IncidentView, ProcessNode } from '../../../correlate/index.js';
import type { Incident, IncidentNote } from '../../../store/index.js';
import { oneLine, safeText, type Colors } from './terminal.js';

/** Rows of the timeline shown in a terminal; `--json` has them all. */
export const SHOWN_TIMELINE = 50;
const SHOWN_ITEMS = 20;

const width = (s: string, n: number) => {
  // East Asian wide characters take two columns; pad by display width so Japanese columns line up.
  const cols = [...s].reduce(
    (w, ch) =>
      w +
      (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(
        ch,
      )
        ? 2
        : 1),
    0,
  );
  return cols >= n ? s : s + ' '.repeat(n - cols);
};

export function stepMarks(steps: readonly string[]): string {
  return steps.map((s) => STEP_INFO[s as keyof typeof STEP_INFO]?.mark ?? s).join('');
}

/** `emoguard incidents`: one row per incident. */
export function renderIncidentList(incidents: readonly Incident[], colors: Colors): string {
  if (incidents.length === 0) return 'No incidents.\n';
  const head = `${width('ID', 6)}${width('STATUS', 14)}${width('SEVERITY', 10)}${width('STEPS', 9)}${width('FINDINGS', 10)}${width('OWNER', 12)}SUBJECT / TITLE`;
  const rows = incidents.map((i) => {
    const sev =
      i.severity === 'critical' ? colors.red(i.severity.padEnd(10)) : i.severity.padEnd(10);
    return (
      `${width(`#${i.id}`, 6)}${width(i.status, 14)}${sev}${width(stepMarks(i.steps), 9)}` +
      `${width(String(i.findingIds.length), 10)}${width(oneLine(i.owner ?? '-', 11), 12)}` +
      `${oneLine(`${i.kind} ${i.subject ?? '-'}`, 40)}  ${oneLine(i.title, 60)}`
    );
  });
  return `${colors.bold(head)}\n${rows.join('\n')}\n`;
}

function tree(nodes: readonly ProcessNode[], depth: number, out: string[]): void {
  for (const n of nodes) {
    if (out.length >= SHOWN_ITEMS * 3) return;
    const cmd = n.commandLine === null ? '' : `  ${oneLine(n.commandLine, 100)}`;
    out.push(
      `  ${'  '.repeat(depth)}${depth > 0 ? '└ ' : ''}${oneLine(n.image, 80)} (${n.pid ?? '?'})${cmd}`,
    );
    tree(n.children, depth + 1, out);
  }
}

/** `emoguard incident show ID`: the view as sections a responder reads top to bottom. */
export function renderIncidentView(
  view: IncidentView,
  notes: readonly IncidentNote[],
  colors: Colors,
): string {
  const i = view.incident;
  const out: string[] = [];
  out.push(colors.bold(`Incident #${i.id}: ${safeText(i.title)}`));
  out.push(
    `  ${i.kind} ${safeText(i.subject ?? '-')} · status ${i.status} · severity ${i.severity} · owner ${safeText(i.owner ?? '-')} · ${view.findings.length} finding(s)`,
  );
  out.push('', colors.bold('Kill chain'));
  for (const s of view.progression) {
    const info = STEP_INFO[s.step];
    const state = s.observed ? (s.blocked ? 'blocked ' : 'observed') : '-       ';
    const layers = s.layers.join(', ');
    const when = s.firstSeen === null ? '' : `  ${s.firstSeen}`;
    out.push(
      `  ${info.mark} ${state}  ${width(s.worstSeverity ?? '', 9)}${width(layers, 34)} ${info.en}${when}`,
    );
  }
  out.push('', colors.bold('Timeline'));
  for (const t of view.timeline.slice(0, SHOWN_TIMELINE)) {
    const at = `${t.at.slice(0, 19).replace('T', ' ')}${t.isEventTime ? ' ' : '*'}`;
    out.push(
      `  ${at} ${STEP_INFO[t.step].mark} ${width(t.layer, 9)}${width(t.severity, 9)}${width(oneLine(t.ruleId, 40), 41)}${oneLine(t.host ?? '', 16)} ${oneLine(t.summary, 80)}`,
    );
  }
  if (view.timeline.length > SHOWN_TIMELINE)
    out.push(`  … ${view.timeline.length - SHOWN_TIMELINE} more (--json)`);
  if (view.timeline.some((t) => !t.isEventTime))
    out.push(colors.dim('  * store time: no event time known'));
  const sc = view.scope;
  out.push('', colors.bold('Scope'));
  out.push(`  hosts      ${sc.hosts.map(safeText).join(', ') || '-'}`);
  out.push(`  users      ${sc.users.map(safeText).join(', ') || '-'}`);
  out.push(`  mailboxes  ${sc.mailboxes.map(safeText).join(', ') || '-'}`);
  out.push(`  contacts   ${sc.externalContacts.length} exposed by stolen mail`);
  for (const c of sc.externalContacts.slice(0, SHOWN_ITEMS)) {
    out.push(
      `    ${oneLine(c.address, 60)}  ${c.reasons.join(', ')}  via ${oneLine(c.via.join(', '), 60)}`,
    );
  }
  for (const e of sc.lateral.slice(0, SHOWN_ITEMS)) {
    out.push(`  lateral    ${oneLine(e.from, 40)} → ${oneLine(e.to, 40)} (${e.protocol})`);
  }
  for (const s of sc.shared.slice(0, SHOWN_ITEMS)) {
    out.push(
      `  shared     ${s.kind} ${oneLine(s.value, 80)} also seen by ${oneLine(s.others.join(', '), 80)}`,
    );
  }
  if (view.processTree.length > 0) {
    out.push('', colors.bold('Process tree'));
    tree(view.processTree, 0, out);
  }
  if (view.mails.length > 0) {
    out.push('', colors.bold('Mails'));
    for (const m of view.mails.slice(0, SHOWN_ITEMS)) {
      out.push(
        `  ${m.date ?? '-'}  ${oneLine(m.from ?? '-', 40)} → ${oneLine(m.to.join(', '), 60)}  ${oneLine(m.subject ?? '', 80)}`,
      );
      for (const a of m.attachments)
        out.push(`    📎 ${oneLine(a.name, 60)}  ${a.verdict}  ${a.sha256.slice(0, 16)}…`);
    }
  }
  if (view.iocs.length > 0) {
    out.push('', colors.bold('IOCs'));
    for (const ioc of view.iocs.slice(0, SHOWN_ITEMS * 2)) {
      const feeds = ioc.feeds.length > 0 ? `  [${ioc.feeds.join(', ')}]` : '';
      out.push(`  ${width(ioc.kind, 8)}${oneLine(ioc.value, 100)}${feeds}`);
    }
  }
  if (view.techniques.length > 0) {
    out.push('', colors.bold('ATT&CK'));
    for (const t of view.techniques)
      out.push(`  ${width(t.id, 11)}${width(stepMarks(t.steps), 8)}${t.name}`);
  }
  if (notes.length > 0) {
    out.push('', colors.bold('Notes'));
    for (const n of notes) {
      out.push(
        `  ${n.createdAt.toISOString().slice(0, 19).replace('T', ' ')}  ${oneLine(n.author, 20)}: ${safeText(n.text).replace(/\n/g, '\n    ')}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
