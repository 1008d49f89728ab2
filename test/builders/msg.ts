/**
 * Outlook .msg files built in code ([MS-OXMSG] 2.1–2.4): a compound file of property streams —
 * `__properties_version1.0` (fixed-size properties), `__substg1.0_<tag>` streams (strings and binary),
 * `__recip_version1.0_#N` and `__attach_version1.0_#N` storages. Written with the `cfb` package.
 */
import * as CFB from 'cfb';

export interface MsgSpec {
  subject: string;
  body: string;
  senderName?: string;
  senderEmail: string;
  to: { name?: string; email: string }[];
  /** PidTagTransportMessageHeaders: the headers as received, when Outlook kept them. */
  headers?: string;
  attachments?: { name: string; data: Uint8Array }[];
}

const utf16 = (s: string) => new Uint8Array(Buffer.from(`${s}`, 'utf16le'));
const PT_BINARY = 0x0102;
const PT_LONG = 0x0003;

function properties(
  headerBytes: number,
  entries: { id: number; type: number; value: number }[],
): Uint8Array {
  const out = new Uint8Array(headerBytes + entries.length * 16);
  const view = new DataView(out.buffer);
  entries.forEach((e, i) => {
    const at = headerBytes + i * 16;
    view.setUint32(at, ((e.id << 16) | e.type) >>> 0, true);
    view.setUint32(at + 4, 6, true); // PROPATTR_READABLE | PROPATTR_WRITABLE
    view.setUint32(at + 8, e.value, true);
  });
  return out;
}

export function buildMsg(spec: MsgSpec): Uint8Array {
  const cfb = CFB.utils.cfb_new();
  const add = (path: string, data: Uint8Array) => CFB.utils.cfb_add(cfb, path, Buffer.from(data));
  const str = (prefix: string, id: number, value: string) =>
    add(`${prefix}__substg1.0_${id.toString(16).toUpperCase().padStart(4, '0')}001F`, utf16(value));
  str('/', 0x0037, spec.subject);
  str('/', 0x1000, spec.body);
  str('/', 0x0c1a, spec.senderName ?? spec.senderEmail);
  str('/', 0x5d01, spec.senderEmail);
  str('/', 0x0c1f, spec.senderEmail);
  if (spec.headers) str('/', 0x007d, spec.headers);
  const attachments = spec.attachments ?? [];
  const top = properties(32, []);
  const view = new DataView(top.buffer);
  view.setUint32(8, spec.to.length, true);
  view.setUint32(12, attachments.length, true);
  view.setUint32(16, spec.to.length, true);
  view.setUint32(20, attachments.length, true);
  add('/__properties_version1.0', top);
  spec.to.forEach((r, i) => {
    const dir = `/__recip_version1.0_#${i.toString(16).toUpperCase().padStart(8, '0')}/`;
    str(dir, 0x3001, r.name ?? r.email);
    str(dir, 0x39fe, r.email);
    str(dir, 0x3003, r.email);
    add(`${dir}__properties_version1.0`, properties(8, [{ id: 0x0c15, type: PT_LONG, value: 1 }]));
  });
  attachments.forEach((a, i) => {
    const dir = `/__attach_version1.0_#${i.toString(16).toUpperCase().padStart(8, '0')}/`;
    str(dir, 0x3707, a.name);
    str(dir, 0x3704, a.name.slice(0, 12));
    add(`${dir}__substg1.0_3701${PT_BINARY.toString(16).padStart(4, '0').toUpperCase()}`, a.data);
    add(
      `${dir}__properties_version1.0`,
      properties(8, [
        { id: 0x3705, type: PT_LONG, value: 1 },
        { id: 0x0e20, type: PT_LONG, value: a.data.length },
      ]),
    );
  });
  const out = CFB.write(cfb, { type: 'buffer' }) as Buffer;
  return new Uint8Array(out);
}
