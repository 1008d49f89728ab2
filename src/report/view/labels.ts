export interface ViewLabels {
  banner: string;
  bannerDetail: string;
  leftOut: string;
  nothingLeftOut: string;
  empty: string;
  textCut: string;
  imageLeftOut: (why: string) => string;
  imageTooLarge: string;
  imageNotRaster: string;
  imageCount: string;
}

export const VIEW_LABELS: Readonly<Record<'en' | 'ja', ViewLabels>> = {
  en: {
    banner: 'Safe view — a static copy of the text and pictures',
    bannerDetail:
      'Nothing in this page runs: macros, scripts, embedded objects, links and remote content of the original were left out, and the page loads nothing from the network.',
    leftOut: 'Left out',
    nothingLeftOut: 'nothing active found',
    empty: '(no text)',
    textCut: 'The rest of the text was cut (size limit of the safe view).',
    imageLeftOut: (why) => `[picture left out: ${why}]`,
    imageTooLarge: 'too large',
    imageNotRaster: 'not a PNG, JPEG or GIF image',
    imageCount: 'too many pictures',
  },
  ja: {
    banner: 'セーフビュー — 本文と画像の静的なコピー',
    bannerDetail:
      'このページには実行されるものはありません。元のファイルのマクロ、スクリプト、埋め込みオブジェクト、リンク、外部コンテンツは除外され、ネットワークからは何も読み込みません。',
    leftOut: '除外したもの',
    nothingLeftOut: '実行可能な内容は見つかりませんでした',
    empty: '（本文なし）',
    textCut: '以降の本文は省略しました（セーフビューのサイズ上限）。',
    imageLeftOut: (why) => `［画像を除外: ${why}］`,
    imageTooLarge: 'サイズ超過',
    imageNotRaster: 'PNG・JPEG・GIF 以外の形式',
    imageCount: '画像が多すぎます',
  },
};
