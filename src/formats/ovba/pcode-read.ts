import type { Anomaly } from '../../core/index.js';
import type { CfbFile } from '../cfb/index.js';
import { DEFAULT_CODE_PAGE } from './codepage.js';
import { decompressOvba, MAX_OVBA_OUTPUT } from './decompress.js';
import { recallDir } from './dir-cache.js';
import { parseDir, type VbaDir } from './dir.js';
import { isBigEndianModule, parseVbaProjectStream, type PcodeDialect } from './pcode-project.js';
import { readModulePcode, type ModulePcode } from './pcode.js';

export interface ModuleCompiled {
  /** Full CFB path of the module stream, as `VbaModule.stream`. */
  stream: string;
  name: string;
  /** MODULEOFFSET: the size of the PerformanceCache in front of the compressed source. */
  textOffset: number;
  /** Undefined when the stream has no p-code line directory. */
  pcode?: ModulePcode;
}

export interface ProjectCompiled {
  /** Storage holding `VBA` ('' for vbaProject.bin), as `VbaProject.root`. */
  root: string;
  /** `_VBA_PROJECT.Version`; undefined when the stream is missing or short. */
  version: number | undefined;
  /** True when Office would run the compiled form (a version-dependent cache is present). */
  hasCache: boolean;
  /** VBA5/6/7 as the version tells it (see `pcodeDialectOf`); undefined for an unknown version. */
  dialect?: PcodeDialect;
  isBigEndian?: boolean;
  /** PROJECTSYSKIND 3 (MS-OVBA 2.3.4.2.1.1): compiled by 64-bit Office. */
  is64Bit: boolean;
  /**
   * Why the compiled side was not read although a cache is present: an unknown `_VBA_PROJECT` version
   * or a big-endian (Mac) layout. Nothing compiled is then compared with the source.
   */
  notUnderstood?: string;
  identifiers: string[];
  modules: ModuleCompiled[];
  anomalies: Anomaly[];
}

/**
 * The compiled side of every VBA project in a compound file: `_VBA_PROJECT` (version, identifier table)
 * and each module's p-code (line directory, string literals). With `readVbaProjects` (the source side)
 * this lets a caller tell when the two disagree: VBA stomping. Never throws on bad bytes.
 *
 * @example
 * for (const p of readVbaCompiled(cfb)) if (p.hasCache) console.log(p.identifiers.length);
 */
export function readVbaCompiled(cfb: CfbFile): ProjectCompiled[] {
  return cfb.entries
    .filter((e) => e.type === 'storage' && e.name.toUpperCase() === 'VBA')
    .map((e) => readProject(cfb, e.path));
}

function readDir(bytes: Uint8Array | undefined): VbaDir | undefined {
  return bytes ? parseDir(decompressOvba(bytes, MAX_OVBA_OUTPUT).data, []) : undefined;
}

function readProject(cfb: CfbFile, vbaPath: string): ProjectCompiled {
  const root = vbaPath.slice(0, Math.max(0, vbaPath.length - 4));
  const anomalies: Anomaly[] = [];
  const dirPath = `${vbaPath}/dir`;
  const dir = recallDir(cfb, dirPath) ?? readDir(cfb.readStream(dirPath));
  const codePage = dir?.codePage ?? DEFAULT_CODE_PAGE;
  const projectPath = `${vbaPath}/_VBA_PROJECT`;
  const projectBytes = cfb.readStream(projectPath);
  const cache = projectBytes
    ? parseVbaProjectStream(projectBytes, codePage, anomalies, projectPath)
    : { version: undefined, hasCache: false, identifiers: [] };
  const modules: ModuleCompiled[] = [];
  const is64Bit = dir?.sysKind === 3;
  let notUnderstood = !cache.hasCache
    ? undefined
    : cache.isBigEndian
      ? 'big-endian (Macintosh) p-code cache'
      : cache.dialect === undefined
        ? `unknown _VBA_PROJECT version 0x${(cache.version ?? 0).toString(16).padStart(4, '0')}`
        : undefined;
  // Without a cache Office ignores any p-code, so there is nothing compiled to compare.
  if (cache.hasCache && notUnderstood === undefined) {
    for (const m of dir?.modules ?? []) {
      const stream = `${vbaPath}/${m.streamName}`;
      const data = cfb.readStream(stream);
      if (!data) continue;
      if (isBigEndianModule(data, m.textOffset)) {
        notUnderstood = `big-endian (Macintosh) p-code in ${stream}`;
        modules.length = 0;
        break;
      }
      const pcode = readModulePcode(data, m.textOffset, codePage, anomalies, stream);
      modules.push({ stream, name: m.name, textOffset: m.textOffset, ...(pcode ? { pcode } : {}) });
    }
  }
  return {
    root,
    ...cache,
    is64Bit,
    ...(notUnderstood === undefined ? {} : { notUnderstood }),
    modules,
    anomalies,
  };
}
