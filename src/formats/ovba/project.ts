import type { Anomaly } from '../../core/index.js';
import type { CfbFile } from '../cfb/index.js';
import { decodeCodePage, DEFAULT_CODE_PAGE } from './codepage.js';
import { decompressOvba, MAX_OVBA_OUTPUT } from './decompress.js';
import { rememberDir } from './dir-cache.js';
import { DIR } from './dir-records.js';
import { type DirReference, parseDir, type VbaDir } from './dir.js';
import { type ModuleKind, parseProjectText } from './project-text.js';
import { findSourceContainers } from './scan.js';

export interface VbaModule {
  /** Full CFB path of the module stream: `Macros/VBA/ThisDocument`. */
  stream: string;
  /** Module name (MODULENAMEUNICODE when present, else MODULENAME; from `Attribute VB_Name` in a fallback). */
  name: string;
  type: ModuleKind;
  /** Module source as stored (CRLF line ends, `Attribute` lines included), decoded in the project code page. */
  code: string;
}

export interface VbaProject {
  /** Storage that holds `VBA/dir`: `Macros` (Word), `_VBA_PROJECT_CUR` (Excel), '' (vbaProject.bin). */
  root: string;
  /** PROJECTCODEPAGE, 1252 when the dir stream is unreadable. */
  codePage: number;
  projectName?: string;
  modules: VbaModule[];
  references: DirReference[];
  /** The PROJECT stream decoded in the project code page. */
  projectText?: string;
  /** True when some module was recovered by scanning streams because the dir stream or an offset failed. */
  isRecovered: boolean;
  anomalies: Anomaly[];
}

export interface VbaReadOptions {
  /** Decompressed bytes kept per module or dir stream. Default `MAX_OVBA_OUTPUT` (16 MiB). */
  maxModuleBytes?: number;
  /**
   * Decompressed bytes for the whole file, all projects together. Default `MAX_OVBA_TOTAL_OUTPUT`.
   * Stops a dir stream that lists thousands of modules pointing at one small, highly compressed stream.
   */
  maxTotalBytes?: number;
}

/** Default for `maxTotalBytes`: far above any real document's macros. */
export const MAX_OVBA_TOTAL_OUTPUT = 64 * 1024 * 1024;

/** Decompressed bytes allowed for one `readVbaProjects` call, shared by all its projects. */
class OutputBudget {
  constructor(
    private readonly perStream: number,
    public remaining: number,
  ) {}

  /** The output cap for the next decompression. */
  get cap(): number {
    return Math.max(0, Math.min(this.perStream, this.remaining));
  }

  spend(bytes: number): void {
    this.remaining -= bytes;
  }

  /** True (with an anomaly) when nothing is left, so the caller stops reading modules. */
  isSpent(anomalies: Anomaly[], location: string): boolean {
    if (this.remaining > 0) return false;
    anomalies.push({
      code: 'E_OVBA_OUTPUT_LIMIT',
      message: 'decompressed VBA output reached maxTotalBytes; remaining modules not read',
      location,
    });
    return true;
  }
}

/** Streams of the VBA storage that never hold module source (MS-OVBA 2.2; __SRP_n are caches). */
const NOT_SOURCE = /^(dir|_VBA_PROJECT|__SRP_\d+|PROJECTwm|PROJECT)$/i;

/**
 * Finds and reads every VBA project in a compound file: each storage named `VBA` is one (Word
 * `Macros/VBA`, Excel `_VBA_PROJECT_CUR/VBA`, vbaProject.bin `VBA`). When the dir stream is missing or
 * corrupt, module source is recovered by scanning the storage's streams, with an anomaly.
 *
 * @example
 * for (const project of readVbaProjects(parseCfb(bytes)))
 *   for (const m of project.modules) console.log(m.stream, m.code.length);
 */
