import { type ValidationResult } from './value-validator';

const CANONICAL = /^AC-\d{8}$/;

/** `AC-` and eight digits, whether typed "ac 12345678" or said "A C dash one two ...". */
export function validateAccountId(candidate: string): ValidationResult {
  const compact = candidate.toUpperCase().replace(/DASH|HYPHEN|[\s.\-_]/g, '');
  const value = compact.startsWith('AC') ? `AC-${compact.slice(2)}` : compact;
  return CANONICAL.test(value) ? { ok: true, value } : { ok: false, detail: 'expected AC- and 8 digits' };
}
