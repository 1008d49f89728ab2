/**
 * @module powershell — PowerShell command lines and scripts as droppers write them: `-EncodedCommand`
 * (base64 of UTF-16LE, any unambiguous parameter prefix, about_PowerShell_exe), `FromBase64String`
 * literals, and a normalised form for matching.
 *
 * @example
 * findEncodedCommands('powershell -w hidden -enc SQBFAFgA')[0].decoded // 'IEX'
 */
export {
  decodePowerShellBase64,
  findEncodedCommands,
  MAX_BASE64_CHARS,
  MAX_ENCODED_RESULTS,
} from './encoded.js';
export type { EncodedCommand, EncodedOptions } from './encoded.js';
export { normalizePowerShell } from './normalize.js';
