import { createServer, type Server, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import { concatBytes, walkResults, type ScanResult } from '../../core/index.js';
import type { Scanner } from '../scan-runner/index.js';

export interface ClamdOptions {
  scanner: Scanner;
  /** clamd's StreamMaxLength: INSTREAM data past it is refused. */
  maxStreamBytes: number;
  version: string;
  /** Report suspicious inputs as FOUND too (clamd's heuristic alerts); default: malicious only. */
  reportSuspicious: boolean;
}

const MAX_COMMAND_BYTES = 4096;

/**
 * The clamd protocol (clamd(8): PING, VERSION, INSTREAM, SCAN/CONTSCAN/MULTISCAN, with the z/n prefixes)
 * so rspamd's external_services, amavisd-new and other clamd clients can use emoguard as their scanner.
 * Replies: `stream: OK`, `stream: Emoguard.<Verdict>.<finding> FOUND`, `… ERROR`.
 */
export function createClamdServer(options: ClamdOptions): Server {
  // allowHalfOpen: clients may send everything and half-close before reading the answer.
  return createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    void serve(socket, options).catch(() => socket.destroy());
  });
}

async function serve(socket: Socket, options: ClamdOptions): Promise<void> {
  const reader = new SocketReader(socket);
  for (;;) {
    const command = await reader.command();
    if (command === undefined) {
      socket.end();
      return;
    }
    const { name, arg, end } = command;
    if (name === 'PING') socket.write(`PONG${end}`);
    else if (name === 'VERSION') socket.write(`emoguard ${options.version}${end}`);
    else if (name === 'INSTREAM') {
      const data = await reader.stream(options.maxStreamBytes);
      if (data === 'too-large') {
        socket.write(`INSTREAM size limit exceeded. ERROR${end}`);
        socket.end();
        return;
      }
      if (data === undefined) {
        socket.end();
        return;
      }
      socket.write(`stream: ${await verdictLine(options, 'clamd:stream', data)}${end}`);
    } else if (name === 'SCAN' || name === 'CONTSCAN' || name === 'MULTISCAN') {
      let line: string;
      try {
        line = await verdictLine(options, arg, new Uint8Array(await readFile(arg)));
      } catch (error) {
        line = `${(error as NodeJS.ErrnoException).code ?? 'Error'}. ERROR`;
      }
      socket.write(`${arg}: ${line}${end}`);
    } else {
      socket.write(`UNKNOWN COMMAND${end}`);
    }
    // Only IDSESSION keeps a connection for several commands; emoguard answers one command per connection.
    if (name !== 'IDSESSION') {
      socket.end();
      return;
    }
  }
}

async function verdictLine(options: ClamdOptions, path: string, data: Uint8Array): Promise<string> {
  const result = await options.scanner.scan(path, data);
  const found =
    result.verdict === 'malicious' || (options.reportSuspicious && result.verdict === 'suspicious');
  return found ? `${signatureName(result)} FOUND` : 'OK';
}

function signatureName(result: ScanResult): string {
  const rank = ['info', 'low', 'medium', 'high', 'critical'];
  let best: { id: string; r: number } = { id: 'generic', r: -1 };
  for (const [node] of walkResults(result)) {
    for (const f of node.findings)
      if (rank.indexOf(f.severity) > best.r) best = { id: f.id, r: rank.indexOf(f.severity) };
  }
  const verdict = result.verdict[0]!.toUpperCase() + result.verdict.slice(1);
  return `Emoguard.${verdict}.${best.id}`;
}

/** Reads clamd commands and INSTREAM chunks from a socket, bounded; chunks are queued, not re-copied. */
class SocketReader {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;
  private waiting: (() => void) | undefined;
  private ended = false;

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      this.length += chunk.length;
      this.wake();
    });
    for (const event of ['end', 'close'] as const) {
      socket.on(event, () => {
        this.ended = true;
        this.wake();
      });
    }
  }

  /** `zINSTREAM\0`, `nPING\n` or a bare `PING\n`; the reply ends the same way. */
  async command(): Promise<{ name: string; arg: string; end: string } | undefined> {
    for (;;) {
      const head = this.peek(Math.min(this.length, MAX_COMMAND_BYTES + 1));
      const z = head[0] === 0x7a; // 'z'
      const at = head.indexOf(z ? 0 : 0x0a);
      if (at >= 0) {
        const text = new TextDecoder().decode(this.take(at + 1).subarray(0, at)).replace(/\r$/, '');
        const body = /^[zn]/.test(text) ? text.slice(1) : text;
        const space = body.indexOf(' ');
        return {
          name: (space < 0 ? body : body.slice(0, space)).toUpperCase(),
          arg: space < 0 ? '' : body.slice(space + 1),
          end: z ? '\0' : '\n',
        };
      }
      if (this.length > MAX_COMMAND_BYTES || this.ended) return undefined;
      await this.more();
    }
  }

  /** INSTREAM chunks: <4-byte big-endian length><data>… until a zero length. */
  async stream(max: number): Promise<Uint8Array | 'too-large' | undefined> {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      if (!(await this.need(4))) return undefined;
      const size = new DataView(this.take(4).buffer).getUint32(0, false);
      if (size === 0) return concatBytes(parts);
      if (total + size > max) return 'too-large';
      if (!(await this.need(size))) return undefined;
      parts.push(this.take(size));
      total += size;
    }
  }

  private async need(n: number): Promise<boolean> {
    while (this.length < n) {
      if (this.ended) return false;
      await this.more();
    }
    return true;
  }

  /** The first `n` queued bytes, without consuming them. */
  private peek(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of this.chunks) {
      if (at >= n) break;
      const part = c.subarray(0, n - at);
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /** Consumes `n` bytes (a fresh copy). */
  private take(n: number): Uint8Array {
    const out = this.peek(n);
    let left = n;
    while (left > 0) {
      const c = this.chunks[0]!;
      if (c.length <= left) {
        this.chunks.shift();
        left -= c.length;
      } else {
        this.chunks[0] = c.subarray(left);
        left = 0;
      }
    }
    this.length -= n;
    return out;
  }

  private more(): Promise<void> {
    return new Promise((resolve) => (this.waiting = resolve));
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }
}
