import { clipText, type Evidence, type Finding, type FindingFactory } from '../../core/index.js';

/** Evidence kept per finding: one mail with 250 renamed attachments stays one readable finding. */
const MAX_EVIDENCE_PER_FINDING = 50;

/** Collects evidence per finding kind, so each kind is reported once per mail with all its evidence. */
export class FindingSink {
  readonly #byId = new Map<
    string,
    { factory: FindingFactory; evidence: Evidence[]; dropped: number }
  >();
  readonly #maxChars: number;

  constructor(maxEvidenceChars: number) {
    this.#maxChars = maxEvidenceChars;
  }

  add(factory: FindingFactory, evidence: Evidence): void {
    let entry = this.#byId.get(factory.def.id);
    if (!entry) {
      entry = { factory, evidence: [], dropped: 0 };
      this.#byId.set(factory.def.id, entry);
    }
    if (entry.evidence.length >= MAX_EVIDENCE_PER_FINDING) {
      entry.dropped++;
      return;
    }
    const clipped: Evidence = { ...evidence };
    if (clipped.text !== undefined) clipped.text = clipText(clipped.text, this.#maxChars);
    if (clipped.note !== undefined) clipped.note = clipText(clipped.note, this.#maxChars);
    entry.evidence.push(clipped);
  }

  findings(): Finding[] {
    return [...this.#byId.values()].map(({ factory, evidence, dropped }) =>
      factory(dropped === 0 ? evidence : [...evidence, { note: `${dropped} more not shown` }]),
    );
  }
}
