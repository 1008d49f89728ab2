/** A1-style names of cells, columns and sheets, as Excel displays them. */

/** Column letters of a 0-based column: 0 → A, 26 → AA. */
export function columnName(col: number): string {
  let name = '';
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

/** `A1` for 0-based row and column, with `$` on the absolute parts. */
export function cellName(row: number, col: number, isRowAbs = false, isColAbs = false): string {
  return `${isColAbs ? '$' : ''}${columnName(col)}${isRowAbs ? '$' : ''}${row + 1}`;
}

/** A sheet name as a formula prefix: quoted when it is not a plain identifier (`'My Sheet'!`). */
export function sheetPrefix(sheet: string): string {
  const isPlain =
    /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) &&
    !/^[A-Za-z]{1,3}\d+$/.test(sheet) &&
    !/^R\d*C\d*$/i.test(sheet);
  return isPlain ? `${sheet}!` : `'${sheet.replace(/'/g, "''")}'!`;
}
