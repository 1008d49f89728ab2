/**
 * @module formats/command-line — Windows command lines as droppers write them (cmd.exe syntax: `^`
 * escapes, `&`/`|` chaining; LOLBAS binaries, https://lolbas-project.github.io): which living-off-the-land
 * programs a line starts, whether it downloads and whether it executes, and whitespace padding.
 *
 * @example
 * findLolbins('cmd /c p^owershell -enc …') // [{ name: 'cmd', … }] (strip carets first for powershell)
 */
export { findLolbins, LOLBINS, programName } from './lolbins.js';
export type { LolbinFamily, LolbinHit } from './lolbins.js';
export {
  collapseWhitespace,
  DOWNLOAD_PATTERNS,
  EXECUTE_PATTERNS,
  longestWhitespaceRun,
  matchPatterns,
  stripCarets,
} from './patterns.js';
export type { PatternHit } from './patterns.js';
