/** One piece of a document's content, as the safe view shows it. Strings are raw: the renderer escapes. */
export type ViewBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  /** Rows of cells (a Word table, a sheet); `caption` names it (the sheet name). */
  | { kind: 'table'; rows: string[][]; caption?: string }
  /** Image bytes as found; the renderer inlines them only when their magic says PNG, JPEG or GIF. */
  | { kind: 'image'; bytes: Uint8Array; name?: string }
  /** Name/value pairs: mail headers, document properties. */
  | { kind: 'fields'; entries: (readonly [string, string])[] }
  /** A titled list: the attachments of a mail. */
  | { kind: 'list'; title: string; items: string[] }
  /** Something the viewer should know about this place in the content (cut, unreadable …). */
  | { kind: 'note'; text: string };

/** One file shown: the input itself, or an attachment / embedded document rendered below it. */
export interface ViewSection {
  /** File name or `parent!child` path. */
  name: string;
  /** What it was read as: `docx`, `xls`, `mail` … */
  type: string;
  blocks: ViewBlock[];
  /** What was left out on purpose or by a limit: `VBA macros`, `2 OLE objects`, `rows past 1,000`. */
  omitted: string[];
  /** 0 for the input, 1 for what it carries, and so on. */
  depth: number;
}

export interface SafeView {
  /** Shown as the page title: the input's name. */
  title: string;
  /** Language of the page's own labels; the content keeps its own. */
  lang: 'en' | 'ja';
  sections: ViewSection[];
}

export interface RenderSafeViewOptions {
  /** Images inlined at most; later ones become a note. */
  maxImages?: number;
  /** Bytes of one inlined image. */
  maxImageBytes?: number;
  /** Bytes of all inlined images together (a data: URI is a third larger). */
  maxTotalImageBytes?: number;
  /** Characters of text rendered in all; past it the page says the rest was cut. */
  maxChars?: number;
}

/** Image bound defaults: a page a browser opens at once, not a decompression of the whole corpus. */
export const MAX_VIEW_IMAGES = 100;
export const MAX_VIEW_IMAGE_BYTES = 4 * 1024 * 1024;
export const MAX_VIEW_TOTAL_IMAGE_BYTES = 16 * 1024 * 1024;
export const MAX_VIEW_CHARS = 4 * 1024 * 1024;
