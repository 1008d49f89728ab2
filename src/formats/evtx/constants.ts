/** Layout constants of [MS-EVEN6] (section numbers in comments) and the parser's own bounds. */

/** MS-EVEN6 2.2: the file header block; only its first 128 bytes are used. */
export const EVTX_FILE_HEADER_SIZE = 4096;
export const FILE_HEADER_USED = 128;
/** The file header checksum covers its first 120 bytes. */
export const FILE_HEADER_CRC_SPAN = 120;
/** MS-EVEN6 2.3: every chunk is 64 KiB, its header 512 bytes (128 + string and template tables). */
export const EVTX_CHUNK_SIZE = 65536;
export const CHUNK_HEADER_SIZE = 512;
/** The chunk header checksum covers bytes [0, 120) and [128, 512). */
export const CHUNK_HEADER_CRC_SPAN = 120;
/** MS-EVEN6 2.4: record header (signature, size, id, FILETIME) and the trailing copy of the size. */
export const RECORD_HEADER_SIZE = 24;
export const RECORD_MIN_SIZE = RECORD_HEADER_SIZE + 4;
/** A template definition header: next offset (4), GUID (16), data size (4). */
export const TEMPLATE_HEADER_SIZE = 24;

export const FILE_SIGNATURE = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]; // "ElfFile\0"
export const CHUNK_SIGNATURE = [0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00]; // "ElfChnk\0"
/** "**\0\0" read as a little-endian u32. */
export const RECORD_SIGNATURE = 0x00002a2a;

/** MS-EVEN6 2.2.12: BinXml tokens; 0x40 on some of them means "has attributes / more follows". */
export const TOKEN_EOF = 0x00;
export const TOKEN_OPEN_START_ELEMENT = 0x01;
export const TOKEN_CLOSE_START_ELEMENT = 0x02;
export const TOKEN_CLOSE_EMPTY_ELEMENT = 0x03;
export const TOKEN_END_ELEMENT = 0x04;
export const TOKEN_VALUE = 0x05;
export const TOKEN_ATTRIBUTE = 0x06;
export const TOKEN_CDATA = 0x07;
export const TOKEN_CHAR_REF = 0x08;
export const TOKEN_ENTITY_REF = 0x09;
export const TOKEN_PI_TARGET = 0x0a;
export const TOKEN_PI_DATA = 0x0b;
export const TOKEN_TEMPLATE_INSTANCE = 0x0c;
export const TOKEN_NORMAL_SUBSTITUTION = 0x0d;
export const TOKEN_OPTIONAL_SUBSTITUTION = 0x0e;
export const TOKEN_FRAGMENT_HEADER = 0x0f;
export const TOKEN_MORE_FLAG = 0x40;

/** MS-EVEN6 2.2.13: value types of substitutions and text; 0x80 marks an array of the base type. */
export const VT_NULL = 0x00;
export const VT_STRING = 0x01;
export const VT_ANSI_STRING = 0x02;
export const VT_INT8 = 0x03;
export const VT_UINT8 = 0x04;
export const VT_INT16 = 0x05;
export const VT_UINT16 = 0x06;
export const VT_INT32 = 0x07;
export const VT_UINT32 = 0x08;
export const VT_INT64 = 0x09;
export const VT_UINT64 = 0x0a;
export const VT_REAL32 = 0x0b;
export const VT_REAL64 = 0x0c;
export const VT_BOOL = 0x0d;
export const VT_BINARY = 0x0e;
export const VT_GUID = 0x0f;
export const VT_SIZE_T = 0x10;
export const VT_FILETIME = 0x11;
export const VT_SYSTEMTIME = 0x12;
export const VT_SID = 0x13;
export const VT_HEX_INT32 = 0x14;
export const VT_HEX_INT64 = 0x15;
export const VT_EVT_HANDLE = 0x20;
export const VT_BINXML = 0x21;
export const VT_EVT_XML = 0x23;
export const VT_ARRAY = 0x80;

/**
 * Element nesting (through templates and nested BinXml values) the parser follows. Windows events are
 * 4–6 deep; a crafted record can nest without end and exhaust the stack.
 */
export const MAX_EVTX_DEPTH = 64;
/**
 * Elements rendered for one record. Templates may instantiate other templates and reuse a BinXml value
 * several times, so a 64 KiB chunk can describe an exponentially large tree ("billion laughs").
 */
export const MAX_EVTX_RECORD_NODES = 100_000;
/** Items of one array value kept in the output; the rest are dropped with an anomaly. */
export const MAX_EVTX_ARRAY_ITEMS = 4096;
