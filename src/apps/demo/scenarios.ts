/**
 * The inert Emotet simulation behind `emoguard coverage`: one scenario per sub-step of ①…⑥ and
 * post-infection, each with its evidence in the input format of every layer that should see it (mail,
 * documents, Windows telemetry, network logs, memory images, host snapshots). Inert by construction:
 * example.* names, TEST-NET addresses, macros and scripts that are only text.
 */
import type { CoverageScenario } from '../../correlate/coverage/index.js';
import { buildDocm } from '../../formats/ooxml/index.js';
import { buildOleWordDocument, buildVbaProjectBin } from '../../formats/ovba/index.js';
import { DEMO_POWERSHELL, demoMacroModules, encodePowerShell } from './content.js';
import {
  buildBeaconMemoryImage,
  buildHostSnapshot,
  buildLoaderMemoryImage,
  DEMO_C2,
  LOADER_PERSISTED,
  LOADER_TEMP,
  type HostTrait,
} from './host.js';
import {
  buildDemoLnk,
  buildDemoOneNote,
  buildDemoXlsm,
  DEMO_SYLK,
  RANSOM_NOTE,
  RANSOM_NOTE_NAME,
} from './documents.js';
import { DOCUMENT_LINK, hijackedReply, invoiceMail, linkMail, passwordZipMail } from './mails.js';
import {
  beaconZeek,
  c2BeaconZeek,
  documentDownloadSquid,
  loaderDownloadSquid,
  loaderDownloadZeek,
  SMB_TARGETS,
  smbSpreadZeek,
} from './network.js';
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
  ransomNoteEvents,
  runKeyEvents,
  serviceEvents,
  smbSpreadEvents,
} from './telemetry-infected.js';

/**
 * How an input reaches its layer: `mail` is scanned by the pipeline (mail and archive engines → the
 * mail layer, the attachment's engines → document) and judged by the gateway policy; `document`,
 * `memory` and `snapshot` are scanned; `disarm` goes through content disarm; `windows-log` and
 * `network-log` are hunted.
 */
export type SimulationInputKind =
  'mail' | 'document' | 'disarm' | 'windows-log' | 'network-log' | 'memory' | 'snapshot';

export interface SimulationInput {
  kind: SimulationInputKind;
  /** File name as the demo corpus would write it. */
  path: string;
  bytes: Uint8Array;
}

export interface SimulationScenario extends CoverageScenario {
  inputs: SimulationInput[];
}

const ascii = (text: string) => new TextEncoder().encode(text);
const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);

function snapshot(name: string, traits: HostTrait[]): SimulationInput {
  return { kind: 'snapshot', path: `host/${name}.json`, bytes: buildHostSnapshot(traits) };
}

function winlog(name: string, events: Parameters<typeof toJsonLines>[0]): SimulationInput {
  return { kind: 'windows-log', path: `telemetry/${name}.jsonl`, bytes: toJsonLines(events) };
}

const scenario = (
  id: string,
  step: CoverageScenario['step'],
  technique: string,
  en: string,
  ja: string,
  inputs: SimulationInput[],
): SimulationScenario => ({ id, step, technique, title: { en, ja }, inputs });

