import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

import { type ValidationContext, type ValidationResult } from './value-validator';

/** A number valid for its region (libphonenumber metadata), in E.164. */
export function validatePhone(candidate: string, context: ValidationContext): ValidationResult {
  const digits = candidate.replace(/[^\d+]/g, '');
  const parsed = parsePhoneNumberFromString(digits, context.defaultRegion as CountryCode);
  if (parsed === undefined || !parsed.isValid()) return { ok: false, detail: 'not a valid phone number' };
  return { ok: true, value: parsed.number };
}
