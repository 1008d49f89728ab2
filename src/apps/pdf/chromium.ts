import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, DefenseError } from '../../core/index.js';

/** Where Debian and Ubuntu put Chromium or Chrome; `EMOGUARD_CHROMIUM` overrides. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
] as const;

/** A browser that hangs (a broken GPU stack, a locked profile) is killed after this. */
export const PDF_TIMEOUT_MS = 60_000;

export interface PdfOptions {
  /** Reads `EMOGUARD_CHROMIUM`. */
  env?: NodeJS.ProcessEnv;
  /** Explicit browser path (wins over the environment). */
  chromium?: string;
  timeoutMs?: number;
}

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The browser to print with: `EMOGUARD_CHROMIUM` when set (it must be executable), else the first of
 * `CHROMIUM_CANDIDATES` that is. Throws `E_PDF_NO_CHROMIUM` with what to install otherwise.
 */
export function findChromium(env: NodeJS.ProcessEnv = {}): string {
  const override = env.EMOGUARD_CHROMIUM;
  if (override) {
    if (isExecutable(override)) return override;
    throw new ConfigError(
      'E_PDF_NO_CHROMIUM',
      `EMOGUARD_CHROMIUM=${override} is not an executable file`,
    );
  }
  const found = CHROMIUM_CANDIDATES.find(isExecutable);
  if (found !== undefined) return found;
  throw new ConfigError(
    'E_PDF_NO_CHROMIUM',
    `PDF output needs Chromium and none was found (looked for ${CHROMIUM_CANDIDATES.join(', ')}): ` +
      'install it (Debian: apt-get install chromium fonts-noto-cjk), set EMOGUARD_CHROMIUM to its path, ' +
      'or use --format html',
  );
}

/**
 * Prints one HTML page to PDF bytes. The page is written to a private temp folder with its own browser
 * profile; both are removed afterwards.
 */
export async function htmlToPdf(html: string, options: PdfOptions = {}): Promise<Uint8Array> {
  const chromium = options.chromium ?? findChromium(options.env);
  const timeoutMs = options.timeoutMs ?? PDF_TIMEOUT_MS;
  const dir = await mkdtemp(join(tmpdir(), 'emoguard-pdf-'));
  try {
    const page = join(dir, 'report.html');
    const out = join(dir, 'report.pdf');
    await writeFile(page, html);
    const args = [
      '--headless',
      // SECURITY: the sandbox needs user namespaces that containers and root lack; the page it opens is
      // our own escaped report under a CSP that blocks scripts and every network load.
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--mute-audio',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${out}`,
      pathToFileURL(page).href,
    ];
    const { code, stderr } = await run(chromium, args, timeoutMs, dir);
    let pdf: Uint8Array;
    try {
      pdf = new Uint8Array(await readFile(out));
    } catch {
      throw new DefenseError(
        'E_PDF_FAILED',
        `${chromium} wrote no PDF (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
    if (new TextDecoder().decode(pdf.subarray(0, 5)) !== '%PDF-') {
      throw new DefenseError('E_PDF_FAILED', `${chromium} wrote something that is not a PDF`);
    }
    return pdf;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(
  command: string,
  args: string[],
  timeoutMs: number,
  home: string,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Own process group, so a timeout kills the renderer and GPU children too.
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64_000) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      reject(new DefenseError('E_PDF_TIMEOUT', `${command} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(
        new DefenseError('E_PDF_FAILED', `cannot run ${command}: ${error.message}`, {
          cause: error,
        }),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
