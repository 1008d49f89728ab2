/**
 * Disk images built in code: ISO 9660 (ECMA-119: volume descriptors, directory records) with an
 * optional Joliet supplementary tree, and FAT12 volumes (Microsoft FAT specification: boot sector,
 * FAT, root directory, long names) as raw `.img`. The 2022 QakBot/Emotet layout: a visible shortcut and
 * a hidden DLL-named file (inert text). Hostile switches: a directory that contains itself, lying sizes.
 */
import { ascii, concatBytes, fixed, u16le, u32le, utf16, zeros } from './bytes.js';

export interface ImageFileSpec {
  /** `/`-separated path: `docs/invoice.lnk`. */
  path: string;
  data: Uint8Array | string;
  hidden?: boolean;
}

export interface IsoSpec {
  files: ImageFileSpec[];
  /** Write a Joliet tree beside the primary one (default true). */
  joliet?: boolean;
  volumeLabel?: string;
  /** A subdirectory record in the root that points back at the root's own extent. */
  loopDirectory?: boolean;
  /** Declare this data length for the first file instead of the real one. */
  lyingSize?: number;
}

const SECTOR = 2048;
const enc = (d: Uint8Array | string) => (typeof d === 'string' ? new TextEncoder().encode(d) : d);
const both16 = (v: number) => Uint8Array.of(v & 0xff, v >> 8, v >> 8, v & 0xff);
const both32 = (v: number) =>
  concatBytes([u32le(v), Uint8Array.of(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff)]);
const sectorsFor = (n: number) => Math.max(1, Math.ceil(n / SECTOR));

function record(extent: number, size: number, flags: number, name: Uint8Array): Uint8Array {
  const len = 33 + name.length + (name.length % 2 === 0 ? 1 : 0);
  const r = new Uint8Array(len);
  r[0] = len;
  r.set(both32(extent), 2);
  r.set(both32(size), 10);
  r.set([122, 4, 25, 9, 0, 0, 36], 18); // 2022-04-25 09:00:00 +09:00
  r[25] = flags;
  r.set(both16(1), 28);
  r[32] = name.length;
  r.set(name, 33);
  return r;
}

/** ISO 9660 level-1 style name: upper case, `;1` version on files. */
const isoName = (name: string, isDir: boolean) =>
  ascii(isDir ? name.toUpperCase() : `${name.toUpperCase()};1`);
const jolietName = (name: string) => {
  const u = utf16(name);
  for (let i = 0; i < u.length; i += 2) [u[i], u[i + 1]] = [u[i + 1]!, u[i]!];
  return u;
};

interface Dir {
  path: string;
  children: string[];
}

export function buildIso(spec: IsoSpec): Uint8Array {
  const joliet = spec.joliet ?? true;
  const files = spec.files.map((f) => ({ ...f, bytes: enc(f.data) }));
  const dirs = new Map<string, Dir>([['', { path: '', children: [] }]]);
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 0; i < parts.length; i++) {
      const path = parts.slice(0, i + 1).join('/');
      const parent = parts.slice(0, i).join('/');
      if (!dirs.get(parent)!.children.includes(path)) dirs.get(parent)!.children.push(path);
      if (i < parts.length - 1 && !dirs.has(path)) dirs.set(path, { path, children: [] });
    }
  }
  const dirList = [...dirs.values()];
  const trees = joliet ? 2 : 1;
  let next = 16 + 1 + trees; // descriptors, then the terminator
  const dirSector = new Map<string, number>();
  for (let t = 0; t < trees; t++) for (const d of dirList) dirSector.set(`${t}:${d.path}`, next++);
  const fileSector = new Map<string, number>();
  for (const f of files) {
    fileSector.set(f.path, next);
    next += sectorsFor(f.bytes.length);
  }
  const image = new Uint8Array(next * SECTOR);
  const nameOf = (path: string) => path.split('/').pop()!;
  for (let t = 0; t < trees; t++) {
    for (const d of dirList) {
      const self = dirSector.get(`${t}:${d.path}`)!;
      const parent = dirSector.get(`${t}:${d.path.split('/').slice(0, -1).join('/')}`) ?? self;
      const records = [
        record(self, SECTOR, 2, Uint8Array.of(0)),
        record(parent, SECTOR, 2, Uint8Array.of(1)),
      ];
      for (const child of d.children) {
        const name = t === 0 ? isoName(nameOf(child), dirs.has(child)) : jolietName(nameOf(child));
        if (dirs.has(child)) records.push(record(dirSector.get(`${t}:${child}`)!, SECTOR, 2, name));
        else {
          const f = files.find((x) => x.path === child)!;
          const size =
            f === files[0] && spec.lyingSize !== undefined ? spec.lyingSize : f.bytes.length;
          records.push(record(fileSector.get(child)!, size, f.hidden ? 1 : 0, name));
        }
      }
      if (spec.loopDirectory && d.path === '')
        records.push(record(self, SECTOR, 2, t === 0 ? ascii('LOOP') : jolietName('loop')));
      image.set(concatBytes(records), self * SECTOR);
    }
  }
  for (const f of files) image.set(f.bytes, fileSector.get(f.path)! * SECTOR);
  const label = spec.volumeLabel ?? 'INVOICE_2022';
  image.set(descriptor(1, label, next, dirSector.get('0:')!), 16 * SECTOR);
  if (joliet) image.set(descriptor(2, label, next, dirSector.get('1:')!), 17 * SECTOR);
  image.set(
    concatBytes([Uint8Array.of(255), ascii('CD001'), Uint8Array.of(1)]),
    (16 + trees) * SECTOR,
  );
  return image;
}

