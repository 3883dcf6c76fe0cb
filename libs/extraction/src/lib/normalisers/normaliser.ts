import { type MappedText } from '../text/mapped-text';

export const NORMALISER_NAMES = [
  'lowercase',
  'spoken-digits',
  'spoken-email',
  'mask-traps',
  'digit-groups',
] as const;
export type NormaliserName = (typeof NORMALISER_NAMES)[number];

export interface NormaliserContext {
  /** True for speech (voice, callback): spoken-form rewrites only make sense on ASR output. */
  readonly spoken: boolean;
}

export type Normaliser = (text: MappedText, context: NormaliserContext) => MappedText;
