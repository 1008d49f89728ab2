/**
 * Windows telemetry of the infected demo host (⑥ and post-infection) as Windows and Sysmon write it, with
 * their real field names: Run key and service persistence, Outlook mail theft, SMB spreading, C2
 * check-ins and a ransom note. Inert text: paths, names, TEST-NET and private addresses.
 */
import { DEMO_HOST } from './host.js';
import {
  eventTime,
  OUTLOOK,
  processGuid,
  RUNDLL32,
  SYSMON,
  type WinEventSpec,
} from './telemetry.js';

/** Sysmon's UtcTime field: `2026-11-20 00:14:00.000`. */
const utcTime = (at: number): string => eventTime(at).slice(0, 23).replace('T', ' ');

/** ⑥ Persistence: the loader copies itself and registers a Run key value (Sysmon 13). */
export function runKeyEvents(persisted: string): WinEventSpec[] {
  return [
    {
      channel: SYSMON,
      eventId: 13,
      at: 120,
      data: {
        RuleName: '-',
        EventType: 'SetValue',
        Image: RUNDLL32,
        TargetObject: `HKU\\${DEMO_HOST.sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\qpxwnbcyt`,
        Details: `C:\\Windows\\system32\\rundll32.exe "${persisted}",DllRegisterServer`,
        User: DEMO_HOST.account,
      },
    },
  ];
}

/**
 * ⑥ Persistence as a service (Emotet with admin rights): System 7045 as the Service Control Manager writes
 * it, and the ImagePath value services.exe sets under HKLM\SYSTEM\CurrentControlSet\Services (Sysmon 13).
 */
export function serviceEvents(binary: string): WinEventSpec[] {
  const imagePath = `C:\\Windows\\system32\\rundll32.exe "${binary}",DllRegisterServer`;
  return [
    {
      channel: SYSMON,
      eventId: 13,
      at: 124,
      data: {
        RuleName: '-',
        EventType: 'SetValue',
        UtcTime: utcTime(124),
        ProcessGuid: processGuid(680),
        ProcessId: '680',
        Image: 'C:\\Windows\\system32\\services.exe',
        TargetObject: 'HKLM\\System\\CurrentControlSet\\Services\\qpxwnbcyt\\ImagePath',
        Details: imagePath,
        User: 'NT AUTHORITY\\SYSTEM',
      },
    },
    {
      channel: 'System',
      eventId: 7045,
      at: 125,
      data: {
        ServiceName: 'qpxwnbcyt',
        ImagePath: imagePath,
        ServiceType: 'user mode service',
        StartType: 'auto start',
        AccountName: 'LocalSystem',
      },
    },
  ];
}

const OUTLOOK_PID = 3300;
const LOADER_PID = 4200;

/**
 * ⑥ Mail theft: the loader opens Outlook's process (Sysmon 10), loads Outlook's MAPI into its own process
 * (Sysmon 7) and reads the mailbox's .ost, which object-access auditing records (Security 4663).
 */
export function outlookAccessEvents(): WinEventSpec[] {
  const ost = `${DEMO_HOST.profile}\\AppData\\Local\\Microsoft\\Outlook\\${DEMO_HOST.user}@${DEMO_HOST.fqdn.slice(DEMO_HOST.name.length + 1)}.ost`;
  return [
    {
      channel: SYSMON,
      eventId: 10,
      at: 300,
      data: {
        RuleName: '-',
        UtcTime: utcTime(300),
        SourceProcessGUID: processGuid(LOADER_PID),
        SourceProcessId: String(LOADER_PID),
        SourceThreadId: '4212',
        SourceImage: RUNDLL32,
        TargetProcessGUID: processGuid(OUTLOOK_PID),
        TargetProcessId: String(OUTLOOK_PID),
        TargetImage: OUTLOOK,
        GrantedAccess: '0x1410',
        CallTrace:
          'C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|UNKNOWN(00000000001A2B3C)',
        SourceUser: DEMO_HOST.account,
        TargetUser: DEMO_HOST.account,
      },
    },
    {
      channel: SYSMON,
      eventId: 7,
      at: 302,
      data: {
        RuleName: '-',
        UtcTime: utcTime(302),
        ProcessGuid: processGuid(LOADER_PID),
        ProcessId: String(LOADER_PID),
        Image: RUNDLL32,
        ImageLoaded: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OLMAPI32.DLL',
        OriginalFileName: 'olmapi32.dll',
        Signed: 'true',
        Signature: 'Microsoft Corporation',
        SignatureStatus: 'Valid',
        User: DEMO_HOST.account,
      },
    },
    {
      channel: 'Security',
      eventId: 4663,
      at: 304,
      data: {
        SubjectUserSid: DEMO_HOST.sid,
        SubjectUserName: DEMO_HOST.account.split('\\')[1] ?? DEMO_HOST.account,
        SubjectDomainName: DEMO_HOST.account.split('\\')[0] ?? '',
        SubjectLogonId: '0x3e7a21',
        ObjectServer: 'Security',
        ObjectType: 'File',
        ObjectName: ost,
        HandleId: '0x5c4',
        AccessList: '%%4416\r\n\t\t\t\t',
        AccessMask: '0x1',
        ProcessId: `0x${LOADER_PID.toString(16)}`,
        ProcessName: RUNDLL32,
        ResourceAttributes: '',
      },
    },
    {
      channel: SYSMON,
      eventId: 11,
      at: 305,
      data: {
        RuleName: '-',
        ProcessGuid: processGuid(LOADER_PID),
        ProcessId: String(LOADER_PID),
        Image: RUNDLL32,
        TargetFilename: `${DEMO_HOST.profile}\\AppData\\Local\\Temp\\~DF3A1.tmp`,
        User: DEMO_HOST.account,
      },
    },
  ];
}

