/**
 * cmd.exe batch obfuscation undone the way cmd.exe runs it: `^` escapes dropped, `set name=value` lines
 * remembered in order and `%name%`, `!name!`, `%name:~start,length%` and `%name:old=new%` expanded in the
 * lines after them (Emotet and IcedID .bat droppers build `powershell` from variables this way).
 */
export interface ExpandedBatch {
  text: string;
  truncated: boolean;
}

// Real scripts set a few dozen variables; more than this is a generated flood.
export const MAX_BATCH_VARIABLES = 10_000;
const SET_LINE = /^\s*@?set\s+(?!\/[ap]\b)("?)([^=\s"][^="]{0,200})=(.*)$/i;
const REFERENCE =
  /%([^%\s:]{1,200})(?::(?:~(-?\d{1,6})(?:,(-?\d{1,6}))?|([^%=]{1,100})=([^%]{0,100})))?%|!([^!\s:]{1,200})!/g;

export function expandBatch(code: string, maxChars: number): ExpandedBatch {
  const vars = new Map<string, string>();
  const out: string[] = [];
  let size = 0;
  for (const rawLine of code.replace(/\^(?=[^\r\n])/g, '').split(/\r?\n/)) {
    const line = rawLine.replace(
      REFERENCE,
      (
        all,
        name?: string,
        start?: string,
        length?: string,
        from?: string,
        to?: string,
        delayed?: string,
      ) => {
        const value = vars.get((name ?? delayed ?? '').toLowerCase());
        if (value === undefined) return all;
        if (start !== undefined)
          return substring(value, Number(start), length === undefined ? undefined : Number(length));
        if (from !== undefined) return value.split(from).join(to ?? '');
        return value;
      },
    );
    const set = SET_LINE.exec(line);
    if (set && vars.size < MAX_BATCH_VARIABLES) {
      // Trimmed in code: a `"?\s*$` tail in the pattern rescans whitespace runs (quadratic on padding).
      let value = set[3]!.trimEnd();
      if (set[1] === '"' && value.endsWith('"')) value = value.slice(0, -1);
      vars.set(set[2]!.toLowerCase(), value);
    }
    size += line.length + 1;
    if (size > maxChars) return { text: out.join('\n'), truncated: true };
    out.push(line);
  }
  return { text: out.join('\n'), truncated: false };
}

/** `%v:~s,l%`: negative start counts from the end, negative length stops that far from the end. */
function substring(value: string, start: number, length: number | undefined): string {
  const from = start < 0 ? Math.max(0, value.length + start) : Math.min(start, value.length);
  if (length === undefined) return value.slice(from);
  const to = length < 0 ? value.length + length : from + length;
  return value.slice(from, Math.max(from, to));
}
