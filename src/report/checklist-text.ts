import type { ReportLang } from './labels.js';

/**
 * The response tasks JPCERT/CC gives for an Emotet infection ("マルウエアEmotetへの対応FAQ",
 * https://blogs.jpcert.or.jp/ja/2019/12/emotetfaq.html, and its EmoCheck guidance), in its order,
 * with the wording a Japanese responder expects.
 */
export const CHECKLIST_TASK_IDS = [
  'isolate',
  'emocheck',
  'mail-password',
  'credentials',
  'sweep',
  'c2-logs',
  'secondary',
  'outbound-mail',
  'notify',
  'reimage',
  'prevention',
  'privacy',
] as const;
export type ChecklistTaskId = (typeof CHECKLIST_TASK_IDS)[number];

export interface TaskText {
  title: string;
  /** What to do, one or two sentences. */
  how: string;
}

/** Phrases of the auto-filled evidence; values in them are raw input, escaped by the renderers. */
export interface EvidencePhrases {
  status: (s: string) => string;
  notReached: (steps: string) => string;
  hostIs: (host: string) => string;
  run: (command: string, id: number, at: string, inputs: number) => string;
  noRun: (command: string) => string;
  triaged: (done: number, total: number) => string;
  notTriaged: (hosts: string) => string;
  shared: (kind: string, value: string, others: string) => string;
  family: (name: string, where: string) => string;
  noFamily: string;
  mailboxes: (list: string) => string;
  users: (list: string) => string;
  contacts: (n: number) => string;
  impersonated: (n: number) => string;
  mailsSeen: (n: number) => string;
  reached: (mark: string, name: string) => string;
  stopped: (mark: string, layers: string) => string;
  more: (n: number) => string;
}

export interface ChecklistText {
  tasks: Record<ChecklistTaskId, TaskText>;
  evidence: EvidencePhrases;
  /** Prevention advice per kill-chain step that was reached. */
  prevention: Partial<Record<'1' | '3' | '4' | '5' | '6', string>>;
}

