// Defence in depth: whatever a definition matched, a value that contains a Luhn-valid 13–19 digit
// run is treated as a card number and redacted, so a misconfigured definition cannot leak one.
import { passesLuhn } from '../validators/luhn';

const LONG_DIGIT_RUN = /\d{13,}/g;

export function containsCardNumber(text: string): boolean {
  const compact = text.replace(/[\s.-]/g, '');
  for (const run of compact.match(LONG_DIGIT_RUN) ?? []) {
    for (let length = 13; length <= Math.min(19, run.length); length++) {
      for (let start = 0; start + length <= run.length; start++) {
        if (passesLuhn(run.slice(start, start + length))) return true;
      }
    }
  }
  return false;
}
