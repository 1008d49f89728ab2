/**
 * Store set-up shared by the correlation tests: a fresh migrated in-memory store per test, one-result
 * scans saved as a layer would save them, and the suspicious log result those scans carry.
 */
import { afterEach, beforeEach } from 'node:test';
import { emptyExtracted, type Finding, type ScanResult } from '../../src/core/index.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';

export async function openMemoryStore(): Promise<Store> {
  const store = openSqliteStore(':memory:');
  await store.migrate();
  return store;
}

/**
 * In the enclosing `describe`: opens a fresh in-memory store before each test, hands it to `use` (which
 * may fill it further) and closes it after the test.
 */
export function useMemoryStore(use: (store: Store) => void | Promise<void>): void {
  let store: Store | undefined;
  beforeEach(async () => {
    store = await openMemoryStore();
    await use(store);
  });
  afterEach(() => store?.close());
}

/** Saves `results` as one scan by `command`, attributed to `host` when given (as hunt and triage do). */
export async function saveScan(
  store: Store,
  command: string,
  results: ScanResult | ScanResult[],
  host?: string,
  scanHost = 'soc-1',
): Promise<void> {
  const scanId = await store.beginScan({ command, args: [], host: scanHost });
  await store.saveResults(
    scanId,
    Array.isArray(results) ? results : [results],
    host === undefined ? {} : { host },
  );
}

/** A suspicious event-log result carrying `findings`. */
export function logResult(path: string, sha256: string, findings: Finding[]): ScanResult {
  return {
    path,
    sha256,
    size: 1,
    type: 'evtx',
    verdict: 'suspicious',
    findings,
    extracted: emptyExtracted(),
    children: [],
  };
}