/** Every scenario with its inputs, built in memory (a few hundred kilobytes in all). */
export async function buildSimulation(): Promise<SimulationScenario[]> {
  const modules = demoMacroModules();
  const doc = buildOleWordDocument({ text: '請求書 (emoguard demo)', modules });
  const docm = buildDocm({
    vbaProjectBin: buildVbaProjectBin({ modules }),
    text: '見積書 (emoguard demo)',
  });
  const xlsm = buildDemoXlsm();
  const encoded = encodePowerShell(DEMO_POWERSHELL);
  const docPath =
    'C:\\Users\\tanaka\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\X1Y2Z3\\請求書_202611.doc';
  return [
    scenario(
      '1-invoice-attachment',
      '1',
      'T1566.001',
      'Invoice mail with a macro .doc',
      '請求書メールにマクロ付き .doc',
      [
        { kind: 'mail', path: 'mail/invoice.eml', bytes: await invoiceMail(doc) },
        { kind: 'disarm', path: 'mail/invoice.eml!請求書_202611.doc', bytes: doc },
      ],
    ),
    scenario(
      '1-password-zip',
      '1',
      'T1566.001',
      'Password ZIP, password in the body',
      'パスワード付き ZIP',
      [{ kind: 'mail', path: 'mail/password-zip.eml', bytes: await passwordZipMail(doc) }],
    ),
    scenario(
      '1-document-link',
      '1',
      'T1566.002',
      'Link to a document on a web site',
      '文書へのリンク',
      [
        { kind: 'mail', path: 'mail/document-link.eml', bytes: await linkMail() },
        {
          kind: 'network-log',
          path: 'network/1-proxy-document-link.log',
          bytes: documentDownloadSquid(DOCUMENT_LINK),
        },
      ],
    ),
    scenario(
      '1-thread-hijack',
      '1',
      'T1566.001',
      'Reply inside a stolen mail thread',
      '盗まれたスレッドへの返信',
      [
        { kind: 'mail', path: 'mail/thread-hijack.eml', bytes: await hijackedReply(doc) },
        { kind: 'disarm', path: 'mail/thread-hijack.eml!請求書_202611.doc', bytes: doc },
      ],
    ),
    scenario(
      '2-ole-doc',
      '2',
      'T1204.002',
      'The user opens a macro .doc (OLE)',
      '利用者が .doc (OLE) を開く',
      [
        { kind: 'document', path: 'documents/請求書_202611.doc', bytes: doc },
        { kind: 'disarm', path: 'documents/請求書_202611.doc', bytes: doc },
        winlog('2-word-opens', openDocumentEvents(docPath)),
      ],
    ),
    scenario(
      '2-xlm-sylk',
      '2',
      'T1204.002',
      'XLM macro sheet (SYLK)',
      'Excel 4.0 (XLM) マクロ (SYLK)',
      [
        { kind: 'document', path: 'documents/明細_202611.slk', bytes: latin1(DEMO_SYLK) },
        { kind: 'disarm', path: 'documents/明細_202611.slk', bytes: latin1(DEMO_SYLK) },
      ],
    ),
    scenario(
      '2-xlsm',
      '2',
      'T1204.002',
      'The user opens a macro .xlsm',
      'マクロ付き .xlsm を開く',
      [
        { kind: 'document', path: 'documents/明細_202611.xlsm', bytes: xlsm },
        { kind: 'disarm', path: 'documents/明細_202611.xlsm', bytes: xlsm },
      ],
    ),
    scenario(
      '2-onenote',
      '2',
      'T1204.002',
      'OneNote lure with an embedded HTA',
      'OneNote の誘導 (HTA を埋め込み)',
      [{ kind: 'document', path: 'documents/請求書_202611.one', bytes: buildDemoOneNote() }],
    ),
    scenario(
      '2-lnk',
      '2',
      'T1204.002',
      'Shortcut (.lnk) runs PowerShell',
      '.lnk から PowerShell 起動',
      [{ kind: 'document', path: 'documents/請求書_202611.pdf.lnk', bytes: buildDemoLnk() }],
    ),
    scenario(
      '3-autoexec-macro',
      '3',
      'T1059.005',
      'Macro runs on open (Document_Open)',
      '文書を開くとマクロが実行',
      [
        { kind: 'document', path: 'documents/見積書_202611.docm', bytes: docm },
        { kind: 'disarm', path: 'documents/見積書_202611.docm', bytes: docm },
        winlog('3-vba-runtime', macroRunsEvents()),
      ],
    ),
    scenario(
      '4-wmi-powershell',
      '4',
      'T1047',
      'WMI Win32_Process.Create → PowerShell',
      'WMI 経由で PowerShell 起動',
      [
        { kind: 'document', path: 'documents/請求書_202611.doc', bytes: doc },
        winlog('4-wmiprvse-powershell', wmiPowerShellEvents(encoded)),
        snapshot('4-powershell-running', ['wmi-powershell']),
      ],
    ),
    scenario(
      '5-encoded-cradle',
      '5',
      'T1059.001',
      'Encoded PowerShell download cradle',
      '符号化 PowerShell のダウンロード',
      [
        { kind: 'document', path: 'documents/loader.ps1', bytes: ascii(DEMO_POWERSHELL) },
        winlog('5-powershell', [
          ...wmiPowerShellEvents(encoded),
          ...scriptBlockEvents(DEMO_POWERSHELL),
        ]),
      ],
    ),
    scenario(
      '5-loader-download',
      '5',
      'T1105',
      'Loader download from a listed URL',
      'ローダーのダウンロード (既知 URL)',
      [
        { kind: 'network-log', path: 'network/5-proxy-access.log', bytes: loaderDownloadSquid() },
        { kind: 'network-log', path: 'network/5-zeek-http.log', bytes: loaderDownloadZeek() },
      ],
    ),
    scenario(
      '5-rundll32-loader',
      '5',
      'T1218.011',
      'Loader DLL started with rundll32',
      'rundll32 でローダー DLL を実行',
      [
        winlog('5-rundll32', loaderEvents(LOADER_TEMP)),
        snapshot('5-loader-running', ['loader-running']),
      ],
    ),
    scenario('6-run-key', '6', 'T1547.001', 'Persistence: Run key', '永続化: Run キー', [
      winlog('6-run-key', runKeyEvents(LOADER_PERSISTED)),
      snapshot('6-run-key', ['run-key']),
    ]),
    scenario(
      '6-service',
      '6',
      'T1543.003',
      'Persistence: Windows service',
      '永続化: サービス登録',
      [winlog('6-service', serviceEvents(LOADER_PERSISTED)), snapshot('6-service', ['service'])],
    ),
    scenario(
      '6-outlook-theft',
      '6',
      'T1114.001',
      'Mail/address book theft (Outlook)',
      'Outlook のメール・アドレス帳窃取',
      [winlog('6-outlook-access', outlookAccessEvents())],
    ),
    scenario(
      '6-smb-spread',
      '6',
      'T1021.002',
      'Spreading over SMB admin shares',
      'SMB 管理共有による拡散',
      [
        winlog('6-smb', smbSpreadEvents(SMB_TARGETS)),
        { kind: 'network-log', path: 'network/6-zeek-conn-smb.log', bytes: smbSpreadZeek() },
      ],
    ),
    scenario(
      '6-c2-beacon',
      '6',
      'T1071.001',
      'C2 check-ins to listed servers',
      'C2 サーバーへの HTTP 通信',
      [
        winlog('6-c2', c2Events(DEMO_C2.slice(0, 3))),
        { kind: 'network-log', path: 'network/6-zeek-http-c2.log', bytes: c2BeaconZeek() },
      ],
    ),
    scenario(
      '6-loader-memory',
      '6',
      'T1573',
      'Loader in memory: C2 table and keys',
      'メモリ上のローダー (C2 一覧と鍵)',
      [{ kind: 'memory', path: 'memory/rundll32-4200.dmp', bytes: buildLoaderMemoryImage() }],
    ),
    scenario(
      'post-beacon',
      'post',
      'T1071.001',
      'Cobalt Strike-like beacon',
      '二次感染: Cobalt Strike 風ビーコン',
      [
        { kind: 'memory', path: 'memory/beacon-host.dmp', bytes: buildBeaconMemoryImage() },
        { kind: 'network-log', path: 'network/post-zeek-conn-beacon.log', bytes: beaconZeek() },
      ],
    ),
    scenario(
      'post-ransom-note',
      'post',
      'T1486',
      'Ransomware note written to folders',
      'ランサムウェアの脅迫文',
      [
        { kind: 'document', path: `documents/${RANSOM_NOTE_NAME}`, bytes: ascii(RANSOM_NOTE) },
        winlog('post-ransom-note', ransomNoteEvents(RANSOM_NOTE_NAME)),
      ],
    ),
  ];
}
