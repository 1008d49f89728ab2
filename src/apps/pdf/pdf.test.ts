import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { findChromium, htmlToPdf } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'emoguard-pdf-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Stand-in browsers: shell scripts that misbehave in one way each. */
function fakeBrowser(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}
const writeOut = (content: string) =>
  `for a; do case "$a" in --print-to-pdf=*) printf '%s' '${content}' > "\${a#--print-to-pdf=}";; esac; done`;

describe('pdf: finding and driving Chromium', () => {
  test('EMOGUARD_CHROMIUM wins when executable, and is an error when it is not', () => {
    const ok = fakeBrowser('ok', 'exit 0');
    assert.equal(findChromium({ EMOGUARD_CHROMIUM: ok }), ok);
    const plain = join(dir, 'not-executable');
    writeFileSync(plain, '');
    assert.throws(() => findChromium({ EMOGUARD_CHROMIUM: plain }), { code: 'E_PDF_NO_CHROMIUM' });
  });

  test('a browser that writes a PDF: the bytes come back', async () => {
    const good = fakeBrowser('good', writeOut('%PDF-1.7 fake'));
    const pdf = await htmlToPdf('<p>x</p>', { chromium: good });
    assert.equal(new TextDecoder().decode(pdf), '%PDF-1.7 fake');
  });

  test('a browser that writes nothing or not a PDF → E_PDF_FAILED with its exit status', async () => {
    const silent = fakeBrowser('silent', 'echo "no display" >&2; exit 3');
    await assert.rejects(
      htmlToPdf('<p>x</p>', { chromium: silent }),
      (e: Error & { code: string }) => {
        assert.equal(e.code, 'E_PDF_FAILED');
        assert.match(e.message, /exit 3.*no display/);
        return true;
      },
    );
    const html = fakeBrowser('html', writeOut('<html>'));
    await assert.rejects(htmlToPdf('<p>x</p>', { chromium: html }), { code: 'E_PDF_FAILED' });
  });

  test('a browser that hangs is killed at the timeout → E_PDF_TIMEOUT; one that finishes in time is not', async () => {
    const slow = fakeBrowser('slow', 'sleep 30');
    const started = Date.now();
    await assert.rejects(htmlToPdf('<p>x</p>', { chromium: slow, timeoutMs: 300 }), {
      code: 'E_PDF_TIMEOUT',
    });
    assert.ok(Date.now() - started < 10_000, 'expected: Date.now() - started < 10_000');
    const quick = fakeBrowser('quick', `sleep 0.05; ${writeOut('%PDF-1.4')}`);
    await htmlToPdf('<p>x</p>', { chromium: quick, timeoutMs: 5_000 });
  });
});
