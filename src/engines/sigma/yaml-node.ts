/**
 * Reading rule YAML with positions: every error cites `file:line:col` of the node at fault (yara-x and
 * pySigma style). Wraps the `yaml` package's AST; rules are walked node by node, never through
 * `toJS()`, so that a value keeps its span and its source text (`0x10` stays `0x10`, not 16).
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { RuleError, type RuleSpan } from '../../core/index.js';

export type { Node, YAMLMap } from 'yaml';
export { isMap, isScalar, isSeq };

/** One YAML document of a rule file, with what is needed to point at its nodes. */
export class YamlDoc {
  private visited = 0;

  constructor(
    readonly path: string,
    readonly doc: Document.Parsed,
    private readonly text: string,
    private readonly lines: LineCounter,
    private readonly maxNodes: number,
  ) {}

  span(node: Node | Pair | null | undefined): RuleSpan {
    const at = node && 'range' in node && node.range ? node.range[0] : (this.doc.range[0] ?? 0);
    const keyAt =
      node && !('range' in node) && (node as Pair).key && isScalar((node as Pair).key)
        ? ((node as Pair).key as Node).range?.[0]
        : undefined;
    const { line, col } = this.lines.linePos(keyAt ?? at);
    return { file: this.path, line, col };
  }

  error(code: `E_${string}`, message: string, node?: Node | Pair | null): RuleError {
    return new RuleError(code, message, { span: this.span(node) });
  }

  /** Follows aliases and counts nodes: // SECURITY: an alias bomb stops at maxNodes. */
  resolve(node: unknown): Node | null {
    if (++this.visited > this.maxNodes)
      throw this.error(
        'E_SIGMA_TOO_LARGE',
        `rule has more than ${this.maxNodes} YAML nodes (limit maxNodesPerRule)`,
      );
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.resolve(node.resolve(this.doc));
    return node as Node;
  }

  /** The pairs of a map as [key text, value node, pair] in file order. */
  entries(map: YAMLMap): [string, Node | null, Pair][] {
    return map.items.map((pair) => {
      const key = this.resolve(pair.key);
      const name = key && isScalar(key) ? String(key.value) : String(key);
      return [name, this.resolve(pair.value), pair as Pair];
    });
  }

  get(map: YAMLMap, key: string): Node | null | undefined {
    for (const [k, v] of this.entries(map)) if (k === key) return v;
    return undefined;
  }

  /** The source text of a plain scalar (`0x10`, `010`), else its value as text. */
  scalarText(node: Node): string | undefined {
    if (!isScalar(node)) return undefined;
    if (node.value === null || node.value === undefined) return undefined;
    if (typeof node.value === 'number' && node.type === 'PLAIN' && node.range) {
      return this.text.slice(node.range[0], node.range[1]).trim();
    }
    return String(node.value);
  }

  /** A plain JS value (for metadata and test events); aliases resolved under the node budget. */
  toJS(node: Node | null | undefined): unknown {
    const n = this.resolve(node);
    if (n === null) return null;
    if (isScalar(n)) return n.value;
    if (isSeq(n)) return n.items.map((x) => this.toJS(x as Node));
    if (isMap(n)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of this.entries(n)) out[k] = this.toJS(v);
      return out;
    }
    return null;
  }
}

/** Parses every document of a file; a syntax error becomes a RuleError at its position. */
export function parseYamlDocuments(
  path: string,
  text: string,
  maxNodes: number,
): { docs: YamlDoc[]; errors: RuleError[] } {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const list = Array.isArray(parsed) ? parsed : [];
  const docs: YamlDoc[] = [];
  const errors: RuleError[] = [];
  for (const doc of list) {
    const problem = doc.errors[0];
    if (problem) {
      const { line, col } = lines.linePos(problem.pos[0]);
      errors.push(
        new RuleError('E_SIGMA_YAML', `YAML: ${problem.message.split('\n')[0]}`, {
          span: { file: path, line, col },
        }),
      );
      continue;
    }
    if (doc.contents === null) continue; // an empty document (a trailing `---`)
    docs.push(new YamlDoc(path, doc, text, lines, maxNodes));
  }
  return { docs, errors };
}
