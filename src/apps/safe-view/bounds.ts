/**
 * What one safe view reads at most. Each stops a way a hostile file could make the page (or the
 * work to build it) huge: a sheet of a million rows, a mail of a thousand attachments, an archive
 * bomb of pictures.
 */
export interface ViewBounds {
  /** Bytes of the input read (a mail with its attachments). */
  maxInputBytes: number;
  /** Bytes read from one part, stream or attachment. */
  maxPartBytes: number;
  /** Characters of text taken from one document. */
  maxChars: number;
  /** Paragraphs/tables taken from one document. */
  maxBlocks: number;
  /** Rows and columns of one table or sheet. */
  maxRows: number;
  maxCols: number;
  /** Sheets or slides of one document. */
  maxSheets: number;
  /** Pictures of one document, and bytes of one picture. */
  maxImages: number;
  maxImageBytes: number;
  /** Files shown in all (the input, its attachments, theirs …) and how deep. */
  maxSections: number;
  maxDepth: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_VIEW_BOUNDS: Readonly<ViewBounds> = Object.freeze({
  maxInputBytes: 128 * MiB,
  maxPartBytes: 32 * MiB,
  maxChars: 2 * MiB,
  maxBlocks: 20_000,
  maxRows: 1000,
  maxCols: 50,
  maxSheets: 100,
  maxImages: 50,
  maxImageBytes: 4 * MiB,
  maxSections: 50,
  maxDepth: 3,
});
