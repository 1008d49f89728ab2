import type { ChildInput } from '../../core/index.js';

// `findstr "<marker>.*" "<name>.lnk" > x.vbs`: the lines of the appended data that findstr would print.
const FINDSTR = /\bfindstr(?:\.exe)?\s+(?:\/\w+\s+)*"([^"]{3,200})"/i;
const MAX_LINES = 100_000;

/**
 * Bytes appended after the link, as children: the raw tail, and when the arguments carve it with
 * `findstr "<pattern>"`, the lines findstr prints (what the dropper writes to its .vbs/.bat and runs).
 */
export function appendedChildren(tail: Uint8Array, args: string): ChildInput[] {
  const children: ChildInput[] = [{ name: 'appended-data', bytes: tail, relation: 'embedded' }];
  const pattern = FINDSTR.exec(args)?.[1];
  if (!pattern) return children;
  const regex = findstrRegex(pattern);
  if (!regex) return children;
  const text = new TextDecoder('latin1').decode(tail);
  const lines = text.split(/\r?\n/, MAX_LINES).filter((line) => regex.test(line));
  if (lines.length === 0) return children;
  const ext =
    /\.(vbs|vbe|js|jse|bat|cmd|ps1|hta|wsf)\b/i.exec(args.slice(args.indexOf(pattern)))?.[1] ??
    'txt';
  children.push({
    name: `carved-by-findstr.${ext.toLowerCase()}`,
    bytes: Uint8Array.from(lines.join('\r\n'), (c) => c.charCodeAt(0) & 0xff),
    relation: 'carved',
    typeHint: 'script',
  });
  return children;
}

/** findstr's regular expressions (`.`, `*`, `^`, `$`, classes) as a JavaScript RegExp; space-separated words are alternatives. */
function findstrRegex(pattern: string): RegExp | undefined {
  const words = pattern.split(/\s+/).filter(Boolean);
  try {
    return new RegExp(words.map((w) => w.replace(/[+?(){}|\\]/g, '\\$&')).join('|'), 'i');
  } catch {
    return undefined;
  }
}