export function readVbaProjects(cfb: CfbFile, options: VbaReadOptions = {}): VbaProject[] {
  const budget = new OutputBudget(
    options.maxModuleBytes ?? MAX_OVBA_OUTPUT,
    options.maxTotalBytes ?? MAX_OVBA_TOTAL_OUTPUT,
  );
  return cfb.entries
    .filter((e) => e.type === 'storage' && e.name.toUpperCase() === 'VBA')
    .map((e) => readProject(cfb, e.path, budget));
}

/** What reading one project accumulates. */
interface ProjectRead {
  cfb: CfbFile;
  vbaPath: string;
  budget: OutputBudget;
  codePage: number;
  kinds: Map<string, ModuleKind>;
  anomalies: Anomaly[];
  modules: VbaModule[];
  /** Upper-cased paths of the streams the dir stream led to. */
  used: Set<string>;
  recovered: number;
}

function readProject(cfb: CfbFile, vbaPath: string, budget: OutputBudget): VbaProject {
  const root = vbaPath.slice(0, Math.max(0, vbaPath.length - 4));
  const anomalies: Anomaly[] = [];
  const dir = readDir(cfb, `${vbaPath}/dir`, budget, anomalies);
  const codePage = dir?.codePage ?? DEFAULT_CODE_PAGE;
  const projectPath = root ? `${root}/PROJECT` : 'PROJECT';
  const projectBytes = cfb.readStream(projectPath);
  const projectText =
    projectBytes && decodeCodePage(projectBytes, codePage, anomalies, projectPath);
  const kinds = projectText ? parseProjectText(projectText).modules : new Map<string, ModuleKind>();
  const read: ProjectRead = {
    cfb,
    vbaPath,
    budget,
    codePage,
    kinds,
    anomalies,
    modules: [],
    used: new Set<string>(),
    recovered: 0,
  };
  readListedModules(read, dir);
  // A dir stream that is missing, empty or cut short cannot list every module: scan the rest.
  const isDirBroken =
    !dir ||
    dir.modules.length === 0 ||
    anomalies.some(
      (a) => a.code === 'E_OVBA_DIR_TRUNCATED' || a.code === 'E_OVBA_DIR_MODULE_COUNT',
    );
  if (isDirBroken) scanUnlistedStreams(read);
  return {
    root,
    codePage,
    ...(dir?.projectName === undefined ? {} : { projectName: dir.projectName }),
    modules: read.modules,
    references: dir?.references ?? [],
    ...(projectText === undefined ? {} : { projectText }),
    isRecovered: read.recovered > 0,
    anomalies,
  };
}

function readDir(
  cfb: CfbFile,
  dirPath: string,
  budget: OutputBudget,
  anomalies: Anomaly[],
): VbaDir | undefined {
  const bytes = cfb.readStream(dirPath);
  if (!bytes) {
    anomalies.push({ code: 'E_OVBA_NO_DIR', message: `${dirPath} is missing`, location: dirPath });
    return undefined;
  }
  const cap = budget.cap;
  const inflated = decompressOvba(bytes, cap, dirPath);
  budget.spend(inflated.data.length);
  anomalies.push(...inflated.anomalies);
  const dir = parseDir(inflated.data, anomalies);
  // The compiled side (pcode-read) decompresses with MAX_OVBA_OUTPUT: the same parse, shared.
  if (cap === MAX_OVBA_OUTPUT) rememberDir(cfb, dirPath, dir);
  return dir;
}

