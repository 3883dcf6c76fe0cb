import { type ValidationResult } from './value-validator';

const CANONICAL = /^0\d{7}$/;

/** Eight digits starting with 0, as the CRM's auto-number formats them. */
export function validateCaseNumber(candidate: string): ValidationResult {
  const value = candidate.replace(/[\s.-]/g, '');
  return CANONICAL.test(value)
    ? { ok: true, value }
    : { ok: false, detail: 'expected 8 digits starting with 0' };
}
