import { buildDocm } from '../../formats/ooxml/index.js';
import { buildOleWordDocument, buildVbaProjectBin } from '../../formats/ovba/index.js';
import {
  DEMO_BENIGN_MACRO,
  DEMO_MAIL,
  DEMO_POWERSHELL,
  demoMacroModules,
  encodePowerShell,
} from './content.js';
import {
  buildHostSnapshot,
  buildLoaderMemoryImage,
  DEMO_C2,
  DEMO_HOST,
  LOADER_PERSISTED,
  LOADER_TEMP,
} from './host.js';
import { hijackedReply } from './mails.js';
import { c2BeaconZeek, demoIntelFeeds, loaderDownloadSquid, SMB_TARGETS } from './network.js';
import type { SimulationInputKind } from './scenarios.js';
import {
  loaderEvents,
  macroRunsEvents,
  openDocumentEvents,
  scriptBlockEvents,
  toJsonLines,
  wmiPowerShellEvents,
} from './telemetry.js';
import {
  c2Events,
  outlookAccessEvents,
  runKeyEvents,
  smbSpreadEvents,
} from './telemetry-infected.js';

export interface DemoFile {
  /** Path inside the demo folder. */
  path: string;
  bytes: Uint8Array;
  /** What the file stands for in the story. */
  what: string;
  /** Which layer reads it (`intel` feeds are loaded, not analysed). */
  kind: Exclude<SimulationInputKind, 'disarm'> | 'intel';
  /** The host the evidence was taken from, for the store and correlation. */
  host?: string;
}

/**
 * The demo incident on one host, PC-SALES-01 (tanaka@victim.example.co.jp), generated in code: the
 * hijacked-thread invoice mail with its macro document (①②③④), the same macro in a .docm, the host's
 * Windows telemetry (④⑤⑥: WMI → PowerShell → rundll32, Run key, C2, SMB, Outlook), the proxy and Zeek
 * logs with the loader download and the C2 check-ins (⑤⑥) plus the intel that names them, an EmoCheck-
 * style host snapshot and the memory image of the loader's process (⑥), and a harmless macro for contrast.
 */
export async function buildDemoCorpus(): Promise<DemoFile[]> {
  const modules = demoMacroModules();
  const doc = buildOleWordDocument({ text: '請求書 (emoguard demo)', modules });
  const docm = buildDocm({
    vbaProjectBin: buildVbaProjectBin({ modules }),
    text: '見積書 (emoguard demo)',
  });
  const opened = `${DEMO_HOST.profile}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\X1Y2Z3\\${DEMO_MAIL.attachmentName}`;
  const telemetry = toJsonLines([
    ...openDocumentEvents(opened),
    ...macroRunsEvents(),
    ...wmiPowerShellEvents(encodePowerShell(DEMO_POWERSHELL)),
    ...scriptBlockEvents(DEMO_POWERSHELL),
    ...loaderEvents(LOADER_TEMP),
    ...runKeyEvents(LOADER_PERSISTED),
    ...c2Events(DEMO_C2.slice(0, 3)),
    ...outlookAccessEvents(),
    ...smbSpreadEvents(SMB_TARGETS),
  ]);
  const host = DEMO_HOST.name;
  return [
    {
      path: `mail/${DEMO_MAIL.attachmentName.replace(/\.doc$/, '')}.eml`,
      bytes: await hijackedReply(doc),
      what: '① invoice mail with a macro document',
      kind: 'mail',
    },
    {
      path: 'documents/見積書_202611.docm',
      bytes: docm,
      what: '②③ the same macro in a .docm',
      kind: 'document',
    },
    {
      path: 'documents/format-tables.bas',
      bytes: new TextEncoder().encode(DEMO_BENIGN_MACRO),
      what: 'a harmless macro',
      kind: 'document',
    },
    {
      path: `telemetry/${host}-sysmon.jsonl`,
      bytes: telemetry,
      what: '④⑤⑥ Sysmon/Security/PowerShell events of the host',
      kind: 'windows-log',
      host,
    },
    {
      path: 'network/proxy-access.log',
      bytes: loaderDownloadSquid(),
      what: '⑤ proxy log: the loader download',
      kind: 'network-log',
      host,
    },
    {
      path: 'network/zeek-http.log',
      bytes: c2BeaconZeek(),
      what: '⑥ Zeek http.log: C2 check-ins',
      kind: 'network-log',
      host,
    },
    {
      path: `host/${host}.json`,
      bytes: buildHostSnapshot(['wmi-powershell', 'loader-running', 'run-key']),
      what: '⑥ host snapshot (collect.ps1)',
      kind: 'snapshot',
      host,
    },
    {
      path: `memory/${host}-rundll32-4200.dmp`,
      bytes: buildLoaderMemoryImage(),
      what: "⑥ memory image of the loader's process",
      kind: 'memory',
      host,
    },
    ...demoIntelFeeds().map((feed): DemoFile => ({
      path: `intel/${feed.name}`,
      bytes: new TextEncoder().encode(feed.text),
      what: 'threat intel naming the servers',
      kind: 'intel',
    })),
  ];
}
