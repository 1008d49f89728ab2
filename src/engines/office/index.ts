/**
 * @module office — the Office carriers other than macros (steps ② and ④): embedded OLE objects and
 * packages (MS-OLEDS), RTF objects (rtfobj-class), Equation Editor exploits (CVE-2017-11882), DDE and
 * DDEAUTO fields (T1559.002), remote templates and external relationships (T1221, ECMA-376 Part 2 §9.3),
 * ActiveMime blobs in MHTML and Word 2003 XML, flat OPC, PowerPoint ExOleObjStg, DDE links of .xls
 * and of Excel 2.x–4.0 (BIFF2–4) files. Every embedded object
 * becomes a child (relation `embedded`) so that the vba engine and the others scan it in turn.
 *
 * @example
 * const out = await officeEngine.analyze(ctx); // office.dde-command-execution for a DDEAUTO cmd field
 */
import type { Engine } from '../../core/index.js';
import { analyzeOffice } from './analyze.js';
import { OFFICE_FINDINGS } from './findings.js';

export const officeEngine: Engine = {
  name: 'office',
  types: ['ole', 'ooxml', 'rtf', 'mhtml', 'xml', 'activemime', 'biff'],
  // scan.parse-error and scan.limit-exceeded are reported too; core declares them (SCAN_FINDINGS).
  findings: OFFICE_FINDINGS,
  analyze: analyzeOffice,
};

export { OFFICE_FINDINGS } from './findings.js';