export const CHECKLIST_TEXT: Readonly<Record<ReportLang, ChecklistText>> = {
  en: {
    tasks: {
      isolate: {
        title: 'Isolate the infected host and preserve evidence',
        how: 'Disconnect it from the network (keep it powered on) and take memory, disk and log images before changing anything.',
      },
      emocheck: {
        title: 'Confirm with EmoCheck; remove the binary and its autostart entries',
        how: 'Run EmoCheck (or emoguard triage on a snapshot); delete the reported file and its Run key, service or scheduled task.',
      },
      'mail-password': {
        title: 'Change the passwords of the mail accounts used on the host',
        how: 'Emotet steals mail credentials and sends spam through them.',
      },
      credentials: {
        title: 'Change credentials saved in the OS and browsers',
        how: 'Saved browser, Windows and application passwords on the host must be treated as stolen.',
      },
      sweep: {
        title: 'Sweep every host in the organisation',
        how: 'Run EmoCheck or emoguard triage on all hosts, starting with those that share indicators with this one.',
      },
      'c2-logs': {
        title: 'Check proxy and firewall logs for C2 traffic',
        how: 'Search the logs for the C2 addresses found here (emoguard hunt --intel), for every host.',
      },
      secondary: {
        title:
          'Look for secondary infections (TrickBot, QakBot, IcedID, Ursnif, Cobalt Strike, ransomware)',
        how: 'Emotet delivers other malware; scan memory and disks of the host and the hosts it reached.',
      },
      'outbound-mail': {
        title: 'Review outbound mail',
        how: 'Check the mail server logs for mail the infected account or host sent since the infection.',
      },
      notify: {
        title: 'Warn partners whose addresses may have been stolen',
        how: 'Tell correspondents that mail in your name may be fake, with the indicators to block.',
      },
      reimage: {
        title: 'Re-image the infected host',
        how: 'Reinstall the OS from known-good media; removing files alone may leave secondary malware.',
      },
      prevention: {
        title: 'Prevent recurrence',
        how: 'Close the gaps the attack used (below).',
      },
      privacy: {
        title: 'Decide on reporting a personal-data breach',
        how: 'Stolen mail and address books are personal data: decide on notifying the regulator (Japan: the Personal Information Protection Commission, preliminary report within 3–5 days) and the people concerned.',
      },
    },
    evidence: {
      status: (s) => `Incident status: ${s}`,
      notReached: (steps) => `The attack did not get past ${steps}: no code ran on the host.`,
      hostIs: (host) => `Host: ${host}`,
      run: (c, id, at, n) => `${c} #${id} at ${at} over ${n} input(s)`,
      noRun: (c) => `No ${c} run has stored results for this host.`,
      triaged: (d, t) => `${d} of ${t} known host(s) triaged.`,
      notTriaged: (hosts) => `Not triaged yet: ${hosts}`,
      shared: (k, v, o) => `${k} ${v} also seen by ${o}`,
      family: (name, where) => `${name}: ${where}`,
      noFamily: 'No finding names a secondary family.',
      mailboxes: (l) => `Mailboxes: ${l}`,
      users: (l) => `Accounts: ${l}`,
      contacts: (n) => `${n} external address(es) may be exposed.`,
      impersonated: (n) => `${n} address(es) were used as the sender of attack mail.`,
      mailsSeen: (n) => `${n} delivering mail(s) in the store.`,
      reached: (m, n) => `Reached ${m} ${n}`,
      stopped: (m, l) => `Stopped at ${m} by ${l}`,
      more: (n) => `… and ${n} more`,
    },
    prevention: {
      '1': 'Quarantine macro documents and password-protected ZIPs at the mail gateway (emoguard filter).',
      '3': 'Block macros in files from the internet (Mark of the Web) by group policy.',
      '4': 'Enable the ASR rule that blocks process creation from WMI; alert on WmiPrvSE → PowerShell.',
      '5': 'Restrict PowerShell (Constrained Language Mode, script block logging) and filter downloads at the proxy.',
      '6': 'Block the C2 addresses at the firewall and subscribe to Feodo Tracker / JPCERT/CC alerts.',
    },
  },
  ja: {
    tasks: {
      isolate: {
        title: '感染端末の隔離と証拠保全',
        how: '感染端末をネットワークから切り離し (電源は切らない)、変更を加える前にメモリ・ディスク・ログを保全してください。',
      },
      emocheck: {
        title: 'EmoCheck による感染確認と、実行ファイル・自動起動設定の削除',
        how: 'EmoCheck (またはスナップショットに対する emoguard triage) を実行し、検知されたファイルとレジストリの Run キー、サービス、タスクを削除してください。',
      },
      'mail-password': {
        title: '感染端末で利用していたメールアカウントのパスワード変更',
        how: 'Emotet はメールアカウントの認証情報を窃取し、スパムメールの送信に悪用します。',
      },
      credentials: {
        title: '感染端末に保存されていた OS・Web ブラウザーの認証情報の変更',
        how: '端末に保存されていた Web ブラウザー、Windows、アプリケーションのパスワードは窃取されたものとして扱ってください。',
      },
      sweep: {
        title: '組織内の全端末の調査',
        how: '全端末で EmoCheck または emoguard triage を実行してください。本件と共通する指標が見つかった端末を優先してください。',
      },
      'c2-logs': {
        title: 'プロキシ・ファイアウォールのログによる C2 通信の確認',
        how: '本件で判明した C2 サーバーへの通信がないか、全端末分のログを確認してください (emoguard hunt --intel)。',
      },
      secondary: {
        title:
          '二次感染の有無の確認 (TrickBot、QakBot、IcedID、Ursnif、Cobalt Strike、ランサムウェア)',
        how: 'Emotet は別のマルウエアを送り込みます。感染端末と、そこから到達可能な端末のメモリとディスクを調査してください。',
      },
      'outbound-mail': {
        title: '送信メールの確認',
        how: '感染後に当該アカウント・端末から送信されたメールがないか、メールサーバーのログを確認してください。',
      },
      notify: {
        title: 'メールアドレスが窃取された可能性のある取引先・関係者への注意喚起',
        how: '自組織を装ったなりすましメールが届くおそれがあることを、ブロックすべき指標とあわせて連絡してください。',
      },
      reimage: {
        title: '感染端末の初期化',
        how: '信頼できる媒体から OS を再インストールしてください。ファイルの削除だけでは二次感染したマルウエアが残るおそれがあります。',
      },
      prevention: {
        title: '再発防止策の実施',
        how: '今回の攻撃で突破された対策を強化してください (下記)。',
      },
      privacy: {
        title: '個人情報漏えいに関する報告要否の判断',
        how: '窃取されたメールやアドレス帳は個人情報に当たります。個人情報保護委員会への報告 (速報は 3〜5 日以内) と本人への通知の要否を判断してください。',
      },
    },
    evidence: {
      status: (s) => `インシデントの状態: ${s}`,
      notReached: (steps) => `攻撃は ${steps} で止まっており、端末上でコードは実行されていません。`,
      hostIs: (host) => `端末: ${host}`,
      run: (c, id, at, n) => `${c} #${id} (${at}、入力 ${n} 件)`,
      noRun: (c) => `この端末について ${c} の実行結果は記録されていません。`,
      triaged: (d, t) => `既知の端末 ${t} 台のうち ${d} 台を調査済み。`,
      notTriaged: (hosts) => `未調査: ${hosts}`,
      shared: (k, v, o) => `${k} ${v} は ${o} でも確認`,
      family: (name, where) => `${name}: ${where}`,
      noFamily: '二次感染のマルウエアファミリーを示す検出はありません。',
      mailboxes: (l) => `メールアカウント: ${l}`,
      users: (l) => `アカウント: ${l}`,
      contacts: (n) => `外部のメールアドレス ${n} 件が影響を受けた可能性があります。`,
      impersonated: (n) => `${n} 件のアドレスが攻撃メールの送信者として詐称されました。`,
      mailsSeen: (n) => `攻撃メール ${n} 通を記録済み。`,
      reached: (m, n) => `${m} ${n} まで到達`,
      stopped: (m, l) => `${m} で ${l} により遮断`,
      more: (n) => `… ほか ${n} 件`,
    },
    prevention: {
      '1': 'メールゲートウェイでマクロ付き文書とパスワード付き ZIP を隔離してください (emoguard filter)。',
      '3': 'グループポリシーで、インターネットから取得したファイル (Mark of the Web) のマクロをブロックしてください。',
      '4': 'WMI からのプロセス作成をブロックする ASR ルールを有効にし、WmiPrvSE → PowerShell を監視してください。',
      '5': 'PowerShell を制限し (制約付き言語モード、スクリプトブロックログ)、プロキシでダウンロードをフィルタリングしてください。',
      '6': 'C2 サーバーのアドレスをファイアウォールで遮断し、Feodo Tracker や JPCERT/CC の注意喚起を購読してください。',
    },
  },
};
