/** Things an engine pulled out of an artifact for responders: the `extracted` object of `scan --json`. */
export interface ExtractedMacro {
  /** The file or container the VBA project came from. */
  container: string;
  /** The stream that held the module (e.g. `Macros/VBA/ThisDocument`); null for plain source files. */
  stream: string | null;
  module: string;
  code: string;
}

export interface ExtractedXlmCell {
  sheet: string;
  cell: string;
  formula: string;
}

export interface ExtractedIocs {
  urls: string[];
  domains: string[];
  ips: string[];
  emails: string[];
  files: string[];
}

export interface ExtractedPowerShell {
  raw: string;
  decoded: string;
}

/**
 * Envelope of one mail artifact (RFC 5322 3.6), for correlation: mail → mailbox → host, and the
 * correspondents whose threads a stolen mailbox exposes. Addresses are addr-specs as written.
 */
export interface ExtractedMail {
  from: string | null;
  /** Display name of the first From mailbox ('' when absent). */
  fromName: string;
  to: string[];
  cc: string[];
  replyTo: string[];
  subject: string | null;
  /** Date header as ISO 8601 UTC, when it parses. */
  date: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  /** Addresses written in the quoted part of the body: the earlier correspondents of the thread. */
  quoted: string[];
}

export interface Extracted {
  macros: ExtractedMacro[];
  xlm: ExtractedXlmCell[];
  iocs: ExtractedIocs;
  powershell: ExtractedPowerShell[];
  /** Malware configurations (C2 lists, keys), shape owned by the engine that extracts them. */
  config: unknown[];
  /** Present on mail artifacts only (the mail engine). */
  mail?: ExtractedMail;
}

export type ExtractedPart = Partial<Omit<Extracted, 'iocs'>> & { iocs?: Partial<ExtractedIocs> };

export function emptyExtracted(): Extracted {
  return {
    macros: [],
    xlm: [],
    iocs: { urls: [], domains: [], ips: [], emails: [], files: [] },
    powershell: [],
    config: [],
  };
}

const IOC_KINDS = ['urls', 'domains', 'ips', 'emails', 'files'] as const;

/** Adds `part` into `into`; IOC lists stay de-duplicated and in first-seen order. */
export function mergeExtracted(into: Extracted, part: ExtractedPart | undefined): Extracted {
  if (!part) return into;
  if (part.macros) into.macros.push(...part.macros);
  if (part.xlm) into.xlm.push(...part.xlm);
  if (part.powershell) into.powershell.push(...part.powershell);
  if (part.config) into.config.push(...part.config);
  if (part.mail && !into.mail) into.mail = part.mail;
  const iocs = part.iocs;
  if (!iocs) return into;
  for (const kind of IOC_KINDS) {
    const add = iocs[kind];
    // Most engines return empty lists: no set to build for them.
    if (!add || add.length === 0) continue;
    const seen = new Set(into.iocs[kind]);
    for (const value of add) {
      if (!seen.has(value)) {
        seen.add(value);
        into.iocs[kind].push(value);
      }
    }
  }
  return into;
}
