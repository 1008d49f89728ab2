import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One Maildir folder: message files by sub-folder; Maildir++ subfolders (`.Sent`) nested. */
export interface MaildirSpec {
  new?: Record<string, Uint8Array | string>;
  cur?: Record<string, Uint8Array | string>;
  /** Messages still being delivered (an MDA writes here, then renames into new/). */
  tmp?: Record<string, Uint8Array | string>;
  /** Files at the Maildir root: Dovecot's index and uid list, `maildirfolder` … */
  root?: Record<string, Uint8Array | string>;
  /** Maildir++ subfolders by name, without the leading dot. */
  folders?: Record<string, MaildirSpec>;
}

/** A Maildir file name as Dovecot writes it: `<time>.M<usec>P<pid>.<host>,S=<size>[:2,<flags>]`. */
export function maildirName(n: number, flags?: string): string {
  const base = `${1_700_000_000 + n}.M${100 + n}P${4000 + n}.mx.example.com,S=${1000 + n}`;
  return flags === undefined ? base : `${base}:2,${flags}`;
}

/** Writes a Maildir (cur/, new/, tmp/ always created) under `root`; returns `root`. */
export function writeMaildir(root: string, spec: MaildirSpec): string {
  for (const sub of ['cur', 'new', 'tmp'] as const) {
    mkdirSync(join(root, sub), { recursive: true });
    for (const [name, data] of Object.entries(spec[sub] ?? {}))
      writeFileSync(join(root, sub, name), data);
  }
  for (const [name, data] of Object.entries(spec.root ?? {})) writeFileSync(join(root, name), data);
  for (const [name, folder] of Object.entries(spec.folders ?? {})) {
    writeMaildir(join(root, `.${name}`), {
      ...folder,
      root: { maildirfolder: '', ...folder.root },
    });
  }
  return root;
}
