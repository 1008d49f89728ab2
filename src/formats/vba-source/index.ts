/**
 * @module vba-source — VBA module text (MS-VBAL 3: physical/logical lines, comments, procedure
 * declarations). Source comes from `.bas/.cls/.vba` files or from MS-OVBA module streams (formats/ovba).
 *
 * @example
 * parseVbaSource('Sub AutoOpen()\nEnd Sub').procedures[0].name // 'AutoOpen'
 */
export { parseVbaSource, stripComment, MAX_VBA_LINES } from './parse.js';
export type { VbaLine, VbaParseOptions, VbaProcedure, VbaSource } from './parse.js';
