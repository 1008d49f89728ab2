import { Command, CommanderError } from 'commander';
import { ConfigError, DefenseError, describeError } from '../../core/index.js';
import { registerCoverage } from './commands/coverage.js';
import { registerDemo } from './commands/demo.js';
import { registerDisarm } from './commands/disarm.js';
import { registerEvtx } from './commands/evtx.js';
import { registerExport } from './commands/export.js';
import { registerHunt } from './commands/hunt.js';
import { registerIncidents } from './commands/incidents.js';
import { registerIntel } from './commands/intel.js';
import { registerMail } from './commands/mail.js';
import { registerFilter } from './commands/filter.js';
import { registerQuarantine } from './commands/quarantine.js';
import { registerReport } from './commands/report.js';
import { registerRules } from './commands/rules.js';
import { registerScan } from './commands/scan.js';
import { registerServe } from './commands/serve.js';
import { registerToken } from './commands/token.js';
import { registerTriage } from './commands/triage.js';
import { registerUser } from './commands/user.js';
import { emoguardVersion, registerVersion } from './commands/version.js';
import { registerView } from './commands/view.js';
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
  registerScan(program, io, setExit);
  registerReport(program, io, setExit);
  registerExport(program, io, setExit);
  registerDemo(program, io, setExit);
  registerCoverage(program, io, setExit);
  registerIntel(program, io, setExit);
  registerFilter(program, io, setExit);
  registerQuarantine(program, io, setExit);
  registerMail(program, io, setExit);
  registerDisarm(program, io, setExit);
  registerTriage(program, io, setExit);
  registerHunt(program, io, setExit);
  registerIncidents(program, io, setExit);
  registerEvtx(program, io, setExit);
  registerRules(program, io, setExit);
  registerServe(program, io, setExit);
  registerUser(program, io, setExit);
  registerToken(program, io, setExit);
  registerView(program, io, setExit);
  registerVersion(program, io, setExit);
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
