/**
 * EmoCheck v1 and v2 (JPCERTCC/EmoCheck, emocheck/modules/scan_v1.cpp and scan_v2.cpp): the Emotet
 * file names of 2019–2020, computed from the system volume serial number.
 */
import type { EmotetCandidate } from './candidate.js';
import type { HostView } from './host-view.js';

/** The 64-word dictionary Emotet built its process names from (as EmoCheck lists it). */
export const V1_DICTIONARY =
  'duck,mfidl,targets,ptr,khmer,purge,metrics,acc,inet,msra,symbol,driver,sidebar,restore,msg,volume,' +
  'cards,shext,query,roam,etw,mexico,basic,url,createa,blb,pal,cors,send,devices,radio,bid,format,thrd,' +
  'taskmgr,timeout,vmd,ctl,bta,shlp,avi,exce,dbt,pfx,rtp,edge,mult,clr,wmistr,ellipse,vol,cyan,ses,guid,' +
  'wce,wmp,dvb,elem,channel,space,digital,pdeft,violet,thunk';

/** The dictionary word containing offset `ptr`; a comma selects the word after it. */
function wordAt(ptr: number): string {
  const start = V1_DICTIONARY.lastIndexOf(',', ptr) + 1;
  const end = V1_DICTIONARY.indexOf(',', start);
  return V1_DICTIONARY.slice(start, end < 0 ? undefined : end);
}

/**
 * EmoCheck's own walk back stops at offset 1, so an offset inside the first word ("duck") starts in the
 * middle of it. Kept as a second candidate so that emoguard finds whatever EmoCheck finds.
 */
function emocheckWordAt(ptr: number): string {
  let start = ptr;
  for (let i = ptr; i > 0; i--) {
    if (V1_DICTIONARY[i] === ',') {
      start = i;
      break;
    }
  }
  if (V1_DICTIONARY[start] === ',') start++;
  const end = V1_DICTIONARY.indexOf(',', start);
  return V1_DICTIONARY.slice(start, end < 0 ? undefined : end);
}

/**
 * The v1 process name for a volume serial: the word at `serial mod L`, then the word at
 * `(0xFFFFFFFF − ⌊serial / L⌋) mod L`, L being the dictionary's length in characters, plus ".exe".
 *
 * @example
 * emotetV1Names(1900000) // ['purgeelem.exe']
 */
export function emotetV1Names(serial: number): string[] {
  const length = V1_DICTIONARY.length;
  const first = serial % length;
  const second = (0xffffffff - Math.floor(serial / length)) % length;
  const names = [wordAt(first) + wordAt(second), emocheckWordAt(first) + emocheckWordAt(second)];
  return [...new Set(names)].map((n) => `${n}.exe`);
}

/** The value names v2 looks up: the serial in lowercase hex, as `std::hex` writes it, and zero-padded. */
export function v2ValueNames(serial: number): string[] {
  const hex = serial.toString(16);
  return [...new Set([hex, hex.padStart(8, '0')])];
}

/**
 * Decodes a v2 marker: XOR with the serial's four bytes, little-endian, repeating; only printable
 * characters between 0x21 and 0x7D are kept, as EmoCheck does.
 */
export function decodeV2Name(hex: string, serial: number): string {
  const key = [
    serial & 0xff,
    (serial >>> 8) & 0xff,
    (serial >>> 16) & 0xff,
    (serial >>> 24) & 0xff,
  ];
  let name = '';
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) ^ key[(i / 2) % 4]!;
    if (c > 0x20 && c < 0x7e) name += String.fromCharCode(c);
  }
  return name;
}

/** The inverse of {@link decodeV2Name}, for test fixtures and documentation. */
export function encodeV2Name(name: string, serial: number): string {
  const key = [
    serial & 0xff,
    (serial >>> 8) & 0xff,
    (serial >>> 16) & 0xff,
    (serial >>> 24) & 0xff,
  ];
  return [...name]
    .map((ch, i) => ((ch.charCodeAt(0) & 0xff) ^ key[i % 4]!).toString(16).padStart(2, '0'))
    .join('');
}

const EXPLORER_USER = 'software\\microsoft\\windows\\currentversion\\explorer';
const EXPLORER_MACHINE = new Set([
  EXPLORER_USER,
  'software\\wow6432node\\microsoft\\windows\\currentversion\\explorer',
]);

export function v1Candidates(serial: number): EmotetCandidate[] {
  return emotetV1Names(serial).map((fileName) => ({
    method: 'v1',
    fileName,
    filePath: '',
    path: '',
    isAdmin: false,
    isValid: true,
    note: `EmoCheck v1: volume serial ${serialHex(serial)} gives the name ${fileName}`,
    location: `volume serial ${serialHex(serial)}`,
  }));
}

/** Explorer values named by the serial (HKCU, HKLM, HKLM\…\WOW6432Node), decoded. */
export function v2Candidates(view: HostView, serial: number): EmotetCandidate[] {
  const names = new Set(v2ValueNames(serial));
  const found: EmotetCandidate[] = [];
  for (const r of view.registry) {
    const explorer =
      r.hive === 'user'
        ? r.rest === EXPLORER_USER
        : r.hive === 'machine' && EXPLORER_MACHINE.has(r.rest);
    if (!explorer || !names.has(r.v.name.toLowerCase()) || r.v.data === null) continue;
    if (r.v.type !== 'REG_BINARY' && !/^(?:[0-9a-f]{2})+$/.test(r.v.data)) continue;
    const decoded = decodeV2Name(r.v.data, serial);
    if (decoded === '') continue;
    const fileName = decoded.toLowerCase();
    found.push({
      method: 'v2',
      fileName,
      filePath: '',
      path: '',
      isAdmin: r.hive === 'machine',
      isValid: true,
      registryKey: r.display,
      note: `EmoCheck v2: ${r.display} decodes with the volume serial to "${decoded}"`,
      location: `registry ${r.display}`,
    });
  }
  return found;
}

export function serialHex(serial: number): string {
  return serial.toString(16).toUpperCase().padStart(8, '0');
}