/** Primary (type 1) or Joliet (type 2, UCS-2 level 3 escape `%/E`) volume descriptor (8.4, 8.5). */
function descriptor(
  type: 1 | 2,
  label: string,
  volumeSectors: number,
  rootSector: number,
): Uint8Array {
  const d = new Uint8Array(SECTOR);
  d[0] = type;
  d.set(ascii('CD001'), 1);
  d[6] = 1;
  d.set(
    fixed(ascii('WIN32'), 32).map((b) => b || 0x20),
    8,
  );
  d.set(
    type === 2 ? fixed(jolietName(label), 32) : fixed(ascii(label), 32).map((b) => b || 0x20),
    40,
  );
  d.set(both32(volumeSectors), 80);
  if (type === 2) d.set(ascii('%/E'), 88);
  d.set(both16(1), 120);
  d.set(both16(1), 124);
  d.set(both16(SECTOR), 128);
  d.set(record(rootSector, SECTOR, 2, Uint8Array.of(0)), 156);
  d[881] = 1;
  return d;
}

export interface FatSpec {
  files: ImageFileSpec[];
  label?: string;
  /** Point the first file's cluster chain back at itself. */
  loopChain?: boolean;
}

/**
 * A 1.44 MB FAT12 floppy image (2880 sectors, 1 sector per cluster), files in the root directory with
 * VFAT long names. Subdirectories are not written: the QakBot/Emotet .img lures put everything at the root.
 */
export function buildFatImage(spec: FatSpec): Uint8Array {
  const bps = 512;
  const total = 2880;
  const fatSectors = 9;
  const rootEntries = 224;
  const image = new Uint8Array(total * bps);
  const boot = image.subarray(0, bps);
  boot.set([0xeb, 0x3c, 0x90]);
  boot.set(ascii('MSDOS5.0'), 3);
  boot.set(
    concatBytes([
      u16le(bps),
      Uint8Array.of(1),
      u16le(1),
      Uint8Array.of(2),
      u16le(rootEntries),
      u16le(total),
      Uint8Array.of(0xf0),
      u16le(fatSectors),
    ]),
    11,
  );
  boot[38] = 0x29;
  boot.set(
    fixed(ascii(spec.label ?? 'INVOICE'), 11).map((b) => b || 0x20),
    43,
  );
  boot.set(ascii('FAT12   '), 54);
  boot[510] = 0x55;
  boot[511] = 0xaa;
  const fat: number[] = [0xff0, 0xfff];
  const dataStart = 1 + 2 * fatSectors + (rootEntries * 32) / bps;
  const entries: Uint8Array[] = [];
  spec.files.forEach((f, i) => {
    const bytes = enc(f.data);
    const first = fat.length;
    const count = Math.max(1, Math.ceil(bytes.length / bps));
    for (let c = 0; c < count; c++) fat.push(c === count - 1 ? 0xfff : first + c + 1);
    if (spec.loopChain && i === 0) fat[first + count - 1] = first;
    image.set(bytes, (dataStart + first - 2) * bps);
    entries.push(...dirEntries(f.path, i, first, bytes.length, f.hidden ? 0x22 : 0x20));
  });
  const fatBytes = new Uint8Array(fatSectors * bps);
  fat.forEach((v, n) => {
    const at = Math.floor(n * 1.5);
    if (n % 2 === 0) {
      fatBytes[at] = v & 0xff;
      fatBytes[at + 1] = (fatBytes[at + 1]! & 0xf0) | (v >> 8);
    } else {
      fatBytes[at] = (fatBytes[at]! & 0x0f) | ((v & 0x0f) << 4);
      fatBytes[at + 1] = v >> 4;
    }
  });
  image.set(fatBytes, bps);
  image.set(fatBytes, bps * (1 + fatSectors));
  image.set(concatBytes(entries), bps * (1 + 2 * fatSectors));
  return image;
}

/** VFAT long-name entries (in reverse order) then the 8.3 entry `FILE~N.EXT`. */
function dirEntries(
  name: string,
  index: number,
  cluster: number,
  size: number,
  attr: number,
): Uint8Array[] {
  const ext = name.includes('.') ? name.split('.').pop()!.toUpperCase().slice(0, 3) : '';
  const short = fixed(ascii(`FILE~${index + 1}`), 8).map((b) => b || 0x20);
  const shortName = concatBytes([short, fixed(ascii(ext), 3).map((b) => b || 0x20)]);
  let sum = 0;
  for (const b of shortName) sum = (((sum & 1) << 7) + (sum >> 1) + b) & 0xff;
  const units = [...utf16(name), 0, 0];
  while (units.length % 26) units.push(0xff);
  const parts: Uint8Array[] = [];
  const count = units.length / 26;
  for (let n = 1; n <= count; n++) {
    const chunk = units.slice((n - 1) * 26, n * 26);
    const e = new Uint8Array(32);
    e[0] = n | (n === count ? 0x40 : 0);
    e.set(chunk.slice(0, 10), 1);
    e[11] = 0x0f;
    e[13] = sum;
    e.set(chunk.slice(10, 22), 14);
    e.set(chunk.slice(22, 26), 28);
    parts.unshift(e);
  }
  const main = new Uint8Array(32);
  main.set(shortName, 0);
  main[11] = attr;
  main.set(u16le(cluster), 26);
  main.set(u32le(size), 28);
  return [...parts, main, zeros(0)];
}

/** The 2022 layout: a shortcut in the root, the "DLL" (inert text) hidden in a subfolder. */
export function buildLureIso(lnk: Uint8Array): Uint8Array {
  return buildIso({
    files: [
      { path: 'Invoice_2022-04-25.lnk', data: lnk },
      {
        path: 'data/cQE8hO1.dll',
        data: 'MZ placeholder: inert test text, not a program',
        hidden: true,
      },
    ],
  });
}
