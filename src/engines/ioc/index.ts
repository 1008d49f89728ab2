/**
 * @module ioc — threat-intel matching and network heuristics for Emotet steps ⑤ (loader download) and ⑥
 * (C2): an `IocSet` sized for millions of indicators (hash maps, domain-suffix walk, radix trees for CIDR),
 * the `ioc` hunt engine over network `LogEvent`s (IOC hits plus indicator-free detections: PowerShell/
 * BITS/certutil executable downloads, executables served as other types, the Emotet C2 check-in shape,
 * C2 list rotation, Suricata alerts naming Emotet), and a scan engine matching file hashes.
 * ATT&CK: T1105, T1071.001, T1571, T1573 (https://attack.mitre.org/techniques/T1071/001/).
 *
 * @example
 * const iocs = buildIocSet(parseIntel(feedBytes, { name: 'ipblocklist.csv' }).iocs);
 * const engine = createIocHuntEngine({ iocs });
 */
export { CidrTree } from './cidr-tree.js';
export { Ipv4Index, Ipv4PrefixTable } from './ipv4-index.js';
export { createHashIocEngine, HASH_IOC_FINDINGS } from './hash-engine.js';
export { EMOTET_C2_PORTS, isRandomPath } from './heuristics.js';
export { createIocHuntEngine, type IocHuntOptions } from './hunt-engine.js';
export {
  buildIocSet,
  IocSet,
  loadIocSet,
  MAX_IOC_SET,
  type IocHit,
  type IocInput,
  type IocMeta,
} from './ioc-set.js';
export { isFileFetch, urlOf } from './match-iocs.js';
export { createIocPrefilter } from './prefilter.js';
export { isPrivateIpv4, type RotationOptions } from './rotation.js';
export { IOC_HUNT_RULES, type IocHuntRule } from './rules.js';
