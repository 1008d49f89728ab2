/**
 * @module pcap — packet captures (libpcap savefile, https://www.tcpdump.org/manpages/pcap-savefile.5.html;
 * pcapng, https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html) read through tshark's EK output:
 * the magic numbers, the `-e` fields asked of tshark and the mapping of its lines to network `LogEvent`s
 * shaped like Suricata EVE (http transactions, dns query/answer, tls client hellos with SNI and JA3, smtp
 * envelopes). Running tshark is the apps' business; this module only reads what it writes.
 *
 * @example
 * const mapper = new TsharkEkMapper({ path: 'x.pcap' });
 * for (const [i, line] of lines.entries()) events.push(...mapper.line(line, i + 1));
 * events.push(...mapper.end());
 */
export { ja3Hash, ja3String, type ClientHelloFields } from './ja3.js';
export { isCaptureHead } from './magic.js';
export {
  MAX_PENDING,
  TSHARK_DISPLAY_FILTER,
  TSHARK_FIELDS,
  TSHARK_JA3_FIELD,
  TsharkEkMapper,
} from './tshark-ek.js';
