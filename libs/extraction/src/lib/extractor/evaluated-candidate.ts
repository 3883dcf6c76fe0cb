import { type Candidate } from '../matchers/candidate';
import { type ValidationResult } from '../validators/value-validator';

/** A candidate after validation, context and confidence: everything conflict resolution weighs. */
export interface EvaluatedCandidate {
  readonly candidate: Candidate;
  /** Computed on first use: phone validation is the dearest step, and most candidates lose first. */
  readonly validation: ValidationResult;
  /** 0 when the definition needs no context keyword; Infinity when it needs one and none is near. */
  readonly keywordDistance: number;
  readonly confidence: number;
  /** Extra identity for span-less candidates (vendor entities) in the entity id. */
  readonly where: string | null;
}

export type Outcome =
  | { readonly kind: 'accepted'; readonly entry: EvaluatedCandidate; readonly value: string }
  | {
      readonly kind: 'rejected';
      readonly entry: EvaluatedCandidate;
      readonly reason: 'LOW_CONFIDENCE' | 'INVALID_FORMAT' | 'AMBIGUOUS';
      readonly value: string | null;
      readonly detail: string;
    };
