import type { Anomaly } from '../../core/index.js';

/** One FileDataStoreObject (MS-ONESTORE 2.6.13): a file embedded in the notebook section. */
export interface EmbeddedFile {
  /** Offset of the object's guidHeader. */
  offset: number;
  /** Offset and length of FileData. */
  dataOffset: number;
  length: number;
  /** Its identity (FileDataStoreObjectReferenceFND.guidReference), when the file node tree names it. */
  guid?: string;
  /** The extension OneNote recorded (ObjectDeclarationFileData3RefCountFND.Extension), e.g. `.hta`. */
  extension?: string;
  /** EmbeddedFileName (MS-ONE 2.2.57) of the embedded file node that shows it on the page. */
  name?: string;
  /** SourceFilepath: where the file was inserted from on the author's machine. */
  sourcePath?: string;
  /** guidFooter missing or FileData cut by the end of the file. */
  isTruncated: boolean;
}

export interface OneNoteSection {
  /** guidFile of the header (MS-ONESTORE 2.3.1). */
  fileGuid?: string;
  embedded: EmbeddedFile[];
  /** Page text (RichEditTextUnicode, TextExtendedAscii), bounded: lures such as "Double click to view". */
  texts: string[];
  anomalies: Anomaly[];
}

export interface OneNoteOptions {
  /** Most FileDataStoreObjects returned. */
  maxEmbedded?: number;
  /** Most file nodes visited in the file node lists. */
  maxFileNodes?: number;
  /** Called in long loops; may throw to stop (the artifact's deadline). */
  checkDeadline?: () => void;
}
