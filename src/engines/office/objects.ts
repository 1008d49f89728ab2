import {
  extractStorage,
  findMonikerTargets,
  isEquationClsid,
  type EmbeddedObject,
  type OlePackage,
} from '../../formats/oleobj/index.js';
import { parseCfb } from '../../formats/cfb/index.js';
import type { CfbFile } from '../../formats/cfb/index.js';
import { sniffType } from '../../formats/sniff/index.js';
import { embeddedObject, equationEditor, externalOleLink, packageExecutable } from './findings.js';
import { baseName, type OfficeOutput } from './output.js';

// rtfobj's list of extensions Windows runs or opens with a script host on a double-click.
const EXECUTABLE_EXTENSION =
  /\.(?:bat|class|cmd|cpl|dll|exe|com|gadget|hta|inf|jar|js|jse|lnk|msc|msi|msp|pif|ps1|ps1xml|ps2|ps2xml|psc1|psc2|reg|scf|scr|sct|url|vb|vbe|vbs|ws|wsc|wsf|wsh|iso|img|vhd|vhdx|appref-ms|settingcontent-ms|library-ms)\s*$/i;
const EXECUTABLE_CONTENT = new Set(['pe', 'lnk', 'script', 'powershell', 'vba-source', 'html']);

/** A package's file: a child under its own name, and a finding when it is something that runs. */
export function reportPackage(
  out: OfficeOutput,
  pkg: OlePackage,
  location: string,
  offset?: number,
): void {
  const name = [pkg.fileName, pkg.sourcePath, pkg.tempPath]
    .map(baseName)
    .find((n) => n.trim() !== '');
  const label = name ?? 'package.bin';
  const content = pkg.data.length > 0 ? sniffType(pkg.data) : 'empty';
  const byName = [pkg.fileName, pkg.sourcePath, pkg.tempPath].some((p) =>
    EXECUTABLE_EXTENSION.test(p),
  );
  const evidence = {
    text: label,
    location,
    note: `package source ${pkg.sourcePath || '(none)'}; temp ${pkg.tempPath || '(none)'}; ${pkg.data.length} bytes of ${content}`,
    ...(offset === undefined ? {} : { offset }),
  };
  out.add(embeddedObject, evidence);
  if (byName || EXECUTABLE_CONTENT.has(content)) out.add(packageExecutable, evidence);
  if (pkg.data.length > 0) out.child(label, pkg.data);
}

/** Findings and children for one object storage of a compound file. */
export function reportEmbeddedObject(
  out: OfficeOutput,
  cfb: CfbFile,
  object: EmbeddedObject,
  container: string,
): void {
  const location = object.storage === '' ? container : object.storage;
  const className = object.className ?? object.clsid ?? 'unknown class';
  if (object.isEquation) {
    out.add(equationEditor, { text: className, location, note: `CLSID ${object.clsid ?? 'none'}` });
  }
  for (const link of object.links) {
    out.add(externalOleLink, {
      text: link.target,
      location,
      note: `${link.kind} moniker in \\x01Ole`,
    });
  }
  if (object.isLinked && object.links.length === 0) {
    out.add(externalOleLink, { text: className, location, note: 'linked object (\\x01Ole flags)' });
  }
  if (object.package) reportPackage(out, object.package, object.package.stream);
  for (const payload of object.payloads) {
    out.add(embeddedObject, {
      text: className,
      location: payload.stream,
      note: `${payload.bytes.length} bytes`,
    });
    out.child(payload.stream, payload.bytes);
  }
  if (!object.isDocument) return;
  out.add(embeddedObject, { text: className, location, note: 'embedded compound document' });
  try {
    const room = out.room();
    out.child(`${object.storage}.ole`, extractStorage(cfb, object.storage, room));
  } catch (error) {
    out.error(error, object.storage);
  }
}

/**
 * What the native data of an OLE1 or oleObject part holds when it is a compound file: the Equation
 * Editor CLSID or stream (class names lie, the CLSID is what Word loads) and link monikers.
 */
export function inspectNativeCfb(
  data: Uint8Array,
): { isEquation: boolean; clsid?: string; links: string[] } | undefined {
  if (sniffType(data) !== 'ole') return undefined;
  try {
    const cfb = parseCfb(data, { maxStreamBytes: data.length });
    const clsid = cfb.entries[0]?.clsid;
    const ole = cfb.readStream('\x01Ole');
    const isEquation =
      isEquationClsid(clsid) || cfb.find('Equation Native')?.type === 'stream' || false;
    return {
      isEquation,
      links: ole ? findMonikerTargets(ole).map((m) => m.target) : [],
      ...(clsid ? { clsid } : {}),
    };
  } catch {
    return undefined; // not a compound file after all: the child scan reports what it is
  }
}
