import { type ValidationResult } from './value-validator';

// Deliberately stricter than RFC 5322: a CRM Email field rejects quoted local parts and IP literals.
const LOCAL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^[a-z]{2,24}$/;

/** Lower-cased address with a dotted domain and an alphabetic top-level domain. */
export function validateEmail(candidate: string): ValidationResult {
  const value = candidate
    .trim()
    .replace(/[.,;:]+$/, '')
    .toLowerCase();
  const at = value.lastIndexOf('@');
  if (at <= 0 || value.length > 254) return { ok: false, detail: 'expected local@domain' };
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  const tld = labels[labels.length - 1] ?? '';
  const valid =
    local.length <= 64 &&
    LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => LABEL.test(label)) &&
    TLD.test(tld);
  return valid ? { ok: true, value } : { ok: false, detail: 'not a deliverable address form' };
}
