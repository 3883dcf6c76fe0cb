import { type ValidationResult } from './value-validator';

const CANONICAL = /^\d{10}$/;

/** Exactly ten digits; leading zeros are part of the number. */
export function validateOrderNumber(candidate: string): ValidationResult {
  const value = candidate.replace(/[\s.-]/g, '');
  return CANONICAL.test(value) ? { ok: true, value } : { ok: false, detail: 'expected exactly 10 digits' };
}
