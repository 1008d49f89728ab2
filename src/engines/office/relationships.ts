import { isRemoteTarget } from '../../formats/msxml-office/index.js';
import { externalContent, externalOleLink, remoteTemplate } from './findings.js';
import type { OfficeOutput } from './output.js';

const SCRIPT_TARGET =
  /^(?:mhtml|script|javascript|vbscript|ms-[\w-]+):|\.(?:hta|sct|js|jse|vbs|vbe|wsf|ps1)\b/i;

/**
 * One external relationship (ECMA-376 Part 2 §9.3, TargetMode="External"), from an OOXML package or
 * a flat OPC / Word 2003 XML document. Hyperlinks and linked images are ordinary and not reported;
 * templates count only when remote, since local template paths are common in legitimate documents.
 */
export function reportReference(
  out: OfficeOutput,
  kind: string,
  target: string,
  location: string,
  offset?: number,
): void {
  const evidence = {
    text: target,
    location,
    note: kind,
    ...(offset === undefined ? {} : { offset }),
  };
  const isRemote = isRemoteTarget(target);
  if (kind === 'attachedTemplate') {
    if (isRemote) out.add(remoteTemplate, evidence);
  } else if (kind === 'oleObject') {
    // A linked Excel range on a file share is ordinary; a URL, a script or a protocol handler is not.
    if (isRemote || SCRIPT_TARGET.test(target)) out.add(externalOleLink, evidence);
  } else if ((kind === 'frame' || kind === 'subDocument') && isRemote) {
    out.add(externalContent, evidence);
  }
}
