import type { FileType } from '../../core/index.js';

// The type a member's extension says it is. Content sniffing decides; this only fills in when sniffing
// finds generic text (a .js dropper whose first 64 KiB are junk, a batch file without `@echo off`).
const TYPE_HINTS: Readonly<Record<string, FileType>> = {
  '.hta': 'html',
  '.html': 'html',
  '.htm': 'html',
  '.vbs': 'script',
  '.vbe': 'script',
  '.js': 'script',
  '.jse': 'script',
  '.wsf': 'script',
  '.bat': 'script',
  '.cmd': 'script',
  '.ps1': 'powershell',
};

export function extensionOf(name: string): string {
  return (/\.[^.\\/]{1,8}$/.exec(name)?.[0] ?? '').toLowerCase();
}

/** `{ typeHint }` for a member name with a script extension, else `{}` (spread into a ChildInput). */
export function typeHintFor(nameOrExtension: string): { typeHint?: FileType } {
  const ext = nameOrExtension.startsWith('.')
    ? nameOrExtension.toLowerCase()
    : extensionOf(nameOrExtension);
  const hint = TYPE_HINTS[ext];
  return hint ? { typeHint: hint } : {};
}
