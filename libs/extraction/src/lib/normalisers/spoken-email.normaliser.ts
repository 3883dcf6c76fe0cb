// Rewrites a dictated address ("john dot smith at example dot com", "j o h n at x dot org") into its
// written form. Only a phrase shaped like local-part "at" domain "dot" tld is touched, so an ordinary
// "at" ("I looked at it") is left alone.
import { type MappedText } from '../text/mapped-text';
import { type NormaliserContext } from './normaliser';

// A spelled run ("j o h n") or a word with spoken digits after it ("smith 4 2", once spoken-digits ran).
const ATOM = '(?:[a-z0-9](?:\\s+[a-z0-9])+(?![a-z0-9])|[a-z0-9]+(?:\\s+\\d(?![a-z0-9]))*)';
const JOIN = '\\s+(?:dot|underscore|dash|hyphen|period)\\s+|[._-]';
const LOCAL = `${ATOM}(?:(?:${JOIN})${ATOM})*`;
// The domain must end in a common top-level domain: otherwise "email me at john dot smith at ..."
// would take "john dot smith" for a domain.
const TLD = '(?:com|org|net|edu|gov|io|co|us|uk|ca|de|fr|es|it|nl|au|ie|info|biz|me|ai|app|dev)';
const DOMAIN = `[a-z0-9]+(?:-[a-z0-9]+)*(?:\\s+(?:dot|period)\\s+[a-z0-9]+(?:-[a-z0-9]+)*)*\\s+(?:dot|period)\\s+${TLD}`;
const SPOKEN_EMAIL = new RegExp(`\\b(${LOCAL})\\s+(?:at|@)\\s+(${DOMAIN})\\b`, 'g');
const SEPARATORS: Readonly<Record<string, string>> = {
  dot: '.',
  period: '.',
  underscore: '_',
  dash: '-',
  hyphen: '-',
};

function written(part: string): string {
  return part.replace(/\s+(dot|period|underscore|dash|hyphen)\s+|\s+/g, (_, word?: string) =>
    word === undefined ? '' : (SEPARATORS[word] ?? ''),
  );
}

export function spokenEmailNormaliser(text: MappedText, context: NormaliserContext): MappedText {
  if (!context.spoken || !text.text.includes(' dot ')) return text;
  return text.replace(SPOKEN_EMAIL, (m) => `${written(m[1] ?? '')}@${written(m[2] ?? '')}`);
}
