// Joins digit groups that a person or an ASR engine split ("415 555 0132", "12345-67890",
// "4 1 5, 5 5 5"), keeping each digit's exact position in the original text.
import { type MappedText } from '../text/mapped-text';

const GROUPS = /\(?\d+(?:(?:[ \t]*[-.,)][ \t]*|[ \t]+\(?|[ \t]*\([ \t]*)\d+)+/g;
const SEPARATOR = /[^\d]/;

export function digitGroupsNormaliser(text: MappedText): MappedText {
  return text.removeWithin(GROUPS, SEPARATOR);
}
