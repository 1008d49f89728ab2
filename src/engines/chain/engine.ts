import { defineFinding, type Detection, type HuntEngine, type LogEvent } from '../../core/index.js';
import { baseName, processStart, type ProcessStart } from './process.js';

/**
 * The Word → WMI → PowerShell → payload chain that public rules miss: WMI has no parent link to Office
 * (Win32_Process.Create makes WmiPrvSE the parent), so the steps are joined by host and time, and the
 * payload by its PowerShell parent's process id. Bounded state per host.
 */
export const CHAIN_WINDOW_MS = 10 * 60 * 1000;
const MAX_HOSTS = 10_000;
const MAX_PER_HOST = 256;
const OFFICE = new Set(['winword.exe', 'excel.exe', 'powerpnt.exe', 'outlook.exe']);
const SHELLS = new Set(['powershell.exe', 'pwsh.exe', 'cmd.exe', 'mshta.exe']);
const PAYLOAD_HOSTS = new Set(['rundll32.exe', 'regsvr32.exe']);
const USER_WRITABLE = /\\(?:appdata|programdata|temp|users\\public)\\/i;

export const officeWmiShell = defineFinding({
  id: 'chain.office-wmi-shell',
  title: 'Office, then WMI starting a shell on the same host within minutes',
  severity: 'high',
  step: '4',
  attack: ['T1204.002', 'T1047', 'T1059.001'],
  description:
    'An Office application ran and WmiPrvSE.exe started PowerShell/cmd shortly after: the macro → WMI hand-off.',
});

export const shellPayload = defineFinding({
  id: 'chain.wmi-shell-payload',
  title: 'A WMI-started shell runs a payload (rundll32/regsvr32 or a program from a user folder)',
  severity: 'high',
  step: '5',
  attack: ['T1059.001', 'T1218.011', 'T1105'],
  description: 'The PowerShell that WMI started starts a DLL or executable: the loader of step ⑤.',
});

export const emotetChain = defineFinding({
  id: 'chain.office-wmi-powershell-payload',
  title: 'Full Emotet execution chain: Office → WMI → PowerShell → payload',
  severity: 'critical',
  step: '5',
  attack: ['T1204.002', 'T1047', 'T1059.001', 'T1218.011'],
  description: 'All of steps ③④⑤ observed on one host inside the chain window.',
});

export const CHAIN_FINDINGS = [officeWmiShell, shellPayload, emotetChain] as const;

interface HostState {
  office: ProcessStart[];
  wmiShells: Map<string, { start: ProcessStart; office?: ProcessStart }>;
}

export function createChainEngine(windowMs = CHAIN_WINDOW_MS): HuntEngine {
  const hosts = new Map<string, HostState>();
  const stateOf = (host: string): HostState | undefined => {
    let state = hosts.get(host);
    if (!state) {
      if (hosts.size >= MAX_HOSTS) return undefined;
      state = { office: [], wmiShells: new Map() };
      hosts.set(host, state);
    }
    return state;
  };
  return {
    name: 'chain',
    kinds: ['windows'],
    match(event: LogEvent): Detection[] {
      const p = processStart(event);
      if (!p) return [];
      const state = stateOf(p.host.toLowerCase());
      if (!state) return [];
      const image = baseName(p.image);
      const parent = baseName(p.parentImage);
      if (OFFICE.has(image)) {
        state.office.push(p);
        if (state.office.length > MAX_PER_HOST) state.office.shift();
        return [];
      }
      const out: Detection[] = [];
      if (parent === 'wmiprvse.exe' && SHELLS.has(image)) {
        const office = [...state.office]
          .reverse()
          .find((o) => p.time >= o.time && p.time - o.time <= windowMs);
        state.wmiShells.set(p.id, { start: p, ...(office ? { office } : {}) });
        if (state.wmiShells.size > MAX_PER_HOST)
          state.wmiShells.delete(state.wmiShells.keys().next().value!);
        if (office) out.push(detection(officeWmiShell, p, [office, p]));
        return out;
      }
      const shell = state.wmiShells.get(p.parentId);
      if (
        shell &&
        (PAYLOAD_HOSTS.has(image) || USER_WRITABLE.test(p.image)) &&
        p.time - shell.start.time <= windowMs
      ) {
        out.push(detection(shellPayload, p, [shell.start, p]));
        if (shell.office) out.push(detection(emotetChain, p, [shell.office, shell.start, p]));
      }
      return out;
    },
  };
}

function detection(
  kind: (typeof CHAIN_FINDINGS)[number],
  last: ProcessStart,
  chain: ProcessStart[],
): Detection {
  const def = kind.def;
  return {
    rule: { id: def.id.replace(/^chain\./, ''), title: def.title, level: def.severity },
    source: last.event.source,
    ...(last.event.host ? { host: last.event.host } : {}),
    ...(last.event.time ? { time: last.event.time } : {}),
    step: def.step,
    attack: [...def.attack],
    event: last.event.data,
    events: chain.map((c) => c.event.data),
  };
}
