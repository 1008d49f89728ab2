import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  defineFinding,
  emptyExtracted,
  mergeExtracted,
  STEP_INFO,
  type ExtractedPart,
  type Finding,
  type ScanResult,
  type Verdict,
} from '../core/index.js';
// Tests may build a real store; the report code itself imports only types from store.
import { openSqliteStore, type Store } from '../store/index.js';
import { buildReport, renderHtml, renderJson, renderMarkdown, type ReportModel } from './index.js';

const XSS_PATH = 'inbox/<script>alert(1)</script>.eml';
const XSS_ATTR = '"><img src=x onerror=alert(1)>';
const RTLO = 'invoice\u202Efdp.exe';

const autoexec = defineFinding({
  id: 'vba.autoexec',
  title: 'Macro runs on open',
  severity: 'critical',
  step: '3',
  attack: ['T1059.005', 'T1204.002'],
  description: '',
});
const wmi = defineFinding({
  id: 'vba.wmi-process',
  title: 'Macro starts a process through WMI | `pipe`',
  severity: 'high',
  step: '4',
  attack: ['T1047', 'T9999'],
  description: '',
});
const attachment = defineFinding({
  id: 'mail.office-attachment',
  title: 'Macro-enabled Office attachment',
  severity: 'medium',
  step: '1',
  attack: ['T1566.001'],
  description: '',
});

let n = 0;
function node(
  path: string,
  verdict: Verdict,
  findings: Finding[] = [],
  children: ScanResult[] = [],
  extracted?: ExtractedPart,
): ScanResult {
  n += 1;
  return {
    path,
    sha256: n.toString(16).padStart(64, 'a'),
    size: n * 10,
    type: 'ole',
    verdict,
    findings,
    extracted: mergeExtracted(emptyExtracted(), extracted),
    children,
  };
}

function buildTree(): ScanResult {
  const macro = node(
    `${XSS_PATH}!${RTLO}!Macros/VBA/ThisDocument`,
    'malicious',
    [
      wmi({ text: 'GetObject("winmgmts:")\n.Create "powershell -enc …"', line: 12 }),
      autoexec([
        { text: `<script>alert(1)</script> ${XSS_ATTR}`, location: XSS_ATTR },
        { note: 'decoded: http://malicious.example.com/payload.exe' },
      ]),
    ],
    [],
    {
      iocs: {
        urls: ['http://malicious.example.com/payload.exe', 'https://198.51.100.7/<x>'],
        domains: ['malicious.example.com'],
        ips: ['198.51.100.7'],
        emails: ['billing@example.com'],
      },
    },
  );
  const doc = node(`${XSS_PATH}!${RTLO}`, 'malicious', [], [macro]);
  const clean = node(`${XSS_PATH}!readme.txt`, 'clean');
  return node(XSS_PATH, 'malicious', [attachment({ text: RTLO })], [doc, clean]);
}

