/** MS-OVBA 2.3.1 PROJECT stream (text properties) and 2.4.3 Data Encryption of CMG/DPB/GC. */

export type ModuleKind = 'procedural' | 'document' | 'class';

export interface ProjectText {
  /** ProjectProperties before the first `[section]`, first occurrence of each key (ID, Name, CMG, DPB, GC …). */
  properties: Map<string, string>;
  /** Module=, Document=, Class= and BaseClass= entries by upper-cased module name. */
  modules: Map<string, ModuleKind>;
}

/** Lines of the PROJECT stream are capped: the stream is a few hundred bytes in real projects. */
const MAX_PROJECT_LINES = 10_000;

/** Reads the key=value lines of a PROJECT stream (MS-OVBA 2.3.1.1 ProjectProperties). */
export function parseProjectText(text: string): ProjectText {
  const properties = new Map<string, string>();
  const modules = new Map<string, ModuleKind>();
  const lines = text.split(/\r\n|\r|\n/, MAX_PROJECT_LINES);
  for (const line of lines) {
    if (line.startsWith('[')) break;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (!properties.has(key)) properties.set(key, value);
    // MS-OVBA 2.3.1.4-2.3.1.6: Document=<name>/&H<cookie>, Module=<name>, Class=<name>, BaseClass=<name>.
    const kind: ModuleKind | undefined =
      key === 'Module'
        ? 'procedural'
        : key === 'Document'
          ? 'document'
          : key === 'Class' || key === 'BaseClass'
            ? 'class'
            : undefined;
    if (kind) modules.set(value.replace(/\/&H[0-9A-Fa-f]*$/, '').toUpperCase(), kind);
  }
  return { properties, modules };
}

/**
 * MS-OVBA 2.4.3.2 Encryption, used for the CMG, DPB and GC properties. `projectId` is the ID property
 * with its braces; its byte sum keys the obfuscation. Returns upper-case hex.
 */
export function encryptProjectData(projectId: string, data: Uint8Array, seed: number): string {
  const projKey = [...projectId].reduce((sum, ch) => sum + (ch.charCodeAt(0) & 0xff), 0) & 0xff;
  const version = 2;
  const out = [seed & 0xff, (seed ^ version) & 0xff, (seed ^ projKey) & 0xff];
  let unencrypted1 = projKey;
  let encrypted1 = out[2]!;
  let encrypted2 = out[1]!;
  const ignoredLength = (seed & 6) / 2;
  const length = data.length;
  const plain = [
    ...new Array<number>(ignoredLength).fill(seed & 0xff),
    length & 0xff,
    (length >> 8) & 0xff,
    (length >> 16) & 0xff,
    (length >>> 24) & 0xff,
    ...data,
  ];
  for (const byte of plain) {
    const enc = byte ^ ((encrypted2 + unencrypted1) & 0xff);
    out.push(enc);
    encrypted2 = encrypted1;
    encrypted1 = enc;
    unencrypted1 = byte;
  }
  return out.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');
}

/** MS-OVBA 2.4.3.3 Decryption; undefined when the hex is malformed or the length does not match. */
export function decryptProjectData(
  hex: string,
): { version: number; projKey: number; data: Uint8Array } | undefined {
  if (!/^(?:[0-9A-Fa-f]{2}){7,}$/.test(hex) || hex.length > 8192) return undefined;
  const bytes = Array.from({ length: hex.length / 2 }, (_, i) =>
    Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16),
  );
  const [seed, versionEnc, projKeyEnc] = bytes as [number, number, number];
  const version = seed ^ versionEnc;
  const projKey = seed ^ projKeyEnc;
  let unencrypted1 = projKey;
  let encrypted1 = projKeyEnc;
  let encrypted2 = versionEnc;
  const plain: number[] = [];
  for (const enc of bytes.slice(3)) {
    const byte = enc ^ ((encrypted2 + unencrypted1) & 0xff);
    plain.push(byte);
    encrypted2 = encrypted1;
    encrypted1 = enc;
    unencrypted1 = byte;
  }
  const ignoredLength = (seed & 6) / 2;
  const lengthBytes = plain.slice(ignoredLength, ignoredLength + 4);
  if (lengthBytes.length < 4) return undefined;
  const length = lengthBytes.reduce((n, b, i) => n + b * 2 ** (8 * i), 0);
  const data = plain.slice(ignoredLength + 4);
  if (data.length !== length) return undefined;
  return { version, projKey, data: new Uint8Array(data) };
}
