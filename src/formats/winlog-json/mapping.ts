import { ConfigError } from '../../core/index.js';
import type { WinlogMapping } from './types.js';

type Raw = Record<string, unknown>;

function fail(name: string, message: string): never {
  throw new ConfigError('E_CONFIG_WINLOG_MAPPING', `mapping ${name}: ${message}`);
}

function isRaw(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function path(name: string, where: string, value: unknown): string[] {
  if (typeof value !== 'string' || value === '') fail(name, `${where} must be a non-empty string`);
  return value.split('.');
}

function pairs(name: string, key: string, value: unknown): { from: string[]; to: string[] }[] {
  if (value === undefined) return [];
  if (!isRaw(value)) fail(name, `${key} must map source fields to target paths`);
  return Object.entries(value).map(([from, to]) => ({
    from: path(name, `${key} key`, from),
    to: path(name, `${key}.${from}`, to),
  }));
}

function strings(name: string, key: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    fail(name, `${key} must be a list of strings`);
  }
  return value as string[];
}

const KNOWN = new Set([
  'source',
  'fields',
  'drop',
  'rest',
  'spread',
  'unnamedData',
  'convert',
  'numbers',
  'time',
  'channels',
  'messageAsData',
  'collisions',
]);

/**
 * Validates a parsed mapping file (rules/mappings/winlog-*.yml) and compiles it. Unknown keys and wrong
 * shapes throw `ConfigError(E_CONFIG_WINLOG_MAPPING)`: a typo in a mapping must not silently drop fields.
 *
 * @example
 * const nxlog = compileWinlogMapping(YAML.parse(readFileSync('rules/mappings/winlog-nxlog.yml', 'utf8')), 'winlog-nxlog.yml');
 */
export function compileWinlogMapping(raw: unknown, name = 'mapping'): WinlogMapping {
  if (!isRaw(raw)) fail(name, 'must be a mapping object');
  for (const key of Object.keys(raw)) if (!KNOWN.has(key)) fail(name, `unknown key "${key}"`);
  if (raw['source'] !== 'nxlog' && raw['source'] !== 'ecs')
    fail(name, 'source must be nxlog or ecs');
  const convert = new Map<string, 'hex64'>();
  if (raw['convert'] !== undefined) {
    if (!isRaw(raw['convert'])) fail(name, 'convert must map target paths to conversions');
    for (const [target, how] of Object.entries(raw['convert'])) {
      if (how !== 'hex64') fail(name, `convert.${target}: unknown conversion ${String(how)}`);
      convert.set(target, how);
    }
  }
  let time: WinlogMapping['time'];
  if (raw['time'] !== undefined) {
    const t = raw['time'];
    if (!isRaw(t)) fail(name, 'time must be an object');
    time = {
      field: path(name, 'time.field', t['field']),
      localReceived:
        t['localReceived'] === undefined
          ? undefined
          : path(name, 'time.localReceived', t['localReceived']),
      utcReceived:
        t['utcReceived'] === undefined
          ? undefined
          : path(name, 'time.utcReceived', t['utcReceived']),
    };
  }
  const channels = new Map<string, string>();
  if (raw['channels'] !== undefined) {
    if (!isRaw(raw['channels'])) fail(name, 'channels must map lower-case names to channel names');
    for (const [lower, canonical] of Object.entries(raw['channels'])) {
      if (typeof canonical !== 'string') fail(name, `channels.${lower} must be a string`);
      channels.set(lower.toLowerCase(), canonical);
    }
  }
  const collisions = new Map<string, string>();
  if (raw['collisions'] !== undefined) {
    if (!isRaw(raw['collisions'])) fail(name, 'collisions must map fields to marker fields');
    for (const [field, marker] of Object.entries(raw['collisions'])) {
      if (typeof marker !== 'string') fail(name, `collisions.${field} must be a field name`);
      collisions.set(field, marker);
    }
  }
  let unnamedData: RegExp | undefined;
  if (raw['unnamedData'] !== undefined) {
    if (typeof raw['unnamedData'] !== 'string')
      fail(name, 'unnamedData must be a regular expression');
    try {
      unnamedData = new RegExp(raw['unnamedData']);
    } catch (error) {
      fail(name, `unnamedData: ${(error as Error).message}`);
    }
  }
  return {
    source: raw['source'],
    fields: pairs(name, 'fields', raw['fields']),
    drop: new Set(strings(name, 'drop', raw['drop'])),
    collisions,
    rest: raw['rest'] === undefined ? undefined : path(name, 'rest', raw['rest']),
    spread: pairs(name, 'spread', raw['spread']),
    unnamedData,
    convert,
    numbers: new Set(strings(name, 'numbers', raw['numbers'])),
    time,
    channels,
    messageAsData: new Set(strings(name, 'messageAsData', raw['messageAsData'])),
  };
}
