// Tells which field a value belongs to when its shape alone cannot: "4155550132" is both a valid
// phone number and a valid order number; "my order number is" decides.
import { type EntityContext } from '../definitions/entity-definition.schema';

/** Characters between a keyword and the value; a keyword after the value counts double. */
export type KeywordDistance = number;

export class ContextKeywords {
  private readonly pattern: RegExp;

  constructor(private readonly context: EntityContext) {
    const alternatives = [...context.keywords]
      .sort((a, b) => b.length - a.length)
      .map((keyword) =>
        keyword
          .toLowerCase()
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\s+/g, '\\s+'),
      );
    this.pattern = new RegExp(`\\b(?:${alternatives.join('|')})\\b`, 'g');
  }

  /** Distance to the nearest keyword around [start, end) of the lower-cased text, Infinity if none. */
  distance(lowerText: string, start: number, end: number): KeywordDistance {
    let best = Infinity;
    const from = Math.max(0, start - this.context.before);
    const to = Math.min(lowerText.length, end + this.context.after);
    this.pattern.lastIndex = from;
    let match = this.pattern.exec(lowerText);
    while (match !== null && match.index < to) {
      const matchEnd = match.index + match[0].length;
      if (matchEnd <= start) best = Math.min(best, start - matchEnd);
      else if (match.index >= end) best = Math.min(best, (match.index - end) * 2);
      match = this.pattern.exec(lowerText);
    }
    return best;
  }
}
