import type { Anomaly } from '../../core/index.js';

/** LinkFlags (MS-SHLLINK 2.1.1). */
export const LINK_FLAGS = {
  HasLinkTargetIDList: 0x1,
  HasLinkInfo: 0x2,
  HasName: 0x4,
  HasRelativePath: 0x8,
  HasWorkingDir: 0x10,
  HasArguments: 0x20,
  HasIconLocation: 0x40,
  IsUnicode: 0x80,
  ForceNoLinkInfo: 0x100,
  HasExpString: 0x200,
  RunInSeparateProcess: 0x400,
  HasDarwinID: 0x1000,
  RunAsUser: 0x2000,
  HasExpIcon: 0x4000,
  PreferEnvironmentPath: 0x2000000,
} as const;

/** ShellLinkHeader (MS-SHLLINK 2.1), 76 bytes. */
export interface ShellLinkHeader {
  linkFlags: number;
  fileAttributes: number;
  creationTime?: string;
  accessTime?: string;
  writeTime?: string;
  fileSize: number;
  iconIndex: number;
  /** SW_SHOWNORMAL 1, SW_SHOWMAXIMIZED 3, SW_SHOWMINNOACTIVE 7 (a hidden-ish console window). */
  showCommand: number;
  hotKey: number;
}

/** One ItemID of the LinkTargetIDList (MS-SHLLINK 2.2.2), with what a shell item of its class names. */
export interface IdItem {
  offset: number;
  size: number;
  /** The shell item class byte (0x1F root folder, 0x2F volume, 0x31/0x32 directory/file entry …). */
  classType: number;
  /** Root folder GUID, volume name (`C:\`) or the file entry's long (else 8.3) name. */
  name?: string;
}

/** LinkInfo (MS-SHLLINK 2.3): where the target was when the link was made. */
export interface LinkInfo {
  localBasePath?: string;
  commonPathSuffix?: string;
  /** CommonNetworkRelativeLink NetName, e.g. `\\server\share` (a WebDAV or SMB payload location). */
  netName?: string;
  deviceName?: string;
  driveType?: number;
  driveSerialNumber?: number;
  volumeLabel?: string;
}

/** StringData (MS-SHLLINK 2.4). */
export interface LnkStringData {
  name?: string;
  relativePath?: string;
  workingDir?: string;
  arguments?: string;
  iconLocation?: string;
}

/** TrackerDataBlock (MS-SHLLINK 2.5.10): the NetBIOS name of the machine the link was made on. */
export interface TrackerData {
  machineId: string;
  droidVolumeId?: string;
  droidFileId?: string;
  birthDroidVolumeId?: string;
  birthDroidFileId?: string;
  /** MAC address in a version-1 droid file id (the node field): ties samples to one builder host. */
  macAddress?: string;
}

export interface ExtraDataBlock {
  signature: number;
  size: number;
  offset: number;
}

/** ExtraData (MS-SHLLINK 2.5), the blocks emoguard reads. */
export interface LnkExtraData {
  blocks: ExtraDataBlock[];
  /** EnvironmentVariableDataBlock target, e.g. `%windir%\system32\cmd.exe`. */
  environmentTarget?: string;
  /** IconEnvironmentDataBlock target. */
  iconEnvironmentTarget?: string;
  knownFolderId?: string;
  specialFolderId?: number;
  tracker?: TrackerData;
  darwinData?: string;
  shimLayer?: string;
  /** Printable UTF-16 strings of the PropertyStoreDataBlock (MS-PROPSTORE), bounded. */
  propertyStrings: string[];
}

export interface ShellLink {
  header: ShellLinkHeader;
  idList: IdItem[];
  linkInfo?: LinkInfo;
  strings: LnkStringData;
  extra: LnkExtraData;
  /** The best target path: environment block, LinkInfo, then the IDList path. */
  target?: string;
  /** The IDList as a path (`C:\Windows\System32\cmd.exe`) when its items name one. */
  idListPath?: string;
  /** Bytes after the terminal ExtraData block: Emotet (2022) appended a script there for `findstr`. */
  trailing?: { offset: number; length: number };
  anomalies: Anomaly[];
}
