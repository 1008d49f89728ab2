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

/** Built from data the apps load (hash indicators from the store); apps append it to ENGINES. */
export { createHashIocEngine } from '../engines/ioc/index.js';

/** The Office → WMI → PowerShell → payload chain detector for `emoguard hunt`. */
export { createChainEngine } from '../engines/chain/index.js';

/** The Sigma hunt engine (`emoguard hunt`), built from the rule text the apps load. */
export { createSigmaEngine } from '../engines/sigma/index.js';

/** YARA over every artifact and memory region, built from the rules the apps load (apps/yara-backend). */
export { createYaraEngine } from '../engines/yara/index.js';

/** Content disarm (`emoguard disarm`, the gateway's `disarm` action): not a scan engine; see pipeline/disarm.ts. */
export { DISARM_FINDINGS } from '../engines/disarm/index.js';
