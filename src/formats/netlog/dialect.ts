import type { ErrorCode, LogEvent } from '../../core/index.js';

/** Records a problem on one line; the parser goes on with the next line. */
export type Report = (code: ErrorCode, message: string, line: number) => void;

/** One log dialect: a line in, an event (or nothing, for headers, comments and bad lines) out. */
export interface LineParser {
  line(text: string, line: number): LogEvent | undefined;
}
