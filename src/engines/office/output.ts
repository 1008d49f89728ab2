import {
  findingForError,
  limitExceeded,
  LimitError,
  parseError,
  type AnalysisContext,
  type Anomaly,
  type ChildInput,
  type EngineOutput,
  type Evidence,
  type Finding,
  type FindingFactory,
} from '../../core/index.js';

/** Evidence items kept per finding: a document with 5,000 DDE fields is one finding, not 5,000. */
export const MAX_EVIDENCE_ITEMS = 20;
/** Children extracted from one artifact by this engine. */
export const MAX_OFFICE_CHILDREN = 512;

/**
 * What the engine gathers for one artifact: one finding per kind with its evidence list (capped),
 * children under the byte budget, and parser anomalies as scan.* findings.
 */
export class OfficeOutput {
  private readonly byId = new Map<string, { finding: Finding; dropped: number }>();
  private readonly extra: Finding[] = [];
  private readonly children: ChildInput[] = [];
  private readonly names = new Map<string, number>();
  private extracted = 0;
  private isFull = false;

  constructor(readonly ctx: AnalysisContext) {}

  add(factory: FindingFactory, evidence: Evidence): void {
    const entry = this.byId.get(factory.def.id);
    if (!entry) {
      this.byId.set(factory.def.id, { finding: factory(evidence), dropped: 0 });
    } else if (entry.finding.evidence.length < MAX_EVIDENCE_ITEMS) {
      entry.finding.evidence.push(evidence);
    } else {
      entry.dropped++;
    }
  }

  has(factory: FindingFactory): boolean {
    return this.byId.has(factory.def.id);
  }

  /** Bytes one more child may have: the file size limit and what is left of the input's budget. */
  room(): { maxBytes: number; limit: string } {
    const left = this.ctx.remainingBytes() - this.extracted;
    const { maxFileSize } = this.ctx.limits;
    return left < maxFileSize
      ? { maxBytes: Math.max(0, left), limit: 'maxTotalBytes' }
      : { maxBytes: maxFileSize, limit: 'maxFileSize' };
  }

  /** Adds a child unless the byte budget or the child count is spent (reported once). */
  child(name: string, bytes: Uint8Array, compressedSize?: number): boolean {
    if (this.isFull) return false;
    const room = this.room();
    const tooMany = this.children.length >= MAX_OFFICE_CHILDREN;
    if (tooMany || bytes.length > room.maxBytes) {
      this.isFull = tooMany;
      this.error(
        new LimitError(
          tooMany ? 'E_LIMIT_MEMBERS' : 'E_LIMIT_TOTAL_BYTES',
          tooMany
            ? `more than ${MAX_OFFICE_CHILDREN} embedded objects; the rest were not extracted`
            : `${name}: ${bytes.length} bytes would pass the byte budget`,
          tooMany
            ? { limit: 'maxMembers', max: MAX_OFFICE_CHILDREN }
            : { limit: room.limit, max: room.maxBytes, actual: bytes.length },
        ),
        name,
      );
      return false;
    }
    this.extracted += bytes.length;
    this.children.push({
      name: this.unique(safeName(name)),
      bytes,
      relation: 'embedded',
      ...(compressedSize === undefined ? {} : { compressedSize }),
    });
    return true;
  }

  error(error: unknown, where: string): void {
    this.extra.push(findingForError(error, where));
  }

  anomalies(list: readonly Anomaly[], where: string): void {
    for (const a of list) {
      const evidence: Evidence = {
        location: a.location ?? where,
        text: `${a.code}: ${a.message}`,
        ...(a.offset === undefined ? {} : { offset: a.offset }),
      };
      this.extra.push(
        a.code.startsWith('E_LIMIT_') ? limitExceeded(evidence) : parseError(evidence),
      );
    }
  }

  result(): EngineOutput {
    const findings = [...this.byId.values()].map(({ finding, dropped }) => {
      if (dropped > 0) finding.evidence.push({ note: `…and ${dropped} more` });
      return finding;
    });
    return { findings: [...findings, ...this.extra], children: this.children };
  }

  private unique(name: string): string {
    const seen = this.names.get(name) ?? 0;
    this.names.set(name, seen + 1);
    if (seen === 0) return name;
    const dot = name.lastIndexOf('.');
    return dot > 0 ? `${name.slice(0, dot)}-${seen + 1}${name.slice(dot)}` : `${name}-${seen + 1}`;
  }
}

/**
 * A child name from attacker-chosen text (a package label, a part name): no control characters, no `!`
 * (it separates path levels in output), at most 160 characters. Unicode, bidi overrides included, is
 * kept: a name like `invoice\u202Efdp.exe` is evidence, and output layers escape it.
 */
export function safeName(name: string): string {
  const cleaned = name.replace(/[\u0000-\u001f\u007f!]/g, '_').trim();
  return (cleaned === '' ? 'object' : cleaned).slice(0, 160);
}

/** The last path segment of a Windows or POSIX path. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
