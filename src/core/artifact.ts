import type { FileType } from './filetype.js';

/** One thing that was scanned: an input file, or something extracted from one (a child). */
export interface Artifact {
  /** Input path; a child's is `<parent path>!<name>` like clamscan and YARA print archive members. */
  path: string;
  /** Base name, or the member/attachment name for a child. */
  name: string;
  sha256: string;
  size: number;
  type: FileType;
  /** sha256 of the containing artifact; absent for an input. */
  parent?: string;
  /** 0 for an input, +1 per container level. */
  depth: number;
  /** How a child came out of its parent: attachment, member, embedded, decoded, macro … */
  relation?: string;
}

/** The path a child is shown under: `mail.eml!invoice.doc!Macros/VBA/ThisDocument`. */
export function childPath(parentPath: string, name: string): string {
  return `${parentPath}!${name}`;
}
