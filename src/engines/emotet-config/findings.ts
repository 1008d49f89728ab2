import { defineFinding } from '../../core/index.js';

export const c2Table = defineFinding({
  id: 'emotet-config.c2-table',
  title: 'Emotet C2 table: the configuration of an unpacked loader',
  severity: 'critical',
  step: '6',
  attack: ['T1071.001', 'T1573'],
  description:
    'The bytes hold a table shaped like the C2 list of an unpacked Emotet loader: consecutive 8-byte ' +
    'entries (public IPv4 address, a port Emotet used such as 443/8080/7080, a flag) ending in a zero ' +
    'entry. Found in an unpacked loader or in the memory of an infected process. Each server is listed ' +
    'in the evidence and in extracted.config / extracted.iocs.ips: block them and look for other hosts ' +
    'talking to them.',
});

export const EMOTET_CONFIG_FINDINGS = [c2Table] as const;
