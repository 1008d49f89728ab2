import type { IncidentKind, IncidentStatus } from '../store/index.js';
import type { Layer } from '../correlate/types.js';
import type { ReportLang } from './labels.js';

/** Task states of the response checklist. */
export const TASK_STATUSES = ['done', 'todo', 'na'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Fixed words of the incident report and of the store report's incident list. */
export interface IncidentLabels {
  title: string;
  incidents: string;
  incident: string;
  status: string;
  statuses: Record<IncidentStatus, string>;
  owner: string;
  created: string;
  updated: string;
  summary: string;
  firstSeen: string;
  lastSeen: string;
  stepsObserved: string;
  hosts: string;
  users: string;
  mailboxes: string;
  externalContacts: string;
  lateral: string;
  shared: string;
  progression: string;
  observed: string;
  blocked: string;
  layers: Record<Layer, string>;
  layer: string;
  layerTable: string;
  detected: string;
  timeline: string;
  time: string;
  storeTime: string;
  what: string;
  scopeTitle: string;
  address: string;
  reasons: Record<'correspondent' | 'address-book' | 'impersonated', string>;
  reason: string;
  via: string;
  from: string;
  to: string;
  protocol: string;
  kind: string;
  others: string;
  iocKinds: Record<'url' | 'domain' | 'ip' | 'email' | 'sha256' | 'file', string>;
  feeds: string;
  sources: string;
  attackByStep: string;
  tactic: string;
  mails: string;
  processTree: string;
  notes: string;
  subjectOf: string;
  kinds: Record<IncidentKind, string>;
  subject: string;
  date: string;
  attachments: string;
  checklist: string;
  checklistNote: string;
  task: string;
  taskStatuses: Record<TaskStatus, string>;
  yes: string;
  no: string;
}

export const INCIDENT_LABELS: Readonly<Record<ReportLang, IncidentLabels>> = {
  en: {
    title: 'emoguard incident report',
    incidents: 'Incidents',
    incident: 'Incident',
    status: 'Status',
    statuses: {
      new: 'new',
      investigating: 'investigating',
      contained: 'contained',
      remediated: 'remediated',
      closed: 'closed',
    },
    owner: 'Owner',
    created: 'Opened',
    updated: 'Updated',
    summary: 'Summary',
    firstSeen: 'First seen',
    lastSeen: 'Last seen',
    stepsObserved: 'Steps observed',
    hosts: 'Hosts',
    users: 'Accounts',
    mailboxes: 'Mailboxes',
    externalContacts: 'External contacts',
    lateral: 'Lateral movement',
    shared: 'Indicators shared with other hosts',
    progression: 'Kill-chain progression',
    observed: 'Observed',
    blocked: 'Blocked',
    layers: {
      mail: 'Mail',
      document: 'Document',
      disarm: 'Disarm',
      endpoint: 'Endpoint',
      network: 'Network',
      memory: 'Memory',
      response: 'Response',
    },
    layer: 'Layer',
    layerTable: 'What each layer detected or blocked',
    detected: 'Detected',
    timeline: 'Timeline',
    time: 'Time',
    storeTime: '(time stored, not the event time)',
    what: 'What happened',
    scopeTitle: 'Affected hosts, accounts and contacts',
    address: 'Address',
    reasons: {
      correspondent: 'correspondent in a stolen mailbox',
      'address-book': 'in a stolen address book',
      impersonated: 'used as the sender of attack mail',
    },
    reason: 'Why exposed',
    via: 'Via',
    from: 'From',
    to: 'To',
    protocol: 'Protocol',
    kind: 'Kind',
    others: 'Also seen by',
    iocKinds: {
      url: 'URL',
      domain: 'Domain',
      ip: 'IP address',
      email: 'Email address',
      sha256: 'SHA-256',
      file: 'File',
    },
    feeds: 'Feeds',
    sources: 'Seen in',
    attackByStep: 'ATT&CK techniques by step',
    tactic: 'Tactic',
    mails: 'Delivering mails',
    processTree: 'Process tree',
    notes: 'Notes',
    subjectOf: 'About',
    kinds: { host: 'host', mailbox: 'mailbox' },
    subject: 'Subject',
    date: 'Date',
    attachments: 'Attachments',
    checklist: 'Response checklist (JPCERT/CC Emotet guidance)',
    checklistNote:
      'Status is derived from the stored evidence where it can be; tasks marked "to do" need a person.',
    task: 'Task',
    taskStatuses: { done: 'done', todo: 'to do', na: 'n/a' },
    yes: 'yes',
    no: 'no',
  },
  ja: {
    title: 'emoguard インシデント報告書',
    incidents: 'インシデント',
    incident: 'インシデント',
    status: '状態',
    statuses: {
      new: '新規',
      investigating: '調査中',
      contained: '封じ込め済み',
      remediated: '復旧済み',
      closed: '完了',
    },
    owner: '担当者',
    created: '起票',
    updated: '更新',
    summary: '概要',
    firstSeen: '初回確認',
    lastSeen: '最終確認',
    stepsObserved: '確認された段階',
    hosts: '端末',
    users: 'アカウント',
    mailboxes: 'メールアカウント',
    externalContacts: '外部の連絡先',
    lateral: '横展開',
    shared: '他の端末と共通する指標',
    progression: '攻撃の進行状況',
    observed: '確認',
    blocked: '遮断',
    layers: {
      mail: 'メール',
      document: '文書',
      disarm: '無害化',
      endpoint: 'エンドポイント',
      network: 'ネットワーク',
      memory: 'メモリ',
      response: 'インシデント対応',
    },
    layer: '防御層',
    layerTable: '各防御層の検知・遮断状況',
    detected: '検知',
    timeline: 'タイムライン',
    time: '日時',
    storeTime: '(記録日時。発生日時ではありません)',
    what: '事象',
    scopeTitle: '影響を受けた端末・アカウント・連絡先',
    address: 'アドレス',
    reasons: {
      correspondent: '窃取されたメールボックス内のやり取りの相手',
      'address-book': '窃取されたアドレス帳に記載',
      impersonated: '攻撃メールの送信者として詐称',
    },
    reason: '影響の理由',
    via: '経路',
    from: '送信元',
    to: '宛先',
    protocol: 'プロトコル',
    kind: '種別',
    others: 'ほかに確認された端末',
    iocKinds: {
      url: 'URL',
      domain: 'ドメイン',
      ip: 'IP アドレス',
      email: 'メールアドレス',
      sha256: 'SHA-256',
      file: 'ファイル',
    },
    feeds: '脅威情報フィード',
    sources: '出現箇所',
    attackByStep: '段階ごとの ATT&CK テクニック',
    tactic: '戦術',
    mails: '攻撃メール',
    processTree: 'プロセスツリー',
    notes: '対応メモ',
    subjectOf: '対象',
    kinds: { host: '端末', mailbox: 'メールアカウント' },
    subject: '件名',
    date: '日時',
    attachments: '添付ファイル',
    checklist: '対応チェックリスト (JPCERT/CC の Emotet 対応に基づく)',
    checklistNote:
      '状態は記録された証跡から可能な範囲で自動判定しています。「未対応」の項目は担当者による対応が必要です。',
    task: '対応項目',
    taskStatuses: { done: '完了', todo: '未対応', na: '対象外' },
    yes: 'あり',
    no: 'なし',
  },
};
