import { type ValidationContext, type ValidationResult } from './value-validator';

/** The canonical catalogue name; matchers resolve aliases, this guards against a stale catalogue. */
export function validateProduct(candidate: string, context: ValidationContext): ValidationResult {
  const product = context.catalogue.byName.get(candidate.toLowerCase());
  return product === undefined
    ? { ok: false, detail: 'not in the product catalogue' }
    : { ok: true, value: product };
}
