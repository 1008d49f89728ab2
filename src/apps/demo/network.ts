/**
 * The demo's network evidence: Zeek conn/http logs (JSON), a Squid access.log, and the threat intel that
 * names the servers (Feodo Tracker, URLhaus and ThreatFox CSV shapes, with the demo's TEST-NET addresses
 * and example.* names). Inert by construction: nothing here was ever on a wire.
 */
import { DEMO_BEACON_SERVER, DEMO_C2, DEMO_HOST } from './host.js';
import { DOCUMENT_LINK } from './mails.js';
import { writeFeodoCsv, writeThreatFoxCsv, writeUrlhausCsv } from '../../formats/intel/index.js';

/** 2026-11-20T00:12:00Z, when the mail arrived. */
const T0 = 1_795_133_520;

export const LOADER_URL = 'http://203.0.113.10/wp-content/demo/loader.dll';

/** Zeek's connection uid, derived from the connection so the logs come out the same every time. */
const uidOf = (prefix: string, at: number, resp: string) =>
  `${prefix}${at}x${resp.replace(/\./g, '')}`.slice(0, 18);

function conn(at: number, resp: string, port: number, over: Record<string, unknown> = {}) {
  const uid = uidOf('C', at, resp);
  return {
    ts: T0 + at,
    uid,
    'id.orig_h': DEMO_HOST.ip,
    'id.orig_p': 50000 + (at % 10000),
    'id.resp_h': resp,
    'id.resp_p': port,
    proto: 'tcp',
    duration: 0.8,
    orig_bytes: 420,
    resp_bytes: 180,
    conn_state: 'SF',
    local_orig: true,
    local_resp: false,
    missed_bytes: 0,
    history: 'ShADadFf',
    orig_pkts: 6,
    orig_ip_bytes: 740,
    resp_pkts: 5,
    resp_ip_bytes: 400,
    ...over,
  };
}

function http(at: number, resp: string, port: number, fields: Record<string, unknown>) {
  return {
    ts: T0 + at,
    uid: uidOf('H', at, resp),
    'id.orig_h': DEMO_HOST.ip,
    'id.orig_p': 51000 + (at % 10000),
    'id.resp_h': resp,
    'id.resp_p': port,
    trans_depth: 1,
    version: '1.1',
    request_body_len: 0,
    status_code: 200,
    status_msg: 'OK',
    ...fields,
  };
}

const jsonLines = (rows: readonly Record<string, unknown>[]) =>
  new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

/** ⑤ The loader download as the proxy logged it (Squid native format). */
export function loaderDownloadSquid(): Uint8Array {
  const line = [
    (T0 + 90).toFixed(3),
    '   840',
    DEMO_HOST.ip,
    'TCP_MISS/200',
    '421888',
    'GET',
    LOADER_URL,
    DEMO_HOST.user,
    'HIER_DIRECT/203.0.113.10',
    'application/octet-stream',
  ].join(' ');
  return new TextEncoder().encode(`${line}\n`);
}

/** ① The user follows the mail's link: the proxy logs the document download. */
export function documentDownloadSquid(url: string): Uint8Array {
  const line = [
    (T0 + 40).toFixed(3),
    '   310',
    DEMO_HOST.ip,
    'TCP_MISS/200',
    '51712',
    'GET',
    url,
    DEMO_HOST.user,
    'HIER_DIRECT/198.51.100.77',
    'application/msword',
  ].join(' ');
  return new TextEncoder().encode(`${line}\n`);
}

/** ⑤ The same download in Zeek's http.log. */
export function loaderDownloadZeek(): Uint8Array {
  return jsonLines([
    http(90, '203.0.113.10', 80, {
      method: 'GET',
      host: '203.0.113.10',
      uri: '/wp-content/demo/loader.dll',
      user_agent: 'Mozilla/5.0 (Windows NT; Windows NT 10.0; ja-JP) WindowsPowerShell/5.1',
      response_body_len: 421888,
      resp_mime_types: ['application/x-dosexec'],
    }),
  ]);
}

