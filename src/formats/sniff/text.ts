import type { FileType } from '../../core/index.js';
import { looksLikeHostSnapshot } from '../host-snapshot/index.js';

/** How many leading bytes decide whether an input is text and which kind. */
export const TEXT_SNIFF_BYTES = 64 * 1024;

/**
 * Text if the head has no NUL and few control bytes. High bytes are allowed: UTF-8, Shift_JIS and EUC-JP
 * are all text; ESC is allowed for ISO-2022-JP mail bodies.
 */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return control / head.length < 0.02;
}

// One decoder each: decode() without `stream` keeps no state, and constructing one is not free.
const UTF8 = new TextDecoder('utf-8');
const UTF16LE = new TextDecoder('utf-16le');
const UTF16BE = new TextDecoder('utf-16be');

/** Decodes a text head: UTF-16 by BOM, else UTF-8 with replacement (only ASCII keywords matter here). */
export function decodeHead(head: Uint8Array): string {
  if (head[0] === 0xff && head[1] === 0xfe) return UTF16LE.decode(head.subarray(2));
  if (head[0] === 0xfe && head[1] === 0xff) return UTF16BE.decode(head.subarray(2));
  return UTF8.decode(head);
}

export function hasUtf16Bom(head: Uint8Array): boolean {
  return (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
}

// RFC 5322 header field names that open real mail; two of them at the top make a message.
const MAIL_HEADER =
  /^(from|to|cc|subject|date|received|message-id|mime-version|return-path|delivered-to|reply-to|x-[\w-]+|dkim-signature|authentication-results|content-type|in-reply-to|references|sender|thread-index|x-mailer):[ \t]?/i;
const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+:/;

function classifyHeaders(text: string): 'eml' | 'mbox' | 'mhtml' | undefined {
  const lines = text.split(/\r?\n/, 200);
  let i = 0;
  let mbox = false;
  if (lines[0]?.startsWith('From ')) {
    mbox = true;
    i = 1;
  }
  let known = 0;
  let multipartRelated = false;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') break; // end of the header section
    if (/^[ \t]/.test(line)) continue; // folded continuation (RFC 5322 2.2.3)
    if (!HEADER_LINE.test(line)) return undefined;
    if (MAIL_HEADER.test(line)) known++;
    if (/^content-type:\s*multipart\/related/i.test(line)) multipartRelated = true;
  }
  if (known < 2) return undefined;
  if (mbox) return 'mbox';
  // Word's "Single File Web Page" (MHTML, RFC 2557) carries macros as ActiveMime: not a mail to deliver.
  if (multipartRelated && !/^(from|to|received):/im.test(text.slice(0, 4096))) return 'mhtml';
  return 'eml';
}

const VBA_ATTRIBUTE = /^\s*Attribute\s+VB_Name\s*=/im;
const VBA_PROCEDURE =
  /^\s*(?:Public\s+|Private\s+|Friend\s+)?(?:Static\s+)?(?:Sub|Function)\s+\w+\s*\(/im;
const VBA_PROCEDURE_END = /^\s*End\s+(?:Sub|Function)\b/im;
// A first procedure can be longer than the sniffed head (junk-padded droppers): VBA statements count too.
const VBA_STATEMENT =
  /^\s*(?:Dim\s+\w|Set\s+\w+\s*=|Const\s+\w|Call\s+\w|On\s+Error\s|For\s+Each\s|End\s+(?:If|With|Select)\b|\w+\s*=\s*.*\b(?:ChrW?\$?|StrReverse|CreateObject|GetObject)\s*\()/im;

function looksLikeVba(text: string): boolean {
  if (VBA_ATTRIBUTE.test(text)) return true;
  return VBA_PROCEDURE.test(text) && (VBA_PROCEDURE_END.test(text) || VBA_STATEMENT.test(text));
}
const POWERSHELL_MARKERS =
  /\b(?:Invoke-Expression|Invoke-WebRequest|New-Object\s+(?:System\.)?Net\.WebClient|Start-Process|Set-ExecutionPolicy|\[Convert\]::FromBase64String|\[System\.Text\.Encoding\]|Write-Host|Get-ChildItem|\$env:\w+|param\s*\(|foreach\s*\(\s*\$\w+\s+in\b|-EncodedCommand)\b/gi;
const SCRIPT_MARKERS =
  /\b(?:WScript\.(?:Shell|CreateObject|Echo|Sleep)|new\s+ActiveXObject|CreateObject\s*\(|@echo\s+off)\b/i;

/** Kind of a text input, from its head. */
export function classifyText(text: string): FileType {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  const head = trimmed.slice(0, 2048).toLowerCase();
  if (head.startsWith('{\\rt')) return 'rtf';
  // SYLK: Excel reads a file that opens with an `ID;P` record as a spreadsheet, formulas and all.
  if (/^ID;P/.test(trimmed) && /^(?:C|F|B|O|NN|E)(?:;|\r?$)/m.test(trimmed.slice(0, 4096))) {
    return 'sylk';
  }
  // An emoguard host snapshot (collectors/README.md): JSON naming the host's volume serial up front.
  if (looksLikeHostSnapshot(trimmed)) return 'host-snapshot';
  // JSON logs (JSON Lines or an array of objects: evtx-rs layout, ECS, NXLog, Zeek JSON, eve.json).
  if (/^\[?\s*\{\s*"/.test(trimmed)) return 'jsonl';
  const headers = classifyHeaders(trimmed);
  if (headers) return headers;
  // Windows Script Files (<job>/<package>, maybe behind an XML declaration) run in wscript.exe.
  if (/^(?:<\?xml[^>]{0,200}>\s*)?<(?:package|job)[\s>]/.test(head)) return 'script';
  if (head.startsWith('<?xml') || head.startsWith('<?mso-application')) {
    return /<html[\s>]/.test(head) ? 'html' : 'xml';
  }
  // Word opens MHTML whose MIME headers are broken or follow junk; its base64 ActiveMime blob
  // ("ActiveMime" encodes as QWN0aXZlTWltZQ) still marks it (olevba's MHTML tolerance).
  if (trimmed.includes('QWN0aXZlTWltZQ')) return 'mhtml';
  if (
    /^(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<script[\s>]|<hta:application)/.test(head)
  ) {
    return 'html';
  }
  if (looksLikeVba(trimmed)) return 'vba-source';
  if (/^\s*(?:powershell(?:\.exe)?|pwsh)\b/i.test(trimmed)) return 'powershell';
  const psHits = trimmed.match(POWERSHELL_MARKERS)?.length ?? 0;
  if (psHits >= 2) return 'powershell';
  if (SCRIPT_MARKERS.test(trimmed)) return 'script';
  if (/<script[\s>]/i.test(head) || /<html[\s>]/i.test(head)) return 'html';
  return 'text';
}