/** Sysmon 3 as Sysmon writes it for an outbound TCP connection of the loader. */
function loaderConnection(at: number, ip: string, port: number, sourcePort: number): WinEventSpec {
  return {
    channel: SYSMON,
    eventId: 3,
    at,
    data: {
      RuleName: '-',
      UtcTime: utcTime(at),
      ProcessGuid: processGuid(LOADER_PID),
      ProcessId: String(LOADER_PID),
      Image: RUNDLL32,
      User: DEMO_HOST.account,
      Protocol: 'tcp',
      Initiated: 'true',
      SourceIsIpv6: 'false',
      SourceIp: DEMO_HOST.ip,
      SourceHostname: DEMO_HOST.fqdn,
      SourcePort: String(sourcePort),
      SourcePortName: '-',
      DestinationIsIpv6: 'false',
      DestinationIp: ip,
      DestinationHostname: '-',
      DestinationPort: String(port),
      DestinationPortName: port === 445 ? 'microsoft-ds' : '-',
    },
  };
}

/**
 * ⑥ Spreading: the loader's own connections to other workstations' SMB port (Sysmon 3; Windows' SMB
 * client would be logged as System) and the copy of itself it writes to the first one's ADMIN$ (Sysmon 11).
 */
export function smbSpreadEvents(targets: readonly string[]): WinEventSpec[] {
  const connections = targets.map((ip, i) => loaderConnection(600 + i, ip, 445, 50100 + i));
  const first = targets[0];
  if (first === undefined) return connections;
  return [
    ...connections,
    {
      channel: SYSMON,
      eventId: 11,
      at: 600 + targets.length,
      data: {
        RuleName: '-',
        UtcTime: utcTime(600 + targets.length),
        ProcessGuid: processGuid(LOADER_PID),
        ProcessId: String(LOADER_PID),
        Image: RUNDLL32,
        TargetFilename: `\\\\${first}\\ADMIN$\\wqzvxnlb.exe`,
        User: DEMO_HOST.account,
      },
    },
  ];
}

/** ⑥ C2: the loader's HTTP connections to its servers (Sysmon 3). */
export function c2Events(servers: readonly { ip: string; port: number }[]): WinEventSpec[] {
  return servers.map((s, i) => loaderConnection(200 + i * 60, s.ip, s.port, 50200 + i));
}

/** post: a ransom note written into the folders the ransomware encrypts (Sysmon 11), seconds apart. */
export function ransomNoteEvents(note: string): WinEventSpec[] {
  const folders = ['Documents', 'Desktop', 'Pictures', 'Downloads', 'Music', 'Videos'];
  return folders.map((folder, i) => ({
    channel: SYSMON,
    eventId: 11,
    at: 7200 + i,
    data: {
      RuleName: '-',
      UtcTime: utcTime(7200 + i),
      ProcessGuid: processGuid(6100),
      ProcessId: '6100',
      Image: `${DEMO_HOST.profile}\\AppData\\Local\\Temp\\svc-update.exe`,
      TargetFilename: `${DEMO_HOST.profile}\\${folder}\\${note}`,
      CreationUtcTime: utcTime(7200 + i),
      User: DEMO_HOST.account,
    },
  }));
}
