/**
 * Failed-login throttling (OWASP ASVS 2.2.1): per client address and per user name, a fixed window. In
 * memory: one `serve` process is the deployment this protects; a restart forgets, which an attacker cannot
 * cause from outside.
 */
export interface LimiterOptions {
  /** Failures allowed per key in one window. */
  maxFailures: number;
  windowMs: number;
  /** SECURITY: bounds memory under a flood of distinct keys; the oldest windows are dropped first. */
  maxKeys?: number;
}

interface Window {
  start: number;
  failures: number;
}

export class FailureLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #maxKeys: number;

  constructor(private readonly options: LimiterOptions) {
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string, now = Date.now()): number {
    const w = this.#windows.get(key);
    if (w === undefined) return 0;
    if (now - w.start >= this.options.windowMs) {
      this.#windows.delete(key);
      return 0;
    }
    if (w.failures < this.options.maxFailures) return 0;
    return Math.ceil((w.start + this.options.windowMs - now) / 1000);
  }

  fail(key: string, now = Date.now()): void {
    const w = this.#windows.get(key);
    if (w === undefined || now - w.start >= this.options.windowMs) {
      this.#windows.delete(key);
      this.#windows.set(key, { start: now, failures: 1 });
      while (this.#windows.size > this.#maxKeys) {
        const oldest = this.#windows.keys().next().value;
        if (oldest === undefined) break;
        this.#windows.delete(oldest);
      }
      return;
    }
    w.failures++;
  }

  reset(key: string): void {
    this.#windows.delete(key);
  }

  get size(): number {
    return this.#windows.size;
  }
}
