import type { RemovalKind } from '../../engines/disarm/index.js';

/** What the gateway tells the recipient about one attachment. */
export interface NoteItem {
  /** File name as it arrived. */
  name: string;
  /** File name delivered, when it changed (`.docm` → `.docx`). */
  newName?: string;
  kinds: RemovalKind[];
}

const LABELS: Record<RemovalKind, { en: string; ja: string }> = {
  'vba-project': { en: 'macros (VBA project)', ja: 'マクロ (VBA プロジェクト)' },
  'macro-sheet': { en: 'Excel 4.0 macro sheets', ja: 'Excel 4.0 マクロシート' },
  'xlm-auto-name': { en: 'auto-run macro names', ja: '自動実行マクロ名' },
  activex: { en: 'ActiveX controls', ja: 'ActiveX コントロール' },
  'ole-object': { en: 'embedded OLE objects', ja: '埋め込み OLE オブジェクト' },
  'embedded-package': { en: 'embedded files (packages)', ja: '埋め込みファイル (パッケージ)' },
  'object-pool': { en: 'embedded objects (ObjectPool)', ja: '埋め込みオブジェクト (ObjectPool)' },
  'external-relationship': { en: 'links to external content', ja: '外部コンテンツへのリンク' },
  'remote-template': { en: 'remote template', ja: 'リモートテンプレート' },
  'dde-field': { en: 'DDE fields', ja: 'DDE フィールド' },
  'rtf-object': { en: 'RTF objects', ja: 'RTF オブジェクト' },
  other: { en: 'other active content', ja: 'その他の実行可能な内容' },
};

// SECURITY: names come from the sender; the note is text/plain, but control characters and line breaks
// could still forge lines of the note ("this file is safe, the original is…").
const clean = (name: string) => name.replace(/[\p{Cc}\p{Cf}]/gu, ' ').slice(0, 200);

function itemLine(item: NoteItem, lang: 'en' | 'ja'): string {
  const kinds = [...new Set(item.kinds)].map((k) => LABELS[k][lang]);
  const what =
    kinds.length > 0
      ? kinds.join(lang === 'ja' ? '、' : ', ')
      : lang === 'ja'
        ? '削除なし (検査済み)'
        : 'nothing to remove (checked)';
  const name = item.newName ? `${clean(item.name)} → ${clean(item.newName)}` : clean(item.name);
  return lang === 'ja'
    ? `  ・${name}: ${what}${kinds.length > 0 ? ' を削除' : ''}`
    : `  - ${name}: ${what}${kinds.length > 0 ? ' removed' : ''}`;
}

/**
 * The note prepended to a disarmed mail, Japanese first then English (Emotet's lures in Japan were
 * Japanese; the reader may be either). Says what was removed, that the original is in quarantine, and
 * how to ask for it.
 */
export function disarmNote(items: readonly NoteItem[], quarantineId: string): string {
  return [
    '【emoguard】このメールの添付ファイルを無害化しました',
    '',
    '添付ファイルから、開いたときに実行されるおそれのある内容 (マクロなど) を取り除きました。',
    '文書の本文や表はそのまま読めます。',
    ...items.map((i) => itemLine(i, 'ja')),
    '',
    `元のメールは隔離保管されています (隔離 ID: ${quarantineId})。`,
    '元のファイルが業務上必要な場合は、この隔離 ID を添えて情報システム部門 (セキュリティ担当) に',
    '依頼してください。送信者に心当たりがない場合は、開かずにご相談ください。',
    '',
    '----',
    '[emoguard] Attachments of this message were disarmed',
    '',
    'Content that could run when the file is opened (macros and the like) was removed;',
    'the text and tables of the documents are unchanged.',
    ...items.map((i) => itemLine(i, 'en')),
    '',
    `The original message is held in quarantine (quarantine ID: ${quarantineId}).`,
    'If you need the original file for your work, ask your IT/security team to release it,',
    'quoting this ID. If you did not expect this mail, do not open it and ask them first.',
    `(For administrators: emoguard quarantine release ${quarantineId} --next-hop HOST:PORT)`,
    '',
  ].join('\n');
}
