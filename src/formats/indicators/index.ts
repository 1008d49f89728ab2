/**
 * @module indicators — IOCs in free text (macro source, decoded scripts, mail bodies): URLs (RFC 3986),
 * hosts, IPv4, e-mail addresses (RFC 5322 addr-spec, simplified) and executable file names, refanged.
 *
 * @example
 * extractIndicators('get hxxp://198.51.100.7[.]example/a.exe').urls
 */
export { extractIndicators, hostOf, isIpv4, MAX_INDICATORS_PER_KIND } from './extract.js';
export type { IndicatorOptions } from './extract.js';
export { refang } from './refang.js';
