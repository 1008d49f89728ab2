import type { Anomaly } from '../../core/index.js';
import type { CfbFile } from '../cfb/index.js';
import { DEFAULT_CODE_PAGE } from './codepage.js';
import { decompressOvba, MAX_OVBA_OUTPUT } from './decompress.js';
import { parseDir } from './dir.js';
import { parseVbaProjectStream } from './pcode-project.js';
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

function readProject(cfb: CfbFile, vbaPath: string): ProjectCompiled {
  const root = vbaPath.slice(0, Math.max(0, vbaPath.length - 4));
  const anomalies: Anomaly[] = [];
  const dirBytes = cfb.readStream(`${vbaPath}/dir`);
  const dir = dirBytes ? parseDir(decompressOvba(dirBytes, MAX_OVBA_OUTPUT).data, []) : undefined;
  const codePage = dir?.codePage ?? DEFAULT_CODE_PAGE;
  const projectPath = `${vbaPath}/_VBA_PROJECT`;
  const projectBytes = cfb.readStream(projectPath);
  const cache = projectBytes
    ? parseVbaProjectStream(projectBytes, codePage, anomalies, projectPath)
    : { version: undefined, hasCache: false, identifiers: [] };
  const modules: ModuleCompiled[] = [];
  // Without a cache Office ignores any p-code, so there is nothing compiled to compare.
  if (cache.hasCache) {
    for (const m of dir?.modules ?? []) {
      const stream = `${vbaPath}/${m.streamName}`;
      const data = cfb.readStream(stream);
      if (!data) continue;
      const pcode = readModulePcode(data, m.textOffset, codePage, anomalies, stream);
      modules.push({ stream, name: m.name, textOffset: m.textOffset, ...(pcode ? { pcode } : {}) });
    }
  }
  return { root, ...cache, modules, anomalies };
}
