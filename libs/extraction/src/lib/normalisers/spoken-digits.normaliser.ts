// Turns spoken numbers into digits ("double five" -> "55", "oh" -> "0", "forty two" -> "42") so that
// the same digit patterns work for voice and chat. Runs on lower-cased text.
import { type MappedText } from '../text/mapped-text';
import { type NormaliserContext } from './normaliser';

const UNITS: Readonly<Record<string, string>> = {
  zero: '0',
  oh: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  niner: '9',
};
const TEENS: Readonly<Record<string, string>> = {
  ten: '10',
  eleven: '11',
  twelve: '12',
  thirteen: '13',
  fourteen: '14',
  fifteen: '15',
  sixteen: '16',
  seventeen: '17',
  eighteen: '18',
  nineteen: '19',
};
const TENS: Readonly<Record<string, string>> = {
  twenty: '2',
  thirty: '3',
  forty: '4',
  fifty: '5',
  sixty: '6',
  seventy: '7',
  eighty: '8',
  ninety: '9',
};

// "oh" is only a digit beside other digits ("four oh seven"); alone it is an interjection.
const UNIT_WORDS = 'zero|one|two|three|four|five|six|seven|eight|nine|niner';
const DIGIT_TOKEN = `(?:${UNIT_WORDS}|oh|\\d)`;
const REPEATED = new RegExp(`\\b(double|triple)[\\s-]+(${DIGIT_TOKEN})\\b`, 'g');
const TENS_WITH_UNIT = new RegExp(`\\b(${Object.keys(TENS).join('|')})(?:[\\s-]+(${UNIT_WORDS}))?\\b`, 'g');
const HUNDRED = new RegExp(`\\b(${UNIT_WORDS}|[1-9])[\\s-]+hundred\\b`, 'g');
const TEEN = new RegExp(`\\b(${Object.keys(TEENS).join('|')})\\b`, 'g');
const UNIT = new RegExp(`\\b(${UNIT_WORDS})\\b`, 'g');
const OH_RUN =
  /(?<=\d[\s,.-]{0,3})\b(?:oh|o)(?:[\s-]+(?:oh|o))*\b|\b(?:oh|o)(?:[\s-]+(?:oh|o))*\b(?=[\s,.-]{0,3}\d)/g;
/** Cheap test for the hot path: could this text contain a spoken number at all? */
export const SPOKEN_NUMBER_HINT = new RegExp(
  `\\b(?:${UNIT_WORDS}|double|triple|${Object.keys(TEENS).join('|')}|${Object.keys(TENS).join('|')})\\b`,
);

function digitOf(token: string): string {
  return UNITS[token] ?? token;
}

export function spokenDigitsNormaliser(text: MappedText, context: NormaliserContext): MappedText {
  if (!context.spoken || !SPOKEN_NUMBER_HINT.test(text.text)) return text;
  return text
    .replace(REPEATED, (m) => digitOf(m[2] ?? '').repeat(m[1] === 'triple' ? 3 : 2))
    .replace(TENS_WITH_UNIT, (m) => (TENS[m[1] ?? ''] ?? '') + (m[2] === undefined ? '0' : digitOf(m[2])))
    .replace(HUNDRED, (m) => `${digitOf(m[1] ?? '')}00`)
    .replace(TEEN, (m) => TEENS[m[1] ?? ''])
    .replace(UNIT, (m) => UNITS[m[1] ?? ''])
    .replace(OH_RUN, (m) => '0'.repeat(m[0].split(/[\s-]+/).length));
}
