import { LimitError, type AnalysisContext } from '../../core/index.js';

/**
 * What this artifact may still extract: members (maxMembers), bytes (the input's remaining budget) and the
 * per-child cap (maxFileSize). The pipeline checks again when it admits each child; stopping here means
 * no memory is spent on children it would refuse.
 */
export class ExtractionBudget {
  private members = 0;
  private bytes = 0;

  constructor(private readonly ctx: AnalysisContext) {}

  /** Bytes the next child may have. */
  get maxChild(): number {
    return Math.max(
      0,
      Math.min(this.ctx.limits.maxFileSize, this.ctx.remainingBytes() - this.bytes),
    );
  }

  /** The reason to stop before the next child, if any (deadline, members, bytes). */
  stop(left: number): unknown {
    try {
      this.ctx.checkDeadline();
    } catch (error) {
      return error;
    }
    const { maxMembers, maxTotalBytes } = this.ctx.limits;
    if (this.members >= maxMembers) {
      return new LimitError('E_LIMIT_MEMBERS', `${left} more members were not extracted`, {
        limit: 'maxMembers',
        max: maxMembers,
        actual: this.members + left,
      });
    }
    if (this.ctx.remainingBytes() - this.bytes <= 0) {
      return new LimitError('E_LIMIT_TOTAL_BYTES', `${left} more members were not extracted`, {
        limit: 'maxTotalBytes',
        max: maxTotalBytes,
      });
    }
    return undefined;
  }

  take(size: number): void {
    this.members++;
    this.bytes += size;
  }
}
