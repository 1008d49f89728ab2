import type { AnalysisContext } from '../../core/index.js';
import {
  isEquationClassName,
  OLE1_LINKED,
  parseOle1Object,
  parseOlePackage,
} from '../../formats/oleobj/index.js';
import { isRemoteTarget } from '../../formats/msxml-office/index.js';
import { parseRtf, type RtfObject } from '../../formats/rtf/index.js';
import { sniffType } from '../../formats/sniff/index.js';
import { reportFields } from './fields.js';
import { equationEditor, externalOleLink, remoteTemplate, rtfEmbeddedObject } from './findings.js';
import { inspectNativeCfb, reportPackage } from './objects.js';
import type { OfficeOutput } from './output.js';

/** RTF: every object (OLE1 → package file or native compound file as a child), fields, templates. */
export function analyzeRtf(ctx: AnalysisContext, out: OfficeOutput): void {
  const room = out.room();
  const doc = parseRtf(ctx.bytes, {
    maxObjectBytes: room.maxBytes,
    maxTotalObjectBytes: room.maxBytes,
    checkDeadline: () => ctx.checkDeadline(),
  });
  out.anomalies(doc.anomalies, 'rtf');
  for (const [i, object] of doc.objects.entries()) {
    ctx.checkDeadline();
    reportObject(out, object, i + 1);
  }
  reportFields(
    out,
    doc.fields.map((f) => ({
      instruction: f.instruction,
      offset: f.offset,
      location: '\\fldinst',
    })),
  );
  for (const template of doc.templates) {
    if (isRemoteTarget(template.target)) {
      out.add(remoteTemplate, {
        text: template.target,
        offset: template.offset,
        location: '\\*\\template',
      });
    }
  }
}

function reportObject(out: OfficeOutput, object: RtfObject, n: number): void {
  const location = `object ${n}`;
  const ole1 = object.data.length > 0 ? parseOle1Object(object.data) : undefined;
  const className = (ole1?.className ?? object.objclass ?? '(no class)').replace(/\0+$/, '');
  const flags = [
    object.kind && `\\obj${object.kind}`,
    object.isUpdate && '\\objupdate',
    object.objclass !== undefined &&
      object.objclass !== className &&
      `\\objclass ${object.objclass}`,
    object.isTruncated && 'data cut at the byte cap',
    ...object.obfuscation,
  ].filter((f): f is string => typeof f === 'string');
  const at = { offset: object.offset, location };
  out.add(rtfEmbeddedObject, {
    text: className,
    note: [`${object.data.length} bytes`, ...flags].join('; '),
    ...at,
  });
  if (ole1) out.anomalies(ole1.anomalies, location);
  const native = ole1?.nativeData;
  const inner = native ? inspectNativeCfb(native) : undefined;
  if (
    isEquationClassName(object.objclass) ||
    isEquationClassName(ole1?.className) ||
    inner?.isEquation
  ) {
    out.add(equationEditor, { text: className, note: `CLSID ${inner?.clsid ?? 'none'}`, ...at });
  }
  if (ole1?.formatId === OLE1_LINKED || object.kind === 'link' || object.kind === 'autlink') {
    out.add(externalOleLink, { text: ole1?.topicName || className, note: flags.join('; '), ...at });
  }
  for (const url of inner?.links ?? []) {
    out.add(externalOleLink, { text: url, note: `${className}: moniker in \\x01Ole`, ...at });
  }
  if (native && native.length > 0 && /^package$/i.test(className)) {
    const pkg = parseOlePackage(native, { hasSizePrefix: false });
    if (pkg) {
      out.anomalies(pkg.anomalies, location);
      reportPackage(out, pkg, location, object.offset);
      return;
    }
  }
  if (native && native.length > 0) {
    out.child(`rtf-object-${n}.${sniffType(native) === 'ole' ? 'ole' : 'bin'}`, native);
  } else if (!ole1 && object.data.length > 0) {
    out.child(`rtf-object-${n}.bin`, object.data);
  }
}
