/**
 * The detections of the `ioc` hunt engine, declared once so that ids, titles, levels, steps and ATT&CK ids
 * stay stable (`hunt` stores them as findings `ioc.<id>`). Steps follow the Emotet chain: ⑤ is the loader
 * download (an HTTP GET of a file), ⑥ the infected host talking to its C2.
 */
import type { DetectionRule, Step } from '../../core/index.js';

export interface IocHuntRule extends DetectionRule {
  step: Step;
  /** ATT&CK ids every detection carries; some add T1571/T1573 from the connection they saw. */
  attack: readonly string[];
  description: string;
}

function rule(def: IocHuntRule): IocHuntRule {
  return def;
}

export const downloadMatch = rule({
  id: 'download-match',
  title: 'Download from a threat-intel indicator (URL, domain or address)',
  level: 'high',
  step: '5',
  attack: ['T1105'],
  description:
    'An HTTP request fetching a file from a URL, host or address a loaded feed lists (URLhaus, ThreatFox …): ' +
    'the loader download of step ⑤.',
});

export const c2Match = rule({
  id: 'c2-match',
  title: 'Traffic to a threat-intel C2 (address, domain, ip:port or JA3)',
  level: 'high',
  step: '6',
  attack: ['T1071.001'],
  description:
    'A connection, DNS query, TLS session or HTTP POST to a command-and-control indicator (Feodo Tracker, ' +
    'ThreatFox botnet_cc …). T1571 is added for non-standard ports, T1573 for TLS.',
});

export const fileHashMatch = rule({
  id: 'file-hash-match',
  title: 'File transfer of a known malicious file (hash in a threat-intel feed)',
  level: 'critical',
  step: '5',
  attack: ['T1105'],
  description:
    'A file a sensor hashed on the wire (Zeek files.log, Suricata fileinfo) is listed by a feed.',
});

export const lolbinDownload = rule({
  id: 'lolbin-download',
  title: 'PowerShell, BITS or certutil downloads an executable',
  level: 'high',
  step: '5',
  attack: ['T1105'],
  description:
    'An HTTP download of an EXE/DLL by the user agents of PowerShell (Invoke-WebRequest), BITS or ' +
    'certutil, or with no user agent at all (Net.WebClient): how Emotet documents fetched the loader.',
});

export const executableMasquerade = rule({
  id: 'executable-masquerade',
  title: 'Executable served as another type',
  level: 'high',
  step: '5',
  attack: ['T1105', 'T1036'],
  description:
    'Content that is a Windows executable (by its bytes) behind a Content-Type or a file name that ' +
    'says image, text, document or archive.',
});

export const c2CheckinShape = rule({
  id: 'c2-checkin-shape',
  title: 'HTTP POST to a bare IP on an Emotet C2 port with a random path',
  level: 'high',
  step: '6',
  attack: ['T1071.001', 'T1571'],
  description:
    'The Emotet (epochs 1–3) check-in: POST with a body to an IP address without a host name, on 7080, ' +
    '8080, 8443, 50000, plain HTTP on 443 …, to a path of random mixed-case segments.',
});

export const c2Rotation = rule({
  id: 'c2-rotation',
  title: 'Host contacts many IP addresses on Emotet C2 ports in a short time',
  level: 'high',
  step: '6',
  attack: ['T1071.001', 'T1571', 'T1008'],
  description:
    'An infected host walks its built-in C2 list until one answers: connections to many distinct public ' +
    'addresses on 7080/8080/8443/50000 … within minutes.',
});

export const suricataEmotetAlert = rule({
  id: 'suricata-emotet-alert',
  title: 'Suricata alert naming Emotet (Heodo, Geodo)',
  level: 'high',
  step: '6',
  attack: ['T1071.001'],
  description:
    "A rule in the site's Suricata rule set fired with Emotet in its message or malware_family metadata.",
});

export const IOC_HUNT_RULES: readonly IocHuntRule[] = [
  downloadMatch,
  c2Match,
  fileHashMatch,
  lolbinDownload,
  executableMasquerade,
  c2CheckinShape,
  c2Rotation,
  suricataEmotetAlert,
];
