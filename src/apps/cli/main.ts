import { Command, CommanderError } from 'commander';
import { ConfigError, DefenseError, describeError } from '../../core/index.js';
import { emoguardVersion, registerVersion } from './commands/version.js';
import { EXIT_ERROR, EXIT_OK, type CliIO } from './io.js';

/**
 * The emoguard command line. Returns the exit status instead of exiting, so `bin/emoguard` and tests
 * share one path: 0 nothing malicious, 1 malicious, 2 error.
 */
export async function main(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  let exitCode = EXIT_OK;
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = new Command('emoguard')
    .description(
      'Defends against Emotet-style macro malware at every step: mail, document, endpoint, network, memory, response.',
    )
    .version(emoguardVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  for (const register of await registrarsFor(argv)) register(program, io, setExit);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ||
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version'
        ? EXIT_OK
        : EXIT_ERROR;
    }
    io.stderr.write(
      `emoguard: ${error instanceof DefenseError ? describeError(error) : describeError(error)}\n`,
    );
    if (!(error instanceof ConfigError) && io.env.EMOGUARD_DEBUG)
      io.stderr.write(`${(error as Error).stack}\n`);
    return EXIT_ERROR;
  }
}

type Register = (program: Command, io: CliIO, setExit: (code: number) => void) => void;

/**
 * Every verb, in the order `--help` lists them, with the import of its module. A command module pulls in
 * its whole layer (the scan pipeline, the store, the API…), about 0.7 s of CPU for all of them, so only
 * the verb being run is loaded; help, `help <verb>`, a top-level flag or an unknown verb loads them all
 * (commander lists and suggests from the full set, so that output stays the same).
 */
const COMMANDS: readonly (readonly [readonly string[], () => Promise<Register>])[] = [
  [['scan'], async () => (await import('./commands/scan.js')).registerScan],
  [['report'], async () => (await import('./commands/report.js')).registerReport],
  [['export'], async () => (await import('./commands/export.js')).registerExport],
  [['demo'], async () => (await import('./commands/demo.js')).registerDemo],
  [['coverage'], async () => (await import('./commands/coverage.js')).registerCoverage],
  [['intel'], async () => (await import('./commands/intel.js')).registerIntel],
  [['filter'], async () => (await import('./commands/filter.js')).registerFilter],
  [['quarantine'], async () => (await import('./commands/quarantine.js')).registerQuarantine],
  [['mail'], async () => (await import('./commands/mail.js')).registerMail],
  [['disarm'], async () => (await import('./commands/disarm.js')).registerDisarm],
  [['triage'], async () => (await import('./commands/triage.js')).registerTriage],
  [['hunt'], async () => (await import('./commands/hunt.js')).registerHunt],
  [
    ['incidents', 'incident'],
    async () => (await import('./commands/incidents.js')).registerIncidents,
  ],
  [['evtx'], async () => (await import('./commands/evtx.js')).registerEvtx],
  [['rules'], async () => (await import('./commands/rules.js')).registerRules],
  [['serve'], async () => (await import('./commands/serve.js')).registerServe],
  [['user'], async () => (await import('./commands/user.js')).registerUser],
  [['token'], async () => (await import('./commands/token.js')).registerToken],
  [['view'], async () => (await import('./commands/view.js')).registerView],
  [['version'], async () => registerVersion],
];

async function registrarsFor(argv: readonly string[]): Promise<Register[]> {
  const verb = argv[0];
  const only = COMMANDS.find(([names]) => verb !== undefined && names.includes(verb));
  return Promise.all((only ? [only] : COMMANDS).map(([, load]) => load()));
}

function defaultIO(): CliIO {
  // `emoguard scan … | head`: a reader that stops early is not an error; stop quietly like other tools.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? EXIT_OK);
    });
  }
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}
