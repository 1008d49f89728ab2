import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT_OK, write, type CliIO } from '../io.js';

/** The version of package.json, found upward from this file (src/ under tsx, dist/ when built). */
export function emoguardVersion(): string {
  for (const up of ['../../../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'emoguard' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return '0.0.0-unknown';
}

export function registerVersion(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
): void {
  program
    .command('version')
    .description('print the emoguard and Node.js versions')
    .action(async () => {
      await write(io.stdout, `emoguard ${emoguardVersion()} (node ${process.version})\n`);
      setExit(EXIT_OK);
    });
}
