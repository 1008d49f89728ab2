/**
 * @module demo — the inert simulated Emotet incident behind `emoguard demo` and `make demo`.
 *
 * @example
 * for (const file of await buildDemoCorpus()) console.log(file.path, file.what);
 */
export { buildDemoCorpus } from './corpus.js';
export type { DemoFile } from './corpus.js';
export { DEMO_MAIL, DEMO_POWERSHELL, demoMacroModules } from './content.js';
