/**
 * Types the pipeline dispatches on. They are detected from content (magic bytes, structure), never from
 * the file name: Emotet mails rename .doc to .pdf.exe and .zip to .docx.
 */
export const FILE_TYPES = [
  'ole', // MS-CFB compound file: .doc .xls .ppt .msg, vbaProject.bin
  'ooxml', // ZIP with [Content_Types].xml: .docx/.docm/.xlsm/.pptm/.xlsb
  'zip',
  'gzip',
  '7z',
  'rar',
  'cab',
  'iso', // ISO 9660 / UDF optical disc image (.iso, often renamed .img)
  'fat', // FAT12/16/32 volume image (.img), plain or behind an MBR partition table
  'rtf',
  'sylk', // Excel SYLK (.slk): XLM formulas in text
  'biff', // Excel 2.x–4.0 file (BIFF2/3/4 records, no compound file): .xlm macro sheets, .xls, .xlw
  'activemime', // MSO ActiveMime blob (editdata.mso in MHTML / Word 2003 XML), zlib-compressed OLE
  'pdf',
  'pe',
  'elf',
  'lnk',
  'onenote',
  'eml', // RFC 5322 message
  'mbox',
  'msg', // Outlook message: a compound file of MAPI property streams (MS-OXMSG)
  'mhtml',
  'xml',
  'html',
  'vba-source', // plain VBA module text: .bas/.cls/.vba/olevba output
  'powershell', // PowerShell script or decoded -EncodedCommand
  'script', // other script text: JS, VBS, batch
  'evtx',
  'jsonl', // JSON Lines / JSON logs (evtx-rs layout, ECS, NXLog, Zeek JSON, Suricata eve.json)
  'log', // text logs with a known header (Zeek TSV, Squid access.log)
  'host-snapshot', // host state for triage (collectors/windows/collect.ps1, Custom.Emoguard.HostSnapshot)
  'minidump',
  'memory-image', // raw physical memory (winpmem/DumpIt .raw/.mem): no magic, chosen by name/size/flag
  'cape-memory', // CAPE/Cuckoo 2.x process memory dump: <QIIII> region records, no magic
  'pcap',
  'pcapng',
  'text',
  'empty',
  'unknown',
] as const;

export type FileType = (typeof FILE_TYPES)[number];

export function isFileType(value: unknown): value is FileType {
  return typeof value === 'string' && (FILE_TYPES as readonly string[]).includes(value);
}
