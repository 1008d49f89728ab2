import type { SentMessageIndex } from '../../engines/mail/index.js';
import { openMessageIdDb, type MessageIdDb } from '../../store/index.js';

/** Ids looked up per worker and kept: repeated references in one thread cost one read. */
const CACHE_ENTRIES = 10_000;

/** The `--msgid-db` file opened read-only as the mail engine's index, with a small lookup cache. */
export function openSentMessageIndex(path: string): SentMessageIndex & { close(): void } {
  const db: MessageIdDb = openMessageIdDb(path, { readonly: true });
  const cache = new Map<string, readonly string[] | null>();
  return {
    orgDomains: new Set(db.orgDomains()),
    lookup(id) {
      let hit = cache.get(id);
      if (hit === undefined) {
        hit = db.lookup(id) ?? null;
        if (cache.size >= CACHE_ENTRIES) cache.clear();
        cache.set(id, hit);
      }
      return hit ?? undefined;
    },
    close: () => db.close(),
  };
}
