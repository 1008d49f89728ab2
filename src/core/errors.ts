/**
 * Coded errors. Codes are `E_<AREA>_<WHAT>` and stay stable: docs, JSON output and users' scripts cite them.
 * Parsers do not throw for malformed input (malware is malformed on purpose); they return partial results
 * with anomalies. They throw for limits and misuse, and the pipeline turns what they throw into findings.
 */
export type ErrorCode = `E_${string}`;

export interface DefenseErrorOptions {
  cause?: unknown;
}

export class DefenseError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: DefenseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** Input bytes that do not follow their format. `offset` is the byte offset where parsing failed. */
export class FormatError extends DefenseError {
  readonly offset: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: DefenseErrorOptions & { offset?: number } = {},
  ) {
    super(code, message, options);
    this.offset = options.offset;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), offset: this.offset };
  }
}

export interface RuleSpan {
  file: string;
  line: number;
  col: number;
}

/** A rule (Sigma, YARA, IOC feed line) that cannot be loaded. Rendered `error[E_…]: title --> file:line:col`. */
export class RuleError extends DefenseError {
  readonly span: RuleSpan | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: DefenseErrorOptions & { span?: RuleSpan } = {},
  ) {
    super(code, message, options);
    this.span = options.span;
  }

  render(): string {
    const where = this.span ? `\n --> ${this.span.file}:${this.span.line}:${this.span.col}` : '';
    return `error[${this.code}]: ${this.message}${where}`;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), span: this.span };
  }
}

/** A configured limit was reached: the input is hostile or larger than the operator allowed. */
export class LimitError extends DefenseError {
  readonly limit: string;
  readonly max: number;
  readonly actual: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: DefenseErrorOptions & { limit: string; max: number; actual?: number },
  ) {
    super(code, message, options);
    this.limit = options.limit;
    this.max = options.max;
    this.actual = options.actual;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limit: this.limit, max: this.max, actual: this.actual };
  }
}

/** Bad options, flags, environment or files given by the operator. */
export class ConfigError extends DefenseError {}

/** A human-readable one-liner for any thrown value, with the code when there is one. */
export function describeError(error: unknown): string {
  if (error instanceof DefenseError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
