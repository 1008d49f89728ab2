import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { ConfigError, describeError } from '../../../core/index.js';
import { DEFAULT_VIEW_BOUNDS, renderSafeViewOf } from '../../safe-view/index.js';
import { EXIT_OK, write, type CliIO } from '../io.js';

interface ViewFlags {
  out?: string;
  lang: 'en' | 'ja';
}

export function registerView(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('view')
    .description(
      'write a safe view of a document or a mail: its text and pictures as static HTML, nothing that runs',
    )
    .argument('<file>', 'document (.doc .docx .xls .xlsx .pptx .rtf), mail (.eml .msg) or text')
    .option('--out <file>', 'write the page to FILE instead of standard output')
    .addOption(
      new Option('--lang <lang>', 'language of the page labels')
        .choices(['en', 'ja'])
        .default('en'),
    )
    .action(async (file: string, flags: ViewFlags) => setExit(await runView(file, flags, io)));
}

export async function runView(file: string, flags: ViewFlags, io: CliIO): Promise<number> {
  const bytes = readHead(file, DEFAULT_VIEW_BOUNDS.maxInputBytes);
  const name = file.split(/[\\/]/).pop() ?? file;
  const html = await renderSafeViewOf(bytes.data, name, { lang: flags.lang });
  if (flags.out) {
    await writeFile(flags.out, html);
    await write(io.stderr, `safe view written to ${flags.out}\n`);
  } else await write(io.stdout, html);
  return EXIT_OK;
}

/** The first `max` bytes of a file (a huge input is never read whole). */
function readHead(path: string, max: number): { data: Uint8Array; size: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new ConfigError('E_INPUT_UNREADABLE', `cannot read ${path}: ${describeError(error)}`);
  }
  try {
    const size = fstatSync(fd).size;
    const data = new Uint8Array(Math.min(size, max));
    let at = 0;
    while (at < data.length) {
      const n = readSync(fd, data, at, data.length - at, at);
      if (n <= 0) break;
      at += n;
    }
    return { data: data.subarray(0, at), size };
  } finally {
    closeSync(fd);
  }
}
