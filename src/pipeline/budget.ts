import { LimitError, type Limits } from '../core/index.js';

/**
 * What one top-level input may still extract, shared by every artifact inside it. A zip bomb spread over
 * many members or levels is stopped here even when each member looks small.
 */
export class InputBudget {
  private bytes = 0;
  private members = 0;

  constructor(private readonly limits: Readonly<Limits>) {}

  remainingBytes(): number {
    return Math.max(0, this.limits.maxTotalBytes - this.bytes);
  }

  /** Charges one child; throws LimitError when it would pass a member or byte limit. */
  admit(size: number, what: string): void {
    if (this.members + 1 > this.limits.maxMembers) {
      throw new LimitError(
        'E_LIMIT_MEMBERS',
        `${what}: more than ${this.limits.maxMembers} extracted children`,
        {
          limit: 'maxMembers',
          max: this.limits.maxMembers,
          actual: this.members + 1,
        },
      );
    }
    if (this.bytes + size > this.limits.maxTotalBytes) {
      throw new LimitError(
        'E_LIMIT_TOTAL_BYTES',
        `${what}: extracting ${size} more bytes would pass ${this.limits.maxTotalBytes} in total`,
        { limit: 'maxTotalBytes', max: this.limits.maxTotalBytes, actual: this.bytes + size },
      );
    }
    this.members++;
    this.bytes += size;
  }
}
