/**
 * Threat-intel lookups on one network record: every address, host name, URL, file hash and JA3 the
 * record holds against the loaded indicators. A record that fetched a file is step ⑤ (download), any
 * other contact step ⑥ (C2).
 */
import type { Detection, LogEvent } from '../../core/index.js';
import { normalizeIp, parseIpv4 } from '../../formats/intel/index.js';
import type { NetView } from '../../formats/netlog/index.js';
import { connectionAttack, detectionOf } from './detection.js';
import type { IocHit, IocSet } from './ioc-set.js';
import { c2Match, downloadMatch, fileHashMatch } from './rules.js';

const FILE_EXTENSION = /\.[A-Za-z0-9]{1,5}$/;

/** An HTTP GET (or a file record) that brought a file back: the download of step ⑤. */
export function isFileFetch(view: NetView): boolean {
  if (view.kind === 'file') return true;
  if (view.kind !== 'http') return false;
  if (view.method !== undefined && view.method !== 'GET') return false;
  if (view.sniffedTypes !== undefined || view.filenames !== undefined) return true;
  if (view.declaredType !== undefined && !/^text\/html\b/i.test(view.declaredType)) return true;
  const path = (view.uri ?? '').split('?')[0]!;
  return FILE_EXTENSION.test(path) && !/\.(html?|php|aspx?|jsp)$/i.test(path);
}

/** `host` when it is an IP literal (with or without port / brackets), canonical; else undefined. */
export function hostIp(host: string): string | undefined {
  if (parseIpv4(host) !== undefined) return host;
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(host);
  if (v4port && parseIpv4(v4port[1]!) !== undefined) return v4port[1];
  if (host.includes(':')) return normalizeIp(host.replace(/^\[([^\]]+)\](:\d+)?$/, '$1'));
  return undefined;
}

/** The absolute URL of an HTTP record: the proxy's, or Host + URI (+ a non-default port). */
export function urlOf(view: NetView): string | undefined {
  if (view.url !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(view.url)) return view.url;
  if (view.uri === undefined) return undefined;
  const host = view.host ?? (view.dstIp?.includes(':') ? `[${view.dstIp}]` : view.dstIp);
  if (host === undefined) return undefined;
  const port =
    view.dstPort !== undefined && view.dstPort !== 80 && !/:\d+$/.test(host)
      ? `:${view.dstPort}`
      : '';
  const uri = view.uri.startsWith('/') ? view.uri : `/${view.uri}`;
  return `http://${host}${port}${uri}`;
}

/** The state of one record's lookups (a class, not closures: this runs for every record). */
class Matches {
  readonly out: Detection[] = [];
  #seen: Set<string> | undefined;
  readonly #isDownload: boolean;

  constructor(
    private readonly view: NetView,
    private readonly event: LogEvent,
  ) {
    this.#isDownload = isFileFetch(view);
  }

  add(hit: IocHit | undefined, field: string | undefined): void {
    if (hit === undefined) return;
    const key = `${hit.type}|${hit.value}`;
    if (this.#seen?.has(key)) return;
    (this.#seen ??= new Set()).add(key);
    const ioc: NonNullable<Detection['ioc']> & { field?: string; malware?: string } = {
      type: hit.type,
      value: hit.value,
      feed: hit.metas.map((m) => m.source).join(','),
    };
    if (field !== undefined) ioc.field = field;
    const malware = hit.metas.find((m) => m.malware)?.malware;
    if (malware !== undefined) ioc.malware = malware;
    const { view, event } = this;
    if (hit.type === 'md5' || hit.type === 'sha1' || hit.type === 'sha256') {
      this.out.push(detectionOf(fileHashMatch, event, { ioc }));
    } else if (this.#isDownload || (hit.type === 'url' && view.method !== 'POST')) {
      this.out.push(detectionOf(downloadMatch, event, { ioc }));
    } else {
      this.out.push(detectionOf(c2Match, event, { ioc, attack: connectionAttack(view) }));
    }
  }
}

const HASH_FIELDS = ['sha256', 'sha1', 'md5', 'ja3', 'ja3s'] as const;

export function matchIocs(set: IocSet, view: NetView, event: LogEvent): Detection[] {
  const m = new Matches(view, event);
  for (const type of HASH_FIELDS) {
    const value = view[type];
    if (value !== undefined) m.add(set.matchHash(type, value), view.fields[type]);
  }
  // One hit per address, the most specific (ip:port, then IP, then the longest CIDR).
  if (view.dstIp !== undefined) m.add(set.matchIp(view.dstIp, view.dstPort)[0], view.fields.dstIp);
  if (view.srcIp !== undefined) m.add(set.matchIp(view.srcIp)[0], view.fields.srcIp);
  if (view.host !== undefined) {
    const ip = hostIp(view.host);
    if (ip !== undefined) m.add(set.matchIp(ip, view.dstPort)[0], view.fields.host);
    else m.add(set.matchDomain(view.host.replace(/:\d+$/, '')), view.fields.host);
  }
  if (view.sni !== undefined) m.add(set.matchDomain(view.sni), view.fields.sni);
  for (const query of view.queries ?? []) m.add(set.matchDomain(query), view.fields.queries);
  if (view.kind === 'http' || view.url !== undefined) {
    const url = urlOf(view);
    if (url !== undefined) m.add(set.matchUrl(url), view.fields.url ?? view.fields.uri);
  }
  return m.out;
}
