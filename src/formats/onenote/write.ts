import { concatBytes, guidToBytes, u16le, u32le, u64le, utf16leBytes } from '../../core/index.js';

/*
 * A OneNote section (.one) writer ([MS-ONESTORE] 2.3–2.6, [MS-ONE] property ids): a header, file node
 * lists (FileDataStoreListReferenceFND → FileDataStoreObjectReferenceFND, an object group with
 * ObjectDeclarationFileData3RefCountFND declarations and the embedded files' property sets) and the
 * FileDataStoreObjects. The demo's inert lure and the parser's tests are made with it; hostile switches
 * (looping fragments, lying lengths) are in the spec.
 */

const zeros = (n: number) => new Uint8Array(n);

export interface OneNoteFileSpec {
  name: string;
  data: Uint8Array | string;
  /** Recorded extension (defaults to the name's). */
  extension?: string;
  sourcePath?: string;
}

export interface OneNoteSpec {
  files: OneNoteFileSpec[];
  texts?: string[];
  /** Leave out the file node lists (only the header and FileDataStoreObjects). */
  omitNodes?: boolean;
  /** Point the root list's nextFragment back at itself. */
  loopFragments?: boolean;
  /** Write this cbLength for the first file instead of the real one. */
  lyingLength?: number;
}

const ONE_FILE_TYPE = '{7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}';
const ONE_FILE_FORMAT = '{109ADD3F-911B-49F5-A5D0-1791EDC8AED8}';
const FILE_DATA_HEADER = '{BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC}';
const FILE_DATA_FOOTER = '{71FBA722-0F79-4A0B-BB13-899256426B24}';
const FRAGMENT_MAGIC = 0xa4567ab1f5f7f4c4n;
const FRAGMENT_FOOTER = 0x8bc215c38233ba4bn;

const enc = (s: string | Uint8Array) => (typeof s === 'string' ? new TextEncoder().encode(s) : s);
const fileGuid = (i: number) =>
  `{6D1C0A${(0x10 + i).toString(16).toUpperCase()}-1234-4ABC-9DEF-0123456789AB}`;

/** FileNode header (2.4.3): id, size, StpFormat 1 (u32), CbFormat 0 (u32), BaseType. */
function node(id: number, baseType: number, body: Uint8Array): Uint8Array {
  const size = 4 + body.length;
  const h = (id | (size << 10) | (1 << 23) | (0 << 25) | (baseType << 27)) >>> 0;
  return concatBytes([u32le(h), body]);
}
const ref = (stp: number, cb: number) => concatBytes([u32le(stp), u32le(cb)]);
const storageString = (s: string) => concatBytes([u32le(s.length), utf16leBytes(s)]);

function fragment(nodes: Uint8Array[], next?: { stp: number; cb: number }): Uint8Array {
  const nextRef = next
    ? concatBytes([u64le(next.stp), u32le(next.cb)])
    : concatBytes([u64le(0xffffffffffffffffn), u32le(0)]);
  return concatBytes([
    u64le(FRAGMENT_MAGIC),
    u32le(0x10),
    u32le(0),
    ...nodes,
    u32le(0xff | (4 << 10)),
    nextRef,
    u64le(FRAGMENT_FOOTER),
  ]);
}

function fileDataStoreObject(data: Uint8Array, declared = data.length): Uint8Array {
  const pad = (8 - (data.length % 8)) % 8;
  return concatBytes([
    guidToBytes(FILE_DATA_HEADER),
    u64le(declared),
    u32le(0),
    u64le(0),
    data,
    zeros(pad),
    guidToBytes(FILE_DATA_FOOTER),
  ]);
}

function prop(prid: number, value?: string): { prid: number; data: Uint8Array } {
  if (value === undefined) return { prid, data: new Uint8Array() };
  const v = utf16leBytes(`${value}\0`);
  return { prid, data: concatBytes([u32le(v.length), v]) };
}

