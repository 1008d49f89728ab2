import type { Engine } from '../core/index.js';
import { archiveEngine } from '../engines/archive/index.js';
import { containerEngine, onenoteEngine } from '../engines/container/index.js';
import { emotetConfigEngine } from '../engines/emotet-config/index.js';
import { lnkEngine } from '../engines/lnk/index.js';
import { mailEngine } from '../engines/mail/index.js';
import { memoryEngine } from '../engines/memory/index.js';
import { offcryptoEngine } from '../engines/offcrypto/index.js';
import { officeEngine } from '../engines/office/index.js';
import { powershellEngine } from '../engines/powershell/index.js';
import { scriptEngine } from '../engines/script/index.js';
import { triageEngine } from '../engines/triage/index.js';
import { vbaEngine } from '../engines/vba/index.js';
import { xlmEngine } from '../engines/xlm/index.js';

/**
 * Every engine the pipeline runs, in order. To add one: create `src/engines/<name>/`, export its Engine
 * from `index.ts`, add it here. `test/architecture.test.ts` fails when an engine folder is missing here.
 */
export const ENGINES: readonly Engine[] = [
  mailEngine,
  archiveEngine,
  containerEngine,
  onenoteEngine,
  lnkEngine,
  offcryptoEngine,
  vbaEngine,
  xlmEngine,
  officeEngine,
  powershellEngine,
  scriptEngine,
  triageEngine,
  memoryEngine,
  emotetConfigEngine,
];

/**
 * Engine folders that are not in ENGINES: built from data the apps load (hash indicators from the store,
 * Sigma and YARA rules), run over hunt events (the Office → WMI → PowerShell → payload chain), or not a
 * scan engine (content disarm, see pipeline/disarm.ts). The apps import them where they build them. They
 * are listed here as loaders, not re-exported, so that the registry still names every engine folder
 * while a scan worker, which imports this file for ENGINES, does not load their code (Sigma, YAML,
 * disarm's writers, intel and log parsers: about 80 modules).
 */
export const ENGINES_BUILT_BY_APPS = {
  ioc: () => import('../engines/ioc/index.js'),
  chain: () => import('../engines/chain/index.js'),
  sigma: () => import('../engines/sigma/index.js'),
  yara: () => import('../engines/yara/index.js'),
  disarm: () => import('../engines/disarm/index.js'),
} as const;
