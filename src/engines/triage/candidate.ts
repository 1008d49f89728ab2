/** The five methods of JPCERT/CC's EmoCheck, by the Emotet generation each one finds. */
export type EmoCheckMethod = 'v1' | 'v2' | 'v3' | 'v4' | 'v5';

/** What one EmoCheck method says Emotet's file is called or where it is, before looking at processes. */
export interface EmotetCandidate {
  method: EmoCheckMethod;
  /** Lowercase file name the process list would show (v1–v3), or the file name of the DLL (v4, v5). */
  fileName: string;
  /** The file as the snapshot lists it; empty for v1/v2, which know only a name. */
  filePath: string;
  /** `filePath` normalized (paths.ts). */
  path: string;
  /** Run value (`HKCU\…\Run\name`) or the v2 registry value. */
  registryKey?: string;
  service?: string;
  /** The command line registered in the Run value or service. */
  commandLine?: string;
  /** Found in a machine-wide place (SysWOW64, a service, HKLM): Emotet ran as an administrator. */
  isAdmin: boolean;
  /** EmoCheck v3's file validation: big enough, and not a copy of the System32 file. */
  isValid: boolean;
  /** Whether an autorun entry (Run value, service) points at the file. */
  isPersistent?: boolean;
  note: string;
  location: string;
}

/** A running process that an EmoCheck method identifies as Emotet: one line of EmoCheck's report. */
export interface EmotetDetection {
  method: EmoCheckMethod;
  processName: string;
  pid: number;
  /** The file Emotet runs from (EmoCheck's "Image Path"). */
  imagePath: string;
  commandLine: string;
  registryKey?: string;
  service?: string;
  note: string;
}