/** ObjectSpaceObjectPropSet: OIDs stream (no OSIDs), then a PropertySet. */
function propSet(oids: number[], props: { prid: number; data: Uint8Array }[]): Uint8Array {
  return concatBytes([
    u32le((oids.length | 0x80000000) >>> 0),
    ...oids.map(u32le),
    u16le(props.length),
    ...props.map((p) => u32le(p.prid)),
    ...props.map((p) => p.data),
  ]);
}

export function buildOneNote(spec: OneNoteSpec): Uint8Array {
  const files = spec.files.map((f) => ({ ...f, bytes: enc(f.data) }));
  const stores = files.map((f, i) =>
    fileDataStoreObject(f.bytes, i === 0 ? spec.lyingLength : undefined),
  );
  const oid = (i: number) => (1 << 8) | (i + 1);
  const propSets = [
    ...files.map((f, i) =>
      propSet(
        [oid(i)],
        [
          prop(0x1c001d9c, f.name),
          prop(0x1c001d57, f.sourcePath ?? `C:\\Users\\user\\Desktop\\${f.name}`),
          prop(0x20001d9b),
        ],
      ),
    ),
    ...(spec.texts ?? []).map((t) => propSet([], [prop(0x1c001c22, t)])),
  ];
  // Layout: header | root list | store list | group list | property sets | file data objects.
  const storeNodes = (offsets: number[]) =>
    files.map((_, i) =>
      node(0x094, 1, concatBytes([ref(offsets[i]!, stores[i]!.length), guidToBytes(fileGuid(i))])),
    );
  const groupNodes = (propOffsets: number[]) => [
    ...files.map((f, i) =>
      node(
        0x072,
        0,
        concatBytes([
          u32le(oid(i)),
          u32le(0x00060035),
          Uint8Array.of(1),
          storageString(`<ifndf>${fileGuid(i)}`),
          storageString(f.extension ?? `.${f.name.split('.').pop()}`),
        ]),
      ),
    ),
    ...propSets.map((p, i) =>
      node(
        0x0a4,
        1,
        concatBytes([
          ref(propOffsets[i]!, p.length),
          u32le(0x200 + i),
          u32le(0x00060035),
          Uint8Array.of(0),
          Uint8Array.of(1),
        ]),
      ),
    ),
  ];
  const rootSize = fragment([
    node(0x090, 2, ref(0, 0)),
    node(0x0b0, 2, concatBytes([ref(0, 0), zeros(20)])),
  ]).length;
  const storeListSize = fragment(storeNodes(files.map(() => 0))).length;
  const groupListSize = fragment(groupNodes(propSets.map(() => 0))).length;
  const rootAt = 1024;
  const storeListAt = rootAt + rootSize;
  const groupListAt = storeListAt + storeListSize;
  let at = groupListAt + groupListSize;
  const propOffsets = propSets.map((p) => ((at += p.length), at - p.length));
  const storeOffsets = stores.map((s) => ((at += s.length), at - s.length));
  const root = fragment(
    [
      node(0x090, 2, ref(storeListAt, storeListSize)),
      node(0x0b0, 2, concatBytes([ref(groupListAt, groupListSize), zeros(20)])),
    ],
    spec.loopFragments ? { stp: rootAt, cb: rootSize } : undefined,
  );
  const header = new Uint8Array(1024);
  header.set(guidToBytes(ONE_FILE_TYPE), 0);
  header.set(guidToBytes('{A1B2C3D4-0000-4000-8000-00000000ABCD}'), 16);
  header.set(guidToBytes(ONE_FILE_FORMAT), 48);
  header.set(u32le(0x2a), 64);
  if (!spec.omitNodes) header.set(concatBytes([u64le(rootAt), u32le(rootSize)]), 172);
  const lists = spec.omitNodes
    ? [zeros(rootSize + storeListSize + groupListSize)]
    : [root, fragment(storeNodes(storeOffsets)), fragment(groupNodes(propOffsets))];
  return concatBytes([header, ...lists, ...propSets, ...stores]);
}
