/**
 * @module formats/cfb — a defensive reader for MS-CFB compound files (OLE2: .doc .xls .ppt .msg and
 * vbaProject.bin), written from [MS-CFB] https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-cfb/
 *
 * Header (512- and 4096-byte sectors), DIFAT, FAT, MiniFAT, mini stream and the directory trees are read
 * without trusting any count or pointer: looping chains, chains past the end of the file, looping
 * directory trees and absurd sizes become `anomalies` and the readable part is still returned. Only a
 * wrong signature throws (`FormatError` `E_CFB_NOT_CFB`).
 *
 * The writer (`writeCfb`, with `readCfbTree` to get a file's tree) produces version 3 files: FAT, DIFAT
 * and MiniFAT rebuilt, one all-black balanced directory tree per storage (MS-CFB 2.6.4), CLSIDs, state
 * bits and storage times kept. It throws `ConfigError` E_CFB_WRITE_INVALID for a tree no reader accepts.
 *
 * Anomaly codes: E_CFB_FILE_TRUNCATED, E_CFB_BAD_HEADER, E_CFB_SECTOR_CYCLE, E_CFB_CHAIN_PAST_EOF,
 * E_CFB_SECTOR_OUT_OF_RANGE, E_CFB_BAD_CHAIN, E_CFB_STREAM_TRUNCATED, E_CFB_STREAM_TOO_LARGE,
 * E_CFB_TOO_MANY_ENTRIES, E_CFB_TOO_DEEP, E_CFB_BAD_ENTRY, E_CFB_DIR_LOOP, E_CFB_DUPLICATE_NAME,
 * E_CFB_ORPHAN_ENTRY, E_CFB_CHAIN_BUDGET.
 */
export { MAX_CFB_DEPTH, MAX_CFB_ENTRIES } from './constants.js';
export { isCfb } from './header.js';
export { type CfbEntry, type CfbFile, type CfbOptions, parseCfb } from './parse.js';
export { type CfbNode, type CfbRoot, writeCfb } from './write.js';
export { cfbPackage, type CfbPackage } from './sheetjs.js';
export { type CfbTree, readCfbTree } from './tree.js';
