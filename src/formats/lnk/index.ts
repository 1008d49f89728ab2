/**
 * @module formats/lnk — Windows Shell Link files (.lnk), [MS-SHLLINK] v8.0
 * (https://learn.microsoft.com/openspecs/windows_protocols/ms-shllink): ShellLinkHeader, LinkTargetIDList,
 * LinkInfo, StringData and ExtraData blocks (environment target, known folder, tracker machine id,
 * property store strings), plus bytes appended after the link (the 2022 Emotet `findstr` carrier).
 *
 * @example
 * const link = parseLnk(bytes);
 * link.target; link.strings.arguments; link.extra.tracker?.machineId;
 */
export { isLnk, parseLnk, HEADER_SIZE } from './parse.js';
export { BLOCK, MAX_EXTRA_BLOCKS } from './extra-data.js';
export { MAX_ID_ITEMS } from './id-list.js';
export { LINK_FLAGS } from './types.js';
export type {
  ExtraDataBlock,
  IdItem,
  LinkInfo,
  LnkExtraData,
  LnkStringData,
  ShellLink,
  ShellLinkHeader,
  TrackerData,
} from './types.js';
export { buildLnk, idList, trackerBlock, type LnkSpec } from './write.js';
