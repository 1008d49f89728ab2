/** The streams a command writes to; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export const EXIT_OK = 0;
/** clamscan's convention: 1 when something malicious was found. */
export const EXIT_MALICIOUS = 1;
/** 2 for errors: bad flags, unreadable inputs, a store that cannot be opened. */
export const EXIT_ERROR = 2;

/** Writes and resolves once the data is flushed (or buffered), so large outputs keep their order. */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once('drain', () => resolve());
  });
}
