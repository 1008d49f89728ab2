/**
 * A PowerShell text with the cheap obfuscations of Emotet droppers undone, for matching only (never for
 * running): backtick escapes inside names (`N`e`w-Obj`ect`), string splits (`'Down'+'loadFile'`),
 * `[char]NN` literals, and letter case.
 */
export function normalizePowerShell(text: string): string {
  return text
    .replace(/`(?=[A-Za-z])/g, '')
    .replace(/(['"])\s*\+\s*\1/g, '')
    .replace(/\[char\]\s*\(?\s*(\d{1,5})\s*\)?/gi, (_, code: string) => {
      const n = Number(code);
      return n > 0 && n < 0x10000 ? `'${String.fromCharCode(n)}'` : _;
    })
    .replace(/(['"])\s*\+\s*\1/g, '');
}