describe('report', () => {
  let store: Store;
  let scanId: number;
  let model: ReportModel;
  const now = new Date('2024-06-01T12:00:00.000Z');

  before(async () => {
    store = openSqliteStore(':memory:');
    await store.migrate();
    scanId = await store.beginScan({
      command: 'scan',
      args: ['inbox/', '--store'],
      host: 'pc-1',
      startedAt: new Date('2024-06-01T11:00:00.000Z'),
    });
    await store.saveResults(scanId, [buildTree(), node('other/plain.txt', 'clean')]);
    await store.finishScan(scanId, {
      finishedAt: new Date('2024-06-01T11:01:00.000Z'),
      inputs: 2,
      malicious: 1,
      suspicious: 0,
      clean: 1,
      errors: 0,
    });
    const other = await store.beginScan({ command: 'scan', args: [] });
    await store.saveResults(other, [node('elsewhere.doc', 'suspicious', [wmi()])]);
    model = await buildReport(store, { scanId, now });
  });
  after(async () => store.close());

  test('report model: scope counts only the chosen scan', () => {
    assert.equal(model.generatedAt, '2024-06-01T12:00:00.000Z');
    assert.deepEqual(model.scan, {
      id: scanId,
      command: 'scan',
      args: ['inbox/', '--store'],
      host: 'pc-1',
      startedAt: '2024-06-01T11:00:00.000Z',
      finishedAt: '2024-06-01T11:01:00.000Z',
      errors: 0,
    });
    assert.deepEqual(model.scope, {
      inputs: 2,
      artifacts: 5,
      findings: 3,
      inputsByVerdict: { clean: 1, suspicious: 0, malicious: 1 },
      findingsBySeverity: { info: 0, low: 0, medium: 1, high: 1, critical: 1 },
    });
  });

  test('report model: kill chain has every step in order with counts, worst severity, titles', () => {
    assert.deepEqual(
      model.killChain.map((k) => [k.mark, k.findings, k.worstSeverity, k.topFindings]),
      [
        ['①', 1, 'medium', ['Macro-enabled Office attachment']],
        ['②', 0, null, []],
        ['③', 1, 'critical', ['Macro runs on open']],
        ['④', 1, 'high', ['Macro starts a process through WMI | `pipe`']],
        ['⑤', 0, null, []],
        ['⑥', 0, null, []],
        ['⑦', 0, null, []],
      ],
    );
    assert.equal(model.killChain[2]!.name, STEP_INFO['3'].en);
  });

  test('report model: flagged artifacts, worst finding first, ATT&CK names from core', () => {
    assert.deepEqual(
      model.artifacts.map((a) => [a.path, a.verdict, a.findings.map((f) => f.ruleId)]),
      [
        [XSS_PATH, 'malicious', ['mail.office-attachment']],
        [`${XSS_PATH}!${RTLO}`, 'malicious', []],
        [
          `${XSS_PATH}!${RTLO}!Macros/VBA/ThisDocument`,
          'malicious',
          ['vba.autoexec', 'vba.wmi-process'],
        ],
      ],
    );
    const wmiFinding = model.artifacts[2]!.findings[1]!;
    assert.equal(wmiFinding.mark, '④');
    assert.deepEqual(wmiFinding.attack, [
      { id: 'T1047', name: 'Windows Management Instrumentation' },
      { id: 'T9999', name: null },
    ]);
    assert.equal(model.artifactsOmitted, 0);
  });

  test('report model: IOCs and techniques', () => {
    assert.deepEqual(model.iocs.domains, [{ value: 'malicious.example.com', artifacts: 1 }]);
    assert.equal(model.iocs.urls.length, 2);
    assert.deepEqual(model.iocs.emails, [{ value: 'billing@example.com', artifacts: 1 }]);
    assert.deepEqual(
      model.techniques.map((t) => [t.id, t.name, t.findings]),
      [
        ['T1047', 'Windows Management Instrumentation', 1],
        ['T1059.005', 'Command and Scripting Interpreter: Visual Basic', 1],
        ['T1204.002', 'User Execution: Malicious File', 1],
        ['T1566.001', 'Phishing: Spearphishing Attachment', 1],
        ['T9999', null, 1],
      ],
    );
  });

  test('report model: a whole-store report, limits, unknown scan, unknown language', async () => {
    const all = await buildReport(store, { now });
    assert.equal(all.scan, null);
    assert.equal(all.scope.inputs, 3);
    assert.equal(all.killChain[3]!.findings, 2);
    const cut = await buildReport(store, { now, maxArtifacts: 1, maxIocs: 1 });
    assert.equal(cut.artifacts.length, 1);
    assert.equal(cut.artifactsOmitted, 3);
    assert.equal(cut.iocs.urls.length, 1);
    assert.equal(cut.isIocListTruncated, true);
    await assert.rejects(buildReport(store, { scanId: 999 }), { code: 'E_REPORT_SCAN_NOT_FOUND' });
    await assert.rejects(buildReport(store, { lang: 'fr' as 'en' }), { code: 'E_REPORT_LANG' });
    await assert.rejects(buildReport(store, { maxArtifacts: -1 }), { code: 'E_REPORT_OPTION' });
  });

  test('renderJson: the model, exactly, with IOCs not defanged', () => {
    const json = renderJson(model);
    assert.deepEqual(JSON.parse(json), model);
    assert.ok(json.includes('http://malicious.example.com/payload.exe'));
  });

  test('renderMarkdown: golden lines for header, scope, kill chain, artifacts, IOCs, techniques', () => {
    const md = renderMarkdown(model);
    for (const line of [
      '# emoguard report',
      '- Generated: 2024-06-01 12:00:00 UTC',
      `- Scan: #${scanId} — Command: scan inbox/ --store`,
      '- Host: pc-1',
      '| 2 | 1 | 0 | 1 | 5 | 3 |',
      '| 1 | 1 | 1 | 0 | 0 |',
      '| ③ | Macros are enabled and run | 1 | critical | Macro runs on open |',
      '| ④ | The macro starts PowerShell through WMI | 1 | high | Macro starts a process through WMI \\| \\`pipe\\` |',
      '| ② | The user opens the document | 0 | – |  |',
      '### 1. Malicious: inbox/\\<script\\>alert(1)\\</script\\>.eml',
      'No findings of its own: flagged because of what it contains.',
      // `[` is escaped like every Markdown character from input; viewers show `hxxp://malicious[.]example…`
      '| hxxp://malicious\\[.\\]example\\[.\\]com/payload.exe | 1 |',
      '| malicious\\[.\\]example\\[.\\]com | 1 |',
      '| 198\\[.\\]51\\[.\\]100\\[.\\]7 | 1 |',
      '| billing\\[@\\]example\\[.\\]com | 1 |',
      '| T1047 | Windows Management Instrumentation | 1 |',
      '| T9999 |  | 1 |',
    ]) {
      assert.ok(md.split('\n').includes(line), `missing line: ${line}`);
    }
  });

  test('renderMarkdown: hostile text stays inside its table cell, and no link is live', () => {
    const md = renderMarkdown(model);
    const lines = md.split('\n');
    let columns = 0;
    for (const line of lines) {
      if (!line.startsWith('|')) {
        columns = 0;
        continue;
      }
      // Unescaped pipes only: a cell that leaked one would change the count.
      const pipes = line.replace(/\\./g, '').split('|').length - 1;
      if (columns === 0) columns = pipes;
      assert.equal(pipes, columns, `row breaks its table: ${line}`);
    }
    assert.doesNotMatch(md, /https?:\/\//);
    assert.doesNotMatch(
      md.replaceAll('<br>', ''),
      /(?<!\\)[<`]/,
      'only escaped < and ` from input',
    );
    assert.ok(!md.includes('\u202E'), 'no raw right-to-left override');
    assert.ok(md.includes('invoice⟨U+202E⟩fdp.exe'));
    assert.ok(md.includes('GetObject("winmgmts:")<br>.Create'), 'newline inside a cell → <br>');
  });

  test('renderHtml: self-contained, CSP, no script, every input string escaped', () => {
    const html = renderHtml(model);
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.ok(
      html.includes(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
      ),
    );
    assert.ok(!html.toLowerCase().includes('<script'), 'no script element');
    assert.ok(!html.includes('<img'), 'no injected image');
    assert.ok(!html.includes(XSS_ATTR), 'attribute breakout not present verbatim');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'));
    const tags = new Set(
      [...html.matchAll(/<\/?([a-zA-Z!][\w-]*)/g)].map((m) => m[1]!.toLowerCase()),
    );
    const allowed = [
      '!doctype',
      'html',
      'head',
      'meta',
      'title',
      'style',
      'body',
      'h1',
      'h2',
      'h3',
    ];
    allowed.push(
      'ul',
      'li',
      'section',
      'article',
      'p',
      'span',
      'table',
      'tr',
      'th',
      'td',
      'br',
      'div',
    );
    assert.deepEqual(
      [...tags].filter((t) => !allowed.includes(t)),
      [],
    );
    assert.doesNotMatch(html, /<[^>]*\son\w+\s*=/i, 'no event-handler attribute inside a tag');
    assert.doesNotMatch(html, /https?:\/\/|href=|src=["']/i, 'no live link or remote resource');
    assert.ok(!html.includes('\u202E'));
    assert.ok(html.includes('hxxp://malicious[.]example[.]com/payload.exe'));
    assert.ok(html.includes('hxxps://198[.]51[.]100[.]7/&lt;x&gt;'));
  });

  test('renderers: Japanese labels and step names', async () => {
    const ja = await buildReport(store, { scanId, now, lang: 'ja' });
    assert.equal(ja.killChain[2]!.name, STEP_INFO['3'].ja);
    const md = renderMarkdown(ja);
    assert.ok(md.startsWith('# emoguard レポート'));
    assert.ok(md.includes('## キルチェーン'));
    assert.ok(md.includes(`| ③ | ${STEP_INFO['3'].ja} | 1 | 重大 | Macro runs on open |`));
    const html = renderHtml(ja);
    assert.ok(html.includes('<html lang="ja">'));
    assert.ok(html.includes('侵害指標 (IOC)'));
  });

  test('renderers: an empty store renders with "None." sections', async () => {
    const empty = openSqliteStore(':memory:');
    await empty.migrate();
    const m = await buildReport(empty, { now });
    await empty.close();
    assert.deepEqual(m.artifacts, []);
    assert.ok(renderMarkdown(m).includes('None.'));
    assert.ok(renderHtml(m).includes('<p>None.</p>'));
  });
});
