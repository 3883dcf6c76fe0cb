import { passesLuhn } from './luhn';
import { type ValidationResult } from './value-validator';

const CARD_LENGTH = /^\d{13,19}$/;

/**
 * Recognises a payment card number (13–19 digits passing Luhn). A "valid" result means REDACT: the
 * value is never returned, so it cannot leak into an event, an id or a log line.
 */
export function validateCardNumber(candidate: string): ValidationResult {
  const digits = candidate.replace(/[^\d]/g, '');
  return CARD_LENGTH.test(digits) && passesLuhn(digits)
    ? { ok: true, value: '' }
    : { ok: false, detail: 'not a card number' };
}
