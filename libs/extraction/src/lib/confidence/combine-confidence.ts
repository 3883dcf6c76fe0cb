// confidence = matcher × ASR × (0.98 if a spoken-form rewrite produced part of the value),
// rounded to 4 decimals. Documented in the library README; vendor entities keep their own score.

/** A value rebuilt from words ("double five") is slightly less certain than one read verbatim. */
export const SPOKEN_FORM_FACTOR = 0.98;

export function combineConfidence(matcher: number, asr: number, spokenForm: boolean): number {
  const combined = matcher * asr * (spokenForm ? SPOKEN_FORM_FACTOR : 1);
  return Math.round(Math.min(1, Math.max(0, combined)) * 10_000) / 10_000;
}
