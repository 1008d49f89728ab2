import {
  describeError,
  type AnalysisContext,
  type Anomaly,
  type ExtractedMacro,
} from '../../core/index.js';
import { parseCfb, type CfbFile } from '../../formats/cfb/index.js';
import { readOoxml } from '../../formats/ooxml/index.js';
import { readVbaProjects } from '../../formats/ovba/index.js';

export interface MacroSources {
  macros: ExtractedMacro[];
  anomalies: Anomaly[];
}

const CODE_DECODER = new TextDecoder('utf-8');

/**
 * The VBA modules carried by the artifact, parsed once per artifact (`ctx.memo`): plain source files are
 * one module; compound files (.doc/.xls/.ppt, vbaProject.bin) are read per MS-OVBA; OOXML packages
 * through each vbaProject part, found by content type or by name (attackers rename it).
 */
export async function macroSources(ctx: AnalysisContext): Promise<MacroSources> {
  const { artifact, bytes } = ctx;
  if (artifact.type === 'vba-source') {
    const code = CODE_DECODER.decode(bytes);
    const named = /^\s*Attribute\s+VB_Name\s*=\s*"([^"]*)"/im.exec(code.slice(0, 8192))?.[1];
    const module = named ?? artifact.name.replace(/\.[^.]*$/, '');
    return { macros: [{ container: artifact.path, stream: null, module, code }], anomalies: [] };
  }
  if (artifact.type === 'ole') {
    const cfb = ctx.memo('cfb', () => parseCfb(bytes, { maxStreamBytes: ctx.limits.maxFileSize }));
    return fromCompoundFile(cfb, artifact.path);
  }
  if (artifact.type === 'ooxml') {
    const pkg = await ctx.memo('ooxml', () =>
      readOoxml(bytes, { maxTotalBytes: ctx.remainingBytes() }),
    );
    const out: MacroSources = { macros: [], anomalies: [] };
    for (const [index, project] of pkg.vbaProjects.entries()) {
      ctx.checkDeadline();
      try {
        const found = fromCompoundFile(projectCfb(ctx, index, project.bytes), project.partName);
        out.macros.push(...found.macros);
        out.anomalies.push(
          ...found.anomalies.map((a) => ({
            ...a,
            location: `${project.partName}:${a.location ?? ''}`,
          })),
        );
      } catch (error) {
        out.anomalies.push({
          code: 'E_VBA_PROJECT_UNREADABLE',
          message: describeError(error),
          location: project.partName,
        });
      }
    }
    return out;
  }
  return { macros: [], anomalies: [] };
}

/**
 * The compound file of the OOXML package's `index`-th VBA project part, parsed once per artifact for
 * the source side here and the compiled side (stomping). A parse that throws is not memoised, so each
 * side still meets (and handles) the same error.
 */
export function projectCfb(ctx: AnalysisContext, index: number, bytes: Uint8Array): CfbFile {
  return ctx.memo(`vba.project-cfb:${index}`, () => parseCfb(bytes));
}

function fromCompoundFile(cfb: CfbFile, container: string): MacroSources {
  const out: MacroSources = { macros: [], anomalies: [...cfb.anomalies] };
  for (const project of readVbaProjects(cfb)) {
    out.anomalies.push(...project.anomalies);
    for (const module of project.modules) {
      out.macros.push({ container, stream: module.stream, module: module.name, code: module.code });
    }
  }
  return out;
}
