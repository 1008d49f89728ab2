import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { ConfigError } from '../../core/index.js';
import { organisationOf, sentMessageOf, type SentMessage } from '../../engines/mail/index.js';
import { MAX_MAIL_HEADER_BYTES, readHeaderBlock } from '../../formats/mime/index.js';
import type { MessageIdDb } from '../../store/index.js';
import { readInputFile, walkInputs } from '../scan-runner/index.js';

/** Rows per transaction: big enough to write 1M ids in seconds, small enough to bound memory. */
const BATCH = 2000;
/** Sender organisations learned as "the organisation" without --domain; more means a received-mail folder. */
export const MAX_LEARNED_ORG_DOMAINS = 1000;

export interface LearnOptions {
  /** The organisation's domains (--domain); empty: every sender counts as the organisation. */
  domains: readonly string[];
  /** Called for files that could not be read (the walk goes on). */
  onError?: (path: string, message: string) => void;
}

export interface LearnSummary {
  files: number;
  mails: number;
  /** Mails with a Message-ID sent by the organisation. */
  learned: number;
  /** Of those, ids the database did not know yet. */
  added: number;
  orgDomains: string[];
}

/**
 * Records the Message-IDs of the organisation's sent mail from .eml files, mbox files and Maildirs
 * (walkInputs). SECURITY (bounded memory): only header blocks are read — an mbox is streamed line by
 * line, a single-message file is read up to MAX_MAIL_HEADER_BYTES — and rows go to the database in
 * batches, so a 1M-message mbox costs one batch of memory.
 */
export async function learnMessageIds(
  paths: readonly string[],
  db: MessageIdDb,
  options: LearnOptions,
): Promise<LearnSummary> {
  const given = new Set(options.domains.map((d) => organisationOf(d.trim())).filter(Boolean));
  const learnedOrgs = new Set<string>();
  const summary: LearnSummary = { files: 0, mails: 0, learned: 0, added: 0, orgDomains: [] };
  let batch: SentMessage[] = [];
  const flush = () => {
    summary.added += db.add(batch);
    batch = [];
  };
  const take = (head: Uint8Array) => {
    summary.mails++;
    const row = sentMessageOf(readHeaderBlock(head), given);
    if (row === undefined) return;
    if (given.size === 0) {
      if (!learnedOrgs.has(row.sender) && learnedOrgs.size >= MAX_LEARNED_ORG_DOMAINS)
        throw new ConfigError(
          'E_MSGID_TOO_MANY_SENDERS',
          `more than ${MAX_LEARNED_ORG_DOMAINS} sender domains: this is not sent mail; give --domain`,
        );
      learnedOrgs.add(row.sender);
    }
    summary.learned++;
    batch.push(row);
    if (batch.length >= BATCH) flush();
  };
  for await (const entry of walkInputs(paths)) {
    if (entry.kind !== 'file') {
      options.onError?.(
        entry.path,
        entry.kind === 'error' ? entry.message : 'standard input is not read',
      );
      continue;
    }
    summary.files++;
    try {
      if (await isMbox(entry.path)) await eachMboxHeader(entry.path, take);
      else take((await readInputFile(entry.path, MAX_MAIL_HEADER_BYTES)).bytes);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      options.onError?.(entry.path, (error as Error).message);
    }
  }
  flush();
  db.addOrgDomains([...(given.size > 0 ? given : learnedOrgs)]);
  summary.orgDomains = db.orgDomains();
  return summary;
}

async function isMbox(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(5);
    const { bytesRead } = await handle.read(head, 0, 5, 0);
    return bytesRead === 5 && new TextDecoder('latin1').decode(head) === 'From ';
  } finally {
    await handle.close();
  }
}

/**
 * Hands the header block of each mbox message (RFC 4155: "From " after an empty line starts one) to
 * `take`. latin1 keeps every byte as one character, so the header bytes reach readHeaderBlock unchanged.
 */
async function eachMboxHeader(path: string, take: (head: Uint8Array) => void): Promise<void> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'latin1' }),
    crlfDelay: Infinity,
  });
  let header: string[] | undefined;
  let headerChars = 0;
  let previousBlank = true;
  for await (const line of lines) {
    if (previousBlank && line.startsWith('From ')) {
      if (header) take(Buffer.from(header.join('\r\n'), 'latin1'));
      header = [];
      headerChars = 0;
    } else if (header && line === '') {
      take(Buffer.from(header.join('\r\n'), 'latin1'));
      header = undefined;
    } else if (header && headerChars < MAX_MAIL_HEADER_BYTES) {
      // SECURITY: a header block without an end is cut, not buffered to the end of the file.
      header.push(line);
      headerChars += line.length + 2;
    }
    previousBlank = line === '';
  }
  if (header) take(Buffer.from(header.join('\r\n'), 'latin1'));
}
