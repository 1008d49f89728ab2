import type { Severity, Verdict } from '../core/index.js';

export const REPORT_LANGS = ['en', 'ja'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

/** Every fixed word a report prints. Step names come from core's STEP_INFO, technique names from ATT&CK. */
export interface ReportLabels {
  title: string;
  generated: string;
  scan: string;
  allScans: string;
  command: string;
  host: string;
  started: string;
  finished: string;
  running: string;
  scope: string;
  inputs: string;
  artifacts: string;
  findings: string;
  scanErrors: string;
  verdicts: Record<Verdict, string>;
  severities: Record<Severity, string>;
  killChain: string;
  step: string;
  stage: string;
  worst: string;
  topFindings: string;
  flagged: string;
  path: string;
  type: string;
  size: string;
  verdict: string;
  finding: string;
  severity: string;
  attack: string;
  evidence: string;
  viaChildren: string;
  iocs: string;
  iocNote: string;
  iocKinds: { urls: string; domains: string; ips: string; emails: string };
  value: string;
  /** Column of the IOC tables: how many artifacts a value was extracted from. */
  seenIn: string;
  techniques: string;
  technique: string;
  /** Section of the measured coverage matrix, and the line saying how it was measured. */
  coverage: string;
  coverageNote: string;
  subStep: string;
  none: string;
  /** "and 12 more not shown" */
  omitted: (count: number) => string;
  truncated: string;
}

export const LABELS: Readonly<Record<ReportLang, ReportLabels>> = {
  en: {
    title: 'emoguard report',
    generated: 'Generated',
    scan: 'Scan',
    allScans: 'All stored scans',
    command: 'Command',
    host: 'Host',
    started: 'Started',
    finished: 'Finished',
    running: 'not finished',
    scope: 'Scope',
    inputs: 'Inputs',
    artifacts: 'Artifacts (with extracted content)',
    findings: 'Findings',
    scanErrors: 'Errors',
    verdicts: { malicious: 'Malicious', suspicious: 'Suspicious', clean: 'Clean' },
    severities: { critical: 'critical', high: 'high', medium: 'medium', low: 'low', info: 'info' },
    killChain: 'Kill chain',
    step: 'Step',
    stage: 'Stage',
    worst: 'Worst',
    topFindings: 'Top findings',
    flagged: 'Malicious and suspicious artifacts',
    path: 'Path',
    type: 'Type',
    size: 'Size',
    verdict: 'Verdict',
    finding: 'Finding',
    severity: 'Severity',
    attack: 'ATT&CK',
    evidence: 'Evidence',
    viaChildren: 'No findings of its own: flagged because of what it contains.',
    iocs: 'Indicators of compromise',
    iocNote: 'Defanged: hxxp, [.] and [@] stop them from becoming live links.',
    iocKinds: { urls: 'URLs', domains: 'Domains', ips: 'IP addresses', emails: 'Email addresses' },
    value: 'Value',
    seenIn: 'Artifacts',
    techniques: 'ATT&CK techniques seen',
    technique: 'Technique',
    coverage: 'Coverage matrix',
    coverageNote:
      'What each emoguard layer returned when the built-in inert Emotet simulation was played through it at report time (emoguard coverage): a property of this installation, not of the incident.',
    subStep: 'Sub-step (technique)',
    none: 'None.',
    omitted: (n) => `… and ${n} more not shown.`,
    truncated: '… list cut at the report limit.',
  },
  ja: {
    title: 'emoguard レポート',
    generated: '生成日時',
    scan: 'スキャン',
    allScans: '保存済みの全スキャン',
    command: 'コマンド',
    host: 'ホスト',
    started: '開始',
    finished: '終了',
    running: '未完了',
    scope: '対象範囲',
    inputs: '入力ファイル',
    artifacts: 'アーティファクト (抽出物を含む)',
    findings: '検出',
    scanErrors: 'エラー',
    verdicts: { malicious: '悪性', suspicious: '疑わしい', clean: '問題なし' },
    severities: { critical: '重大', high: '高', medium: '中', low: '低', info: '情報' },
    killChain: 'キルチェーン',
    step: '段階',
    stage: '内容',
    worst: '最大深刻度',
    topFindings: '主な検出',
    flagged: '悪性・疑わしいアーティファクト',
    path: 'パス',
    type: '種別',
    size: 'サイズ',
    verdict: '判定',
    finding: '検出',
    severity: '深刻度',
    attack: 'ATT&CK',
    evidence: '証跡',
    viaChildren: 'それ自体の検出はなし: 内包するファイルにより判定。',
    iocs: '侵害指標 (IOC)',
    iocNote: '無害化表記: hxxp・[.]・[@] によりリンクとして機能しません。',
    iocKinds: { urls: 'URL', domains: 'ドメイン', ips: 'IP アドレス', emails: 'メールアドレス' },
    value: '値',
    seenIn: '出現数',
    techniques: '確認された ATT&CK テクニック',
    technique: 'テクニック',
    coverage: '検知範囲マトリクス',
    coverageNote:
      'レポート作成時に、組み込みの無害な Emotet 模擬攻撃を emoguard の各レイヤーに通して得た実測結果です (emoguard coverage)。インシデントではなく、この環境の性質を示します。',
    subStep: '攻撃の段階 (技術)',
    none: 'なし。',
    omitted: (n) => `… ほか ${n} 件は省略。`,
    truncated: '… レポートの上限で省略。',
  },
};
