/**
 * A small measured coverage matrix for report tests: real classification (correlate/coverage) over
 * hand-written observations, so report goldens do not move when the simulation or the rules change.
 * One sub-step title carries markup and a table pipe to prove the renderers escape it.
 */
import {
  buildCoverageMatrix,
  type CoverageMatrix,
  type CoverageScenario,
  type LayerObservation,
  type ObservedFinding,
} from '../../src/correlate/coverage/index.js';

export const HOSTILE_SCENARIO_TITLE = '<img src=x onerror=alert(1)> | thread hijack';

const SCENARIOS: CoverageScenario[] = [
  {
    id: '1-attachment',
    step: '1',
    technique: 'T1566.001',
    title: { en: 'Mail with a macro document', ja: 'マクロ付き文書のメール' },
  },
  {
    id: '1-hijack',
    step: '1',
    technique: 'T1566.001',
    title: { en: HOSTILE_SCENARIO_TITLE, ja: `スレッド乗っ取り ${HOSTILE_SCENARIO_TITLE}` },
  },
  {
    id: '4-wmi-powershell',
    step: '4',
    technique: 'T1047',
    title: { en: 'WMI starts PowerShell', ja: 'WMI 経由で PowerShell 起動' },
  },
  {
    id: '6-c2',
    step: '6',
    technique: 'T1071.001',
    title: { en: 'C2 check-in over HTTP', ja: 'HTTP による C2 通信' },
  },
];

function finding(id: string, attack: string[], severity: ObservedFinding['severity'] = 'high') {
  return { id, title: id, severity, step: '1' as const, attack, source: 'input' };
}

function seen(layer: LayerObservation['layer'], over: Partial<LayerObservation> = {}) {
  return { layer, inputs: [`${layer}.in`], isRead: true, findings: [], ...over };
}

/** Technique, tactic, general, telemetry, none, n/a and blocked cells, in both languages. */
export function buildCoverageMatrixFixture(): CoverageMatrix {
  const blocked = { action: 'quarantine', reasons: ['verdict malicious → quarantine'] };
  const observations = new Map<string, LayerObservation[]>([
    [
      '1-attachment',
      [
        seen('mail', { findings: [finding('mail.macro-attachment', ['T1566.001'])], blocked }),
        seen('document', { findings: [finding('vba.autoexec', ['T1204.002'])] }),
        seen('disarm', { blocked: { action: 'disarm', reasons: ['vba-project'] } }),
      ],
    ],
    [
      '1-hijack',
      [seen('mail', { findings: [finding('mail.reply-chain', [], 'medium')] }), seen('document')],
    ],
    [
      '4-wmi-powershell',
      [
        seen('document', { findings: [finding('vba.wmi-process-create', ['T1047'])] }),
        seen('endpoint', { findings: [finding('sigma.wmi-child', ['T1059.001'])] }),
      ],
    ],
    [
      '6-c2',
      [
        seen('network', { findings: [finding('ioc.c2-url', ['T1071.001'])] }),
        seen('memory', { isRead: false }),
        seen('response', { findings: [finding('triage.note', [], 'info')] }),
      ],
    ],
  ]);
  return buildCoverageMatrix(SCENARIOS, observations);
}
