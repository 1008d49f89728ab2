/**
 * EmoCheck's last step (emocheck.cpp ScanEmotetProcess): a candidate is Emotet only when a running
 * process is it — by name for v1/v2, by name and image file for v3, by a rundll32 command line naming
 * the DLL for v4, by any command line naming the file for v5. One detection per PID.
 */
import type { EmotetCandidate, EmotetDetection } from './candidate.js';
import type { HostView, ProcView } from './host-view.js';

export interface ProcessMatch {
  detections: EmotetDetection[];
  /** Candidates some process matched. */
  matched: Set<EmotetCandidate>;
  /** v3 candidates whose same-named process had no readable image path (EmoCheck's "auth error"). */
  unreadable: ProcView[];
}

export function matchEmotetProcesses(
  view: HostView,
  candidates: readonly EmotetCandidate[],
  checkDeadline: () => void = () => {},
): ProcessMatch {
  const detections: EmotetDetection[] = [];
  const matched = new Set<EmotetCandidate>();
  const unreadable: ProcView[] = [];
  const pids = new Set<number>();
  view.procs.forEach((proc, i) => {
    if (i % 256 === 255) checkDeadline();
    for (const candidate of candidates) {
      const verdict = isEmotet(proc, candidate);
      if (verdict === 'unreadable') unreadable.push(proc);
      if (verdict !== true) continue;
      matched.add(candidate);
      if (pids.has(proc.p.pid)) continue;
      pids.add(proc.p.pid);
      detections.push({
        method: candidate.method,
        processName: proc.p.name,
        pid: proc.p.pid,
        imagePath: candidate.filePath === '' ? proc.p.path : candidate.filePath,
        commandLine: proc.p.commandLine,
        ...(candidate.registryKey === undefined ? {} : { registryKey: candidate.registryKey }),
        ...(candidate.service === undefined ? {} : { service: candidate.service }),
        note: candidate.note,
      });
    }
  });
  return { detections, matched, unreadable };
}

function isEmotet(proc: ProcView, c: EmotetCandidate): boolean | 'unreadable' {
  switch (c.method) {
    case 'v1':
      return proc.name === c.fileName;
    case 'v2':
      // The marker holds the name with or without its extension.
      return proc.name === c.fileName || proc.name === `${c.fileName}.exe`;
    case 'v3':
      if (proc.name !== c.fileName || !c.isValid) return false;
      return proc.path === '' ? 'unreadable' : proc.path === c.path;
    case 'v4':
      return proc.name === 'rundll32.exe' && namesFile(proc, c);
    case 'v5':
      return proc.path === c.path || namesFile(proc, c);
  }
}

/**
 * The command line names the file, also through the WOW64 file system redirector: a 32-bit rundll32
 * started from System32 by an administrator's service loads the file that lives in SysWOW64.
 */
function namesFile(proc: ProcView, c: EmotetCandidate): boolean {
  const cmd = proc.cmd.replace(/\//g, '\\');
  if (cmd.includes(c.path)) return true;
  if (!c.isAdmin || proc.name !== 'rundll32.exe') return false;
  return cmd.includes(c.path.replace('\\syswow64\\', '\\system32\\'));
}
