import type { Anomaly } from '../../core/index.js';
import { ansi, Cursor } from './cursor.js';

/** MS-OLEDS 2.2.4 ObjectHeader FormatID values. */
export const OLE1_LINKED = 0x00000001;
export const OLE1_EMBEDDED = 0x00000002;

/** Longest class, topic or item name accepted; real ones are a few dozen bytes. */
const MAX_NAME_BYTES = 64 * 1024;

/** An OLE 1.0 object (MS-OLEDS 2.2.5 EmbeddedObject / 2.2.6 LinkedObject), as RTF `\objdata` holds. */
export interface Ole1Object {
  oleVersion: number;
  formatId: number;
  /** ProgID-like class name (`Package`, `Equation.3`, `Word.Document.8`, `OLE2Link`). */
  className: string;
  /** For links, the linked file or URL; for Package objects, often the original path. */
  topicName: string;
  itemName: string;
  /** EmbeddedObject NativeData: an OLE2 compound file, or OLE1 Package data. */
  nativeData?: Uint8Array;
  /** NativeDataSize as declared; larger than `nativeData` when the object is cut. */
  declaredSize?: number;
  /** LinkedObject NetworkName (UNC form of the topic). */
  networkName?: string;
  anomalies: Anomaly[];
}

/**
 * Parses an OLE1 object; undefined when the bytes are not one (wrong FormatID, unreadable class name),
 * which is how rtfobj tells OLE objects from raw data. A short NativeData is kept with an anomaly.
 *
 * @example
 * const obj = parseOle1Object(rtfObject.data);
 * obj?.className // 'Package'
 */
export function parseOle1Object(bytes: Uint8Array): Ole1Object | undefined {
  const c = new Cursor(bytes);
  const oleVersion = c.u32();
  const formatId = c.u32();
  if (oleVersion === undefined || (formatId !== OLE1_LINKED && formatId !== OLE1_EMBEDDED)) {
    return undefined;
  }
  const className = lengthPrefixed(c);
  if (className === undefined || className === '') return undefined;
  const anomalies: Anomaly[] = [];
  const out: Ole1Object = {
    oleVersion,
    formatId,
    className,
    topicName: '',
    itemName: '',
    anomalies,
  };
  const topic = lengthPrefixed(c);
  const item = topic === undefined ? undefined : lengthPrefixed(c);
  if (topic === undefined || item === undefined) {
    anomalies.push({ code: 'E_OLE1_TRUNCATED', message: 'object header cut', offset: c.at });
    return out;
  }
  out.topicName = topic;
  out.itemName = item;
  if (formatId === OLE1_LINKED) {
    const network = lengthPrefixed(c);
    if (network !== undefined) out.networkName = network;
    return out;
  }
  const size = c.u32();
  if (size === undefined) {
    anomalies.push({ code: 'E_OLE1_TRUNCATED', message: 'NativeDataSize missing', offset: c.at });
    return out;
  }
  out.declaredSize = size;
  const available = Math.min(size, c.left);
  out.nativeData = c.take(available);
  if (available < size) {
    anomalies.push({
      code: 'E_OLE1_TRUNCATED',
      message: `NativeData declares ${size} bytes, ${available} present`,
      offset: c.at,
    });
  }
  return out;
}

/** MS-OLEDS 2.1.4 LengthPrefixedAnsiString: a u32 length counting the terminating NUL, then the bytes. */
function lengthPrefixed(c: Cursor): string | undefined {
  const length = c.u32();
  if (length === undefined || length > MAX_NAME_BYTES) return undefined;
  if (length === 0) return '';
  const raw = c.take(length);
  if (!raw) return undefined;
  const end = raw.indexOf(0);
  return ansi(raw.subarray(0, end < 0 ? raw.length : end));
}
