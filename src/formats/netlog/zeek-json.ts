/**
 * Zeek logs written by the JSON writer (`LogAscii::use_json=T`, or `policy/tuning/json-logs.zeek`): one
 * object per line with Zeek's field names (`id.orig_h` …), `ts` as epoch seconds or ISO 8601. `_path`
 * comes from the record when a streaming writer added it, else from the file name.
 */
import type { LogEvent } from '../../core/index.js';
import type { LineParser, Report } from './dialect.js';
import { parseJsonObject } from './json-line.js';
import { zeekHost, zeekTime } from './zeek-common.js';
import { zeekPathFromFile } from './zeek-tsv.js';

export function createZeekJsonParser(logPath: string, report: Report): LineParser {
  const fallbackPath = zeekPathFromFile(logPath);
  return {
    line(text: string, line: number): LogEvent | undefined {
      const data = parseJsonObject(text, line, report);
      if (data === undefined) return undefined;
      if (typeof data._path !== 'string') data._path = fallbackPath;
      const event: LogEvent = { kind: 'network', source: { path: logPath, line }, data };
      const host = zeekHost(data);
      if (host !== undefined) event.host = host;
      const time = zeekTime(data.ts);
      if (time !== undefined) event.time = time;
      return event;
    },
  };
}
