import { type ExtractionMethod, type TextSpan } from '@crm/contracts';

import { type EntityDefinition } from '../definitions/entity-definition.schema';

/** A possible entity before validation, confidence and conflict resolution. */
export interface Candidate {
  readonly definition: EntityDefinition;
  readonly method: ExtractionMethod;
  /** Into the original text; null for vendor entities, which carry times, not offsets. */
  readonly span: TextSpan | null;
  /** As found in the original text. */
  readonly raw: string;
  /** After normalisation: what the validator sanitises and checks. */
  readonly normalised: string;
  readonly matcherConfidence: number;
  /** Whether a spoken-form rewrite produced part of the value ("double five"). */
  readonly spokenForm: boolean;
}
