import { ByteSink, hexValue } from './sink.js';

export interface RtfPicture {
  type: 'png' | 'jpeg';
  bytes: Uint8Array;
}

/** Pictures kept of one document, and bytes of one picture (larger ones are dropped whole). */
export const MAX_RTF_PICTURES = 20;
export const MAX_RTF_PICTURE_BYTES = 4 * 1024 * 1024;

/**
 * Collects `{\pict\pngblip …hex…}` and `\jpegblip` pictures (RTF 1.9.1 "Pictures") for the safe view,
 * wherever they are — Word puts them in `{\*\shppict{\pict …}}`. Only the hex at the `\pict` group's
 * own level is picture data (`{\*\blipuid …}` inside it is not). WMF, EMF and DIB pictures are not
 * kept: a browser does not show them.
 */
export class PictureCollector {
  readonly pictures: RtfPicture[] = [];
  isTruncated = false;
  private open: { depth: number; type?: RtfPicture['type']; sink: ByteSink } | undefined;

  constructor(
    private readonly maxPictures = MAX_RTF_PICTURES,
    private readonly maxBytes = MAX_RTF_PICTURE_BYTES,
  ) {}

  /** A control word at group depth `depth`. */
  word(word: string, depth: number): void {
    if (word === 'pict' && !this.open) {
      this.open = { depth, sink: new ByteSink(this.maxBytes) };
    } else if (this.open?.depth === depth) {
      if (word === 'pngblip') this.open.type = 'png';
      else if (word === 'jpegblip') this.open.type = 'jpeg';
    }
  }

  isCollecting(depth: number): boolean {
    return this.open?.depth === depth;
  }

  hex(byte: number): void {
    const v = hexValue(byte);
    if (v >= 0) this.open?.sink.pushNibble(v);
  }

  raw(bytes: Uint8Array): void {
    for (const b of bytes) this.open?.sink.pushByte(b);
  }

  /** A group at depth `depth` closes. */
  close(depth: number): void {
    const open = this.open;
    if (!open || depth > open.depth) return;
    this.open = undefined;
    if (!open.type || open.sink.length === 0) return;
    if (open.sink.isTruncated || this.pictures.length >= this.maxPictures) {
      this.isTruncated = true;
      return;
    }
    this.pictures.push({ type: open.type, bytes: open.sink.bytes() });
  }
}
