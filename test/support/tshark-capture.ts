/**
 * The packet-capture fixture shared by the tshark and `hunt` capture tests: whether tshark is here, and
 * a temporary directory holding the built download capture (inert macro .doc over HTTP, TEST-NET hosts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { buildDownloadCapture, buildInertMacroDoc } from '../builders/pcap.js';

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;

/** The `skip` option of a suite that runs tshark. */
export const TSHARK_SKIP: string | false = hasTshark
  ? false
  : 'tshark is not installed (apt-get install tshark; .ci/run installs it)';

export interface DownloadCapture {
  dir: string;
  /** Path of the capture file in `dir`. */
  capture: string;
  /** The .doc the capture carries. */
  doc: Uint8Array;
}

/**
 * In the enclosing file or suite: writes the capture as `name` in a fresh directory before the tests,
 * hands it to `use`, and removes the directory after them.
 */
export function useDownloadCapture(
  prefix: string,
  name: string,
  use: (fixture: DownloadCapture) => void,
): void {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    const capture = join(dir, name);
    const doc = buildInertMacroDoc();
    writeFileSync(capture, buildDownloadCapture(doc));
    use({ dir, capture, doc });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
}
