/** In-process CLI runs for command tests: `main(argv, io)` with streams that collect what is written. */
import type { CliIO } from '../../src/apps/cli/io.js';
import { main } from '../../src/apps/cli/main.js';

export function fakeIO(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) =>
    ({
      write: (s: string) => (append(String(s)), true),
      once: () => undefined,
      isTTY: false,
    }) as unknown as NodeJS.WriteStream;
  return {
    io: {
      stdout: stream((s) => (out += s)),
      stderr: stream((s) => (err += s)),
      env: { NO_COLOR: '1' },
    },
    out: () => out,
    err: () => err,
  };
}

export async function runCli(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const f = fakeIO();
  const code = await main(args, f.io);
  return { code, stdout: f.out(), stderr: f.err() };
}
