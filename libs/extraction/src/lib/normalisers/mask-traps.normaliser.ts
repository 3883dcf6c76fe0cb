// Blanks out dates, times, money amounts and percentages before digit groups are joined, so that
// "01.05.2024" can never become the case number 01052024 and "$1,234,567,890" never an order number.
import { type MappedText } from '../text/mapped-text';

const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const TRAPS: readonly RegExp[] = [
  // numeric dates: 12/05/2024, 2024-05-12, 01.05.24
  /\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b/g,
  /\b\d{1,2}\/\d{1,2}\b/g,
  // written dates: may 3rd 2024, 3 may, the 3rd of may
  new RegExp(`\\b${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{2,4})?\\b`, 'g'),
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s+\\d{2,4})?\\b`, 'g'),
  // times: 10:30, 10:30:15 pm, 3 pm, 10 30 a.m., 9 o'clock
  /\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\b\.?)?/g,
  /\b\d{1,2}(?:[\s.]\d{2})?\s*(?:[ap]\.?\s?m\b\.?|o'?clock\b)/g,
  // money: $1,234.56, 1234 dollars, 20 bucks, 5k
  /[$€£¥]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|million|thousand)\b)?/g,
  /\b\d[\d,]*(?:\.\d+)?\s*(?:dollars?|bucks|usd|eur|euros?|pounds?|gbp|cents?|quid)\b/g,
  // percentages
  /\b\d+(?:\.\d+)?\s?(?:%|percent\b)/g,
];

const HAS_DIGIT = /\d/;

export function maskTrapsNormaliser(text: MappedText): MappedText {
  if (!HAS_DIGIT.test(text.text)) return text;
  let masked = text;
  for (const trap of TRAPS) masked = masked.replace(trap, (m) => '\u00a7'.repeat(m[0].length));
  return masked;
}
