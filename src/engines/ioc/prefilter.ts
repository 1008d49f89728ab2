/**
 * A record filter for the netlog reader (`NetlogOptions.filter`): skips, before parsing, the conn.log
 * records on which the `ioc` engine can find nothing — no indicator on either address, and (with
 * heuristics on) not a public address on a C2-rotation port. conn.log is most of a Zeek sensor's
 * volume; the other logs are always parsed. Use it only when `ioc` is the only engine reading the
 * records (other engines would miss what it skips).
 */
import { parseIpv4 } from '../../formats/intel/index.js';
import type { RawRecord, RecordFilter } from '../../formats/netlog/index.js';
import type { IocHuntOptions } from './hunt-engine.js';
import { isPrivateIpv4, ROTATION_PORTS } from './rotation.js';

export function createIocPrefilter(options: IocHuntOptions = {}): RecordFilter {
  const set = options.iocs !== undefined && options.iocs.size > 0 ? options.iocs : undefined;
  const isHeuristic = options.heuristics !== false;
  return (record: RawRecord): boolean => {
    if (record.path !== 'conn') return true;
    const resp = record.get('id.resp_h');
    const orig = record.get('id.orig_h');
    const port = Number(record.get('id.resp_p'));
    if (set) {
      if (resp !== undefined && set.matchIp(resp, port).length > 0) return true;
      if (orig !== undefined && set.matchIp(orig).length > 0) return true;
    }
    if (isHeuristic && resp !== undefined && ROTATION_PORTS.has(port)) {
      const n = parseIpv4(resp);
      return n !== undefined && !isPrivateIpv4(n);
    }
    return false;
  };
}
