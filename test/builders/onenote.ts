/**
 * OneNote sections (.one) built in code ([MS-ONESTORE] 2.3–2.6, [MS-ONE] property ids): a header, file
 * node lists (a FileDataStoreListReferenceFND list of FileDataStoreObjectReferenceFND, an object group
 * with ObjectDeclarationFileData3RefCountFND declarations and the embedded file nodes' property sets),
 * and the FileDataStoreObjects themselves. The 2023 QakBot/Emotet lure: an HTA and a .bat behind
 * "Double click to view". Hostile switches: looping fragments, lying lengths, truncation.
 */
import { buildOneNote } from '../../src/formats/onenote/index.js';

export {
  buildOneNote,
  type OneNoteFileSpec,
  type OneNoteSpec,
} from '../../src/formats/onenote/index.js';

/** The February 2023 lure: an HTA and a batch file behind "Double click to view"; inert, TEST-NET only. */
export function buildLureOneNote(hta: string, bat: string): Uint8Array {
  return buildOneNote({
    files: [
      { name: 'Open.hta', data: hta },
      { name: 'invoice.bat', data: bat, sourcePath: 'Z:\\build\\invoice.bat' },
    ],
    texts: ['This document is protected', 'Double click to view file'],
  });
}