/** The modules the dir stream lists, each read at its MODULEOFFSET (or recovered by scanning). */
function readListedModules(read: ProjectRead, dir: VbaDir | undefined): void {
  const { cfb, vbaPath, budget, anomalies } = read;
  for (const m of dir?.modules ?? []) {
    const path = `${vbaPath}/${m.streamName}`;
    if (budget.isSpent(anomalies, path)) return;
    const data = cfb.readStream(path);
    if (!data) {
      anomalies.push({
        code: 'E_OVBA_MODULE_MISSING',
        message: `module ${m.name}: stream ${path} is missing`,
        location: path,
      });
      continue;
    }
    read.used.add(path.toUpperCase());
    // MODULETYPE 0x0022 covers document, class and designer modules; PROJECT tells them apart.
    const type: ModuleKind =
      m.typeRecord === DIR.MODULETYPE_PROCEDURAL
        ? 'procedural'
        : (nonProcedural(read.kinds.get(m.name.toUpperCase())) ??
          (m.typeRecord ? 'class' : 'procedural'));
    const source = readSource(data, m.textOffset, budget, path, anomalies);
    const sources = source ? [source] : recover(read, data, path);
    for (const found of sources) {
      read.modules.push({ stream: path, name: m.name, type, code: decode(read, found, path) });
    }
  }
}

/** The olevba fallback over every stream of the VBA storage that the dir stream did not reach. */
function scanUnlistedStreams(read: ProjectRead): void {
  const prefix = `${read.vbaPath.toUpperCase()}/`;
  for (const entry of read.cfb.entries) {
    if (entry.type !== 'stream' || !entry.path.toUpperCase().startsWith(prefix)) continue;
    if (NOT_SOURCE.test(entry.name) || read.used.has(entry.path.toUpperCase())) continue;
    if (read.budget.isSpent(read.anomalies, entry.path)) return;
    const data = read.cfb.readStream(entry.path);
    if (!data) continue;
    for (const found of recover(read, data, entry.path)) {
      const code = decode(read, found, entry.path);
      const name = /^Attribute VB_Name = "([^"]*)"/.exec(code)?.[1] ?? entry.name;
      const type =
        read.kinds.get(name.toUpperCase()) ??
        (/^Attribute VB_Base/m.test(code) ? 'class' : 'procedural');
      read.modules.push({ stream: entry.path, name, type, code });
    }
  }
}

function decode(read: ProjectRead, data: Uint8Array, path: string): string {
  return decodeCodePage(data, read.codePage, read.anomalies, path);
}

function nonProcedural(kind: ModuleKind | undefined): ModuleKind | undefined {
  return kind === 'procedural' ? undefined : kind;
}

/** MS-OVBA 2.3.4.3: the module stream holds PerformanceCache, then compressed source at TextOffset. */
function readSource(
  data: Uint8Array,
  textOffset: number,
  budget: OutputBudget,
  path: string,
  anomalies: Anomaly[],
): Uint8Array | undefined {
  if (textOffset >= data.length) {
    anomalies.push({
      code: 'E_OVBA_BAD_OFFSET',
      message: `${path}: MODULEOFFSET ${textOffset} is past the stream's ${data.length} bytes`,
      location: path,
    });
    return undefined;
  }
  const result = decompressOvba(data.subarray(textOffset), budget.cap, path);
  budget.spend(result.data.length);
  for (const anomaly of result.anomalies) {
    if (anomaly.offset !== undefined) anomaly.offset += textOffset;
  }
  anomalies.push(...result.anomalies);
  if (result.data.length === 0 && result.anomalies.length > 0) {
    anomalies.push({
      code: 'E_OVBA_BAD_OFFSET',
      message: `${path}: no compressed source at MODULEOFFSET ${textOffset}`,
      location: path,
    });
    return undefined;
  }
  return result.data;
}

/** Scans one stream for compressed source, and says so. */
function recover(read: ProjectRead, data: Uint8Array, path: string): Uint8Array[] {
  const found = findSourceContainers(data, read.budget.cap, path);
  read.anomalies.push({
    code: 'E_OVBA_FALLBACK_SCAN',
    message: `${path}: source recovered by scanning the stream (${found.length} container(s) found)`,
    location: path,
  });
  for (const f of found) read.anomalies.push(...f.anomalies);
  read.recovered += found.length;
  for (const f of found) read.budget.spend(f.data.length);
  return found.map((f) => f.data);
}
