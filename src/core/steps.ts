/**
 * The Emotet kill chain as emoguard names it. Every finding says which step it evidences, so a responder
 * sees how far an attack got (DEVELOPERS.md, "The mission").
 */
export const STEPS = ['1', '2', '3', '4', '5', '6', 'post'] as const;
export type Step = (typeof STEPS)[number];

export interface StepInfo {
  readonly step: Step;
  /** Circled digit used in human output and reports. */
  readonly mark: string;
  readonly en: string;
  readonly ja: string;
}

export const STEP_INFO: Readonly<Record<Step, StepInfo>> = {
  '1': {
    step: '1',
    mark: '①',
    en: 'Delivery: mail with an Office attachment or link',
    ja: '配送: Office 添付ファイルまたはリンク付きメール',
  },
  '2': { step: '2', mark: '②', en: 'The user opens the document', ja: '利用者が文書を開く' },
  '3': {
    step: '3',
    mark: '③',
    en: 'Macros are enabled and run',
    ja: 'マクロが有効化され実行される',
  },
  '4': {
    step: '4',
    mark: '④',
    en: 'The macro starts PowerShell through WMI',
    ja: 'マクロが WMI 経由で PowerShell を起動',
  },
  '5': {
    step: '5',
    mark: '⑤',
    en: 'PowerShell downloads and runs the loader',
    ja: 'PowerShell がローダーをダウンロードして実行',
  },
  '6': {
    step: '6',
    mark: '⑥',
    en: 'Infected host: theft, spreading, C2',
    ja: '感染端末: 情報窃取・拡散・C2 通信',
  },
  post: {
    step: 'post',
    mark: '⑦',
    en: 'Post-infection: secondary malware, ransomware',
    ja: '感染後: 二次感染・ランサムウェア',
  },
};

export function isStep(value: unknown): value is Step {
  return typeof value === 'string' && (STEPS as readonly string[]).includes(value);
}
