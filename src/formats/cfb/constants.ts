/** Magic numbers of [MS-CFB], each with the clause that defines it. */

/** MS-CFB 2.2 Header Signature. */
export const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

/** MS-CFB 2.1 Compound File Sector Numbers: the largest regular sector number. */
export const MAXREGSECT = 0xfffffffa;
/** MS-CFB 2.1: the sector holds DIFAT entries. */
export const DIFSECT = 0xfffffffc;
/** MS-CFB 2.1: the sector holds FAT entries. */
export const FATSECT = 0xfffffffd;
/** MS-CFB 2.1: the last sector of a chain. */
export const ENDOFCHAIN = 0xfffffffe;
/** MS-CFB 2.1: an unallocated sector. */
export const FREESECT = 0xffffffff;
/** MS-CFB 2.6.1: no sibling or child. */
export const NOSTREAM = 0xffffffff;

/** MS-CFB 2.2: the header holds the first 109 DIFAT entries. */
export const HEADER_DIFAT_ENTRIES = 109;
/** MS-CFB 2.2: the header's fixed part; with 4096-byte sectors the rest of sector 0 is padding. */
export const HEADER_SIZE = 512;
/** MS-CFB 2.6.1: one directory entry. */
export const DIRECTORY_ENTRY_SIZE = 128;
/** MS-CFB 2.2: Mini Sector Shift MUST be 6. */
export const MINI_SECTOR_SIZE = 64;
/** MS-CFB 2.2: Mini Stream Cutoff Size MUST be 4096; smaller streams live in the mini stream. */
export const MINI_STREAM_CUTOFF = 4096;

/** MS-CFB 2.6.1 Object Type. */
export const OBJECT_UNALLOCATED = 0;
export const OBJECT_STORAGE = 1;
export const OBJECT_STREAM = 2;
export const OBJECT_ROOT = 5;

/**
 * Directory entries read from one file. Office documents hold tens to a few thousand; a directory chain
 * of millions of entries only exists to exhaust memory and time.
 */
export const MAX_CFB_ENTRIES = 50_000;
/** Storage nesting. Office nests a few levels; deeper trees only build quadratic path strings. */
export const MAX_CFB_DEPTH = 32;
