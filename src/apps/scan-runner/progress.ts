import type { RunProgress } from './run.js';

/**
 * A one-line progress bar on a terminal's stderr, redrawn at most 10 times a second; silent when stderr
 * is not a TTY (pipes, CI, log files), so machine output stays clean.
 */
export function createProgressBar(
  stream: NodeJS.WriteStream = process.stderr,
  enabled = true,
): {
  update: (p: RunProgress) => void;
  done: () => void;
} {
  if (!enabled || !stream.isTTY) return { update: () => {}, done: () => {} };
  const started = Date.now();
  let last = 0;
  let drawn = false;
  const draw = (p: RunProgress) => {
    const width = Math.max(40, (stream.columns ?? 80) - 1);
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? p.done / secs : 0;
    const total = p.walking ? `${p.found}+` : String(p.found);
    const ratio = p.found > 0 && !p.walking ? p.done / p.found : 0;
    const barWidth = 20;
    const filled = Math.round(ratio * barWidth);
    const bar = p.walking
      ? '·'.repeat(barWidth)
      : '█'.repeat(filled) + '░'.repeat(barWidth - filled);
    const text = `${bar} ${p.done}/${total} files  ${(p.bytes / 1048576).toFixed(1)} MB  ${rate.toFixed(0)} files/s  ${p.current ?? ''}`;
    // Paths come from the file system: strip control characters so a crafted name cannot drive the terminal.
    const safe = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
    stream.write(`\r${safe.length > width ? safe.slice(0, width) : safe.padEnd(width)}`);
    drawn = true;
  };
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.walking) return;
      if (now - last < 100 && p.done < p.found) return;
      last = now;
      draw(p);
    },
    done() {
      if (drawn) stream.write(`\r${' '.repeat(Math.max(40, (stream.columns ?? 80) - 1))}\r`);
    },
  };
}