/** ⑥ Check-ins to the C2 servers: Zeek conn.log and http.log (POST of an encrypted blob to `/`). */
export function c2BeaconZeek(): Uint8Array {
  const rows: Record<string, unknown>[] = [];
  DEMO_C2.slice(0, 3).forEach((s, i) => {
    for (let n = 0; n < 3; n++) {
      rows.push(
        http(200 + i * 20 + n * 900, s.ip, s.port, {
          method: 'POST',
          host: s.ip,
          uri: '/',
          user_agent: 'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/7.0)',
          request_body_len: 420 + n,
          response_body_len: 132,
          resp_mime_types: ['application/octet-stream'],
        }),
      );
    }
  });
  return jsonLines(rows);
}

/** ⑥ SMB spreading: the host opens 445/tcp to its neighbours one after another (Zeek conn.log). */
export const SMB_TARGETS = [
  '10.20.30.42',
  '10.20.30.43',
  '10.20.30.44',
  '10.20.30.45',
  '10.20.30.46',
];
export function smbSpreadZeek(): Uint8Array {
  return jsonLines(
    SMB_TARGETS.map((ip, i) =>
      conn(600 + i, ip, 445, {
        service: 'smb',
        local_resp: true,
        orig_bytes: 2048,
        resp_bytes: 1024,
      }),
    ),
  );
}

/** post: the secondary payload's beacon polling its team server over HTTPS (Zeek conn.log). */
export function beaconZeek(): Uint8Array {
  return jsonLines(
    Array.from({ length: 5 }, (_, i) =>
      conn(3600 + i * 60, DEMO_BEACON_SERVER.ip, DEMO_BEACON_SERVER.port, { service: 'ssl' }),
    ),
  );
}

const BANNER = (title: string) =>
  [
    '################################################################',
    `# ${title.padEnd(61)}#`,
    '# emoguard demo: inert TEST-NET / example.* entries only       #',
    '################################################################',
  ].join('\r\n');

const FEEDS = { banner: BANNER, reporter: 'emoguard-demo' };

/** What the demo's threat intel says, in the shapes abuse.ch publishes. */
export function demoIntelFeeds(): { name: string; text: string }[] {
  const feodo = writeFeodoCsv(
    DEMO_C2.map((s) => ({
      firstSeen: '2026-11-18 09:00:00',
      ip: s.ip,
      port: s.port,
      lastOnline: '2026-11-20',
      malware: 'Emotet',
    })),
    FEEDS,
  );
  const urlhaus = writeUrlhausCsv(
    [
      {
        id: 900001,
        dateAdded: '2026-11-19 22:00:00',
        url: LOADER_URL,
        lastOnline: '2026-11-20',
        tags: ['emotet', 'epoch5', 'dll'],
      },
      {
        id: 900002,
        dateAdded: '2026-11-19 23:00:00',
        url: DOCUMENT_LINK,
        lastOnline: '2026-11-20',
        tags: ['doc', 'emotet'],
      },
    ],
    FEEDS,
  );
  const threatfox = writeThreatFoxCsv(
    [
      {
        firstSeen: '2026-11-19 10:00:00',
        id: 700001,
        value: `${DEMO_BEACON_SERVER.ip}:${DEMO_BEACON_SERVER.port}`,
        type: 'ip:port',
        threatType: 'botnet_cc',
        malware: 'win.cobalt_strike',
        printable: 'Cobalt Strike',
        confidence: 100,
        tags: ['CobaltStrike'],
      },
    ],
    FEEDS,
  );
  return [
    { name: 'feodo-ipblocklist.csv', text: feodo },
    { name: 'urlhaus-csv.txt', text: urlhaus },
    { name: 'threatfox-export.csv', text: threatfox },
  ];
}
