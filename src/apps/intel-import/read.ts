import { createReadStream } from 'node:fs';
import { IntelParser, type Ioc } from '../../formats/intel/index.js';
import type { IntelRows } from '../../store/index.js';
import type { FeedOutcome, FeedRequest } from './protocol.js';
import { RowBuilder } from './rows.js';

const READ_CHUNK = 256 * 1024;

/**
 * Reads and parses one feed file into IntelRows batches of `batchRows` (the last may be shorter);
 * `done` receives the parser's summary and anomalies once the file is read.
 */
export async function* readFeedRows(
  request: FeedRequest,
  done: (outcome: FeedOutcome) => void,
): AsyncGenerator<IntelRows> {
  const parser = new IntelParser({
    name: request.file,
    format: request.format,
    ...(request.source === undefined ? {} : { source: request.source }),
  });
  const rows = new RowBuilder(new Date(request.now), request.ttlDays);
  const size = Math.max(1, request.batchRows);
  // Cut at exactly `size` rows: a JSON feed's indicators all arrive at the end, in one list.
  function* batches(iocs: readonly Ioc[]): Generator<IntelRows> {
    for (let at = 0; at < iocs.length;) {
      const n = Math.min(iocs.length - at, size - rows.rows);
      rows.add(iocs, at, at + n);
      at += n;
      if (rows.rows >= size) yield rows.take();
    }
  }
  for await (const chunk of createReadStream(request.file, { highWaterMark: READ_CHUNK })) {
    yield* batches(parser.push(chunk as Uint8Array));
  }
  yield* batches(parser.end());
  if (rows.rows > 0) yield rows.take();
  done({ summary: parser.summary(), anomalies: parser.anomalies });
}
