import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isKnownTechnique } from '../../core/index.js';
import {
  buildCoverageMatrix,
  categoryOfFinding,
  classifyCell,
  displayWidth,
  renderCoverageTable,
  summarizeCoverage,
  toCoverageNavigatorLayer,
  type CoverageScenario,
  type LayerObservation,
  type ObservedFinding,
} from './index.js';

const scenario: CoverageScenario = {
  id: '4-wmi-powershell',
  step: '4',
  technique: 'T1047',
  title: { en: 'WMI starts PowerShell', ja: 'WMI 経由で PowerShell 起動' },
};

function finding(attack: string[], over: Partial<ObservedFinding> = {}): ObservedFinding {
  return {
    id: 'x.y',
    title: 'x',
    severity: 'high',
    step: '4',
    attack,
    source: 'a.doc',
    ...over,
  };
}

function observation(over: Partial<LayerObservation> = {}): LayerObservation {
  return { layer: 'document', inputs: ['a.doc'], isRead: true, findings: [], ...over };
}

describe('coverage: detection category of one finding', () => {
  test('the expected technique → technique', () => {
    assert.equal(categoryOfFinding(finding(['T1047']), 'T1047'), 'technique');
  });
  test('a parent cited for an expected sub-technique, and a sub-technique for a parent → technique', () => {
    assert.equal(categoryOfFinding(finding(['T1566']), 'T1566.002'), 'technique');
    assert.equal(categoryOfFinding(finding(['T1059.001']), 'T1059'), 'technique');
  });
  test('a sibling sub-technique is not the technique: same tactic → tactic', () => {
    assert.equal(categoryOfFinding(finding(['T1059.005']), 'T1059.001'), 'tactic');
  });
  test('a technique of another tactic, or no ATT&CK at all → general', () => {
    assert.equal(categoryOfFinding(finding(['T1105']), 'T1047'), 'general');
    assert.equal(categoryOfFinding(finding([]), 'T1047'), 'general');
  });
  test('an info finding is a recorded fact → telemetry, whatever it cites', () => {
    assert.equal(categoryOfFinding(finding(['T1047'], { severity: 'info' }), 'T1047'), 'telemetry');
  });
});

describe('coverage: one cell', () => {
  test('no input for the layer → n/a', () => {
    assert.equal(classifyCell(scenario, undefined).category, 'n/a');
    assert.equal(classifyCell(scenario, observation({ inputs: [] })).category, 'n/a');
  });
  test('input read, nothing found → telemetry; input not read, nothing found → none', () => {
    assert.equal(classifyCell(scenario, observation()).category, 'telemetry');
    assert.equal(classifyCell(scenario, observation({ isRead: false })).category, 'none');
  });
  test('the best finding decides; scan.* bookkeeping is not a detection', () => {
    const cell = classifyCell(
      scenario,
      observation({
        findings: [
          finding([], { id: 'scan.limit-exceeded', severity: 'medium' }),
          finding(['T1105'], { id: 'b.general' }),
          finding(['T1047'], { id: 'a.technique', severity: 'low' }),
        ],
      }),
    );
    assert.equal(cell.category, 'technique');
    assert.deepEqual(
      cell.findings.map((f) => `${f.id}:${f.category}`),
      ['a.technique:technique', 'b.general:general'],
    );
  });
  test('blocked is kept beside the category', () => {
    const blocked = { action: 'quarantine', reasons: ['verdict malicious → quarantine'] };
    const cell = classifyCell(scenario, observation({ blocked }));
    assert.deepEqual(cell.blocked, blocked);
    assert.equal(cell.category, 'telemetry');
  });
});

describe('coverage: matrix, table, navigator', () => {
  const observations = new Map([
    [
      scenario.id,
      [
        observation({ findings: [finding(['T1047'])] }),
        observation({ layer: 'endpoint', inputs: ['a.jsonl'], findings: [] }),
        observation({ layer: 'endpoint', inputs: ['b.jsonl'], findings: [finding(['T1059.001'])] }),
        observation({
          layer: 'mail',
          inputs: ['m.eml'],
          blocked: { action: 'reject', reasons: [] },
        }),
      ],
    ],
  ]);
  const matrix = buildCoverageMatrix([scenario], observations);

  test('a row keeps only the scenario’s declared fields (a simulation scenario carries its input bytes)', () => {
    const heavy = { ...scenario, inputs: [{ bytes: new Uint8Array(1000) }] };
    const row = buildCoverageMatrix([heavy], new Map()).rows[0]!;
    assert.deepEqual(Object.keys(row.scenario).sort(), ['id', 'step', 'technique', 'title']);
    assert.deepEqual(row.scenario, scenario);
  });

  test('observations of one layer are merged; layers without input are n/a', () => {
    const cells = matrix.rows[0]!.cells;
    assert.equal(cells.document.category, 'technique');
    assert.deepEqual(cells.endpoint.inputs, ['a.jsonl', 'b.jsonl']);
    assert.equal(cells.endpoint.category, 'tactic');
    assert.equal(cells.network.category, 'n/a');
    assert.deepEqual(summarizeCoverage(matrix), {
      technique: 1,
      tactic: 1,
      general: 0,
      telemetry: 1,
      none: 0,
      'n/a': 4,
      blocked: 1,
    });
  });

  test('the table lines up in both languages (CJK counted two columns wide)', () => {
    for (const lang of ['en', 'ja'] as const) {
      const text = renderCoverageTable(matrix, lang);
      const [header, row] = text.split('\n').slice(2, 4) as [string, string];
      assert.match(row, /△ (Tele|記録)\+B +◎ (Tech|技術) +- +○ (Tact|戦術)/);
      // The layer columns start at the same display column in the header and the row.
      const col = (line: string, marker: string) =>
        displayWidth(line.slice(0, line.indexOf(marker)));
      assert.equal(col(header, lang === 'en' ? 'MAIL' : 'メール'), col(row, '△'));
      assert.match(text, lang === 'en' ? /Legend/ : /凡例/);
    }
  });

  test('navigator layer: format 4.5, enterprise-attack, known technique ids, parent shown', () => {
    const layer = toCoverageNavigatorLayer(matrix);
    assert.equal(layer.versions.layer, '4.5');
    assert.equal(layer.domain, 'enterprise-attack');
    const t1047 = layer.techniques.find((t) => t.techniqueID === 'T1047');
    assert.equal(t1047?.score, 4);
    assert.match(t1047?.comment ?? '', /document: technique/);
    for (const t of layer.techniques) assert.ok(isKnownTechnique(t.techniqueID), t.techniqueID);
    const json = JSON.parse(JSON.stringify(layer)) as Record<string, unknown>;
    for (const key of ['name', 'versions', 'domain', 'techniques', 'gradient', 'legendItems'])
      assert.ok(key in json, key);
  });
});
