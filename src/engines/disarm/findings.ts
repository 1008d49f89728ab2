import { defineFinding } from '../../core/index.js';

/**
 * Findings that describe a disarm outcome (`emoguard disarm --json`, the gateway's event log). They are
 * not produced by `scan`: disarm is an action on a document, not an observation of it.
 */
export const activeContentRemoved = defineFinding({
  id: 'disarm.active-content-removed',
  title: 'Active content removed by disarm',
  severity: 'info',
  step: '2',
  attack: ['T1204.002'],
  description:
    'Content disarm took out what can run when the document is opened (VBA projects, XLM macro sheets, ' +
    'ActiveX, OLE objects, external links, remote templates, DDE fields); each removal is one evidence item.',
});

export const disarmRefused = defineFinding({
  id: 'disarm.refused',
  title: 'Document could not be disarmed',
  severity: 'medium',
  step: '2',
  attack: ['T1204.002'],
  description:
    'No safe copy could be made: the document is encrypted with an unknown password, malformed, of a type ' +
    'disarm does not handle (PDF is out of scope), over a limit, or its copy did not re-scan clean. The ' +
    'policy decides what happens to it (quarantine, block, or delivery with a warning).',
});

export const DISARM_FINDINGS = [activeContentRemoved, disarmRefused] as const;
