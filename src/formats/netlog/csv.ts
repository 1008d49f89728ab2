/**
 * One CSV record per line (RFC 4180 quoting: `"a,b"`, `""` for a quote). abuse.ch's ThreatFox export
 * writes `"a", "b"`: blanks between a delimiter and an opening quote are skipped, as Python's
 * `skipinitialspace`. Records spanning lines are not supported (no feed or proxy log writes them): an
 * unterminated quote returns undefined and the caller reports the line.
 */
export function splitCsvLine(line: string, delimiter = ','): string[] | undefined {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    let j = i;
    while (j < n && (line[j] === ' ' || line[j] === '\t') && line[j] !== delimiter) j++;
    if (j < n && line[j] === '"') {
      let value = '';
      let k = j + 1;
      for (;;) {
        const q = line.indexOf('"', k);
        if (q < 0) return undefined;
        value += line.slice(k, q);
        if (line[q + 1] === '"') {
          value += '"';
          k = q + 2;
          continue;
        }
        k = q + 1;
        break;
      }
      // Text between the closing quote and the delimiter is kept, as Python's csv does.
      const end = line.indexOf(delimiter, k);
      out.push(end < 0 ? value + line.slice(k).trimEnd() : value + line.slice(k, end).trimEnd());
      if (end < 0) return out;
      i = end + delimiter.length;
    } else {
      const end = line.indexOf(delimiter, i);
      if (end < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, end));
      i = end + delimiter.length;
    }
  }
}
