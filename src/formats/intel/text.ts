/**
 * Plain indicator lists: one per line, `#`, `;` and `//` comments (whole line, or after a blank),
 * defanged values refanged (`hxxp://`, `[.]`), hosts-file lines (`0.0.0.0 bad.example`, URLhaus and
 * Feodo's hostfile/plain-list downloads) read as their domain. The type is guessed per line.
 */
import { refang } from '../indicators/index.js';
import { emit, makeIoc, type IntelSink, type RecordMeta } from './build.js';
import { classifyIndicator } from './normalize.js';

const COMMENT = /^\s*(#|;|\/\/)/;
const INLINE_COMMENT = /\s+(#|;|\/\/).*$/;
const SINKHOLE = /^(0\.0\.0\.0|127\.0\.0\.1|::1?)$/;

export function createTextListReader(
  meta: Omit<RecordMeta, 'line'>,
  sink: IntelSink,
  hexType: 'md5' | 'ja3' | 'ja3s' = 'md5',
) {
  return (line: string, n: number): void => {
    if (COMMENT.test(line)) return;
    const text = refang(line.replace(INLINE_COMMENT, '')).trim();
    if (text.length === 0) return;
    const words = text.split(/\s+/);
    let candidate = words[0]!;
    if (words.length >= 2 && SINKHOLE.test(words[0]!)) candidate = words[1]!;
    else if (words.length > 1) {
      return sink.reject(
        `one indicator per line expected, found ${words.length} words`,
        n,
        'E_INTEL_TEXT',
      );
    }
    const found = classifyIndicator(candidate.replace(/^"|"$/g, ''), hexType);
    if (!found)
      return sink.reject(
        `not an IP, CIDR, domain, URL or hash: "${candidate.slice(0, 200)}"`,
        n,
        'E_INTEL_TEXT',
      );
    emit(sink, makeIoc(found.type, found.value, { ...meta, line: n }), n);
  };
}
