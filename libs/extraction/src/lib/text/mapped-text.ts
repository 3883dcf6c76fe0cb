// Normalised text that remembers, per character, which range of the original text it came from, so a
// match found after spoken-form rewriting still reports a span into what the customer said or typed.
import { type TextSpan } from '@crm/contracts';

export type Replacer = (match: RegExpExecArray) => string | undefined;

export class MappedText {
  private constructor(
    readonly text: string,
    // null means identity: most texts are never rewritten, so the hot path allocates nothing.
    private readonly starts: readonly number[] | null,
    private readonly ends: readonly number[] | null,
    private readonly rewritten: readonly boolean[] | null,
  ) {}

  static of(text: string): MappedText {
    return new MappedText(text, null, null, null);
  }

  /** Lower-cases without losing the mapping, even for the few characters whose lower case is longer. */
  static lowerCaseOf(original: string): MappedText {
    const lower = original.toLowerCase();
    if (lower.length === original.length) return new MappedText(lower, null, null, null);
    return MappedText.of(original).replace(/[\s\S]/g, (m) => {
      const ch = m[0];
      const low = ch.toLowerCase();
      return low === ch ? undefined : low;
    });
  }

  /** Original span of the normalised range [start, end). */
  toOriginal(start: number, end: number): TextSpan {
    if (this.starts === null || this.ends === null) return { start, end };
    return { start: this.starts[start] ?? 0, end: this.ends[end - 1] ?? 0 };
  }

  /** Whether a rewrite (not a plain copy) produced any character in [start, end). */
  isRewritten(start: number, end: number): boolean {
    if (this.rewritten === null) return false;
    for (let i = start; i < end; i++) if (this.rewritten[i] === true) return true;
    return false;
  }

  /**
   * Replaces every match of a global pattern with the replacer's result (undefined keeps the match).
   * Inserted characters map to the whole original range of the match they replace.
   */
  replace(pattern: RegExp, replacer: Replacer): MappedText {
    pattern.lastIndex = 0;
    let match = pattern.exec(this.text);
    if (match === null) return this;
    const starts: number[] = [];
    const ends: number[] = [];
    const rewritten: boolean[] = [];
    let out = '';
    let copiedUpTo = 0;
    while (match !== null) {
      const from = match.index;
      const to = from + match[0].length;
      const replacement = match[0].length === 0 ? undefined : replacer(match);
      if (replacement !== undefined) {
        out += this.copy(copiedUpTo, from, starts, ends, rewritten);
        const span = this.toOriginal(from, to);
        for (let i = 0; i < replacement.length; i++) {
          starts.push(span.start);
          ends.push(span.end);
          rewritten.push(true);
        }
        out += replacement;
        copiedUpTo = to;
      }
      if (match[0].length === 0) pattern.lastIndex++;
      match = pattern.exec(this.text);
    }
    if (out.length === 0 && copiedUpTo === 0) return this;
    out += this.copy(copiedUpTo, this.text.length, starts, ends, rewritten);
    return new MappedText(out, starts, ends, rewritten);
  }

  /** Deletes the characters matching `drop` inside every match of `region`, keeping exact spans. */
  removeWithin(region: RegExp, drop: RegExp): MappedText {
    region.lastIndex = 0;
    let match = region.exec(this.text);
    if (match === null) return this;
    const starts: number[] = [];
    const ends: number[] = [];
    const rewritten: boolean[] = [];
    let out = '';
    let copiedUpTo = 0;
    let removed = false;
    while (match !== null) {
      const from = match.index;
      const to = from + match[0].length;
      out += this.copy(copiedUpTo, from, starts, ends, rewritten);
      // Separators before the first kept character ("(415) ...") belong to it, so spans include them.
      let leadingStart: number | null = null;
      for (let i = from; i < to; i++) {
        if (drop.test(this.text.charAt(i))) {
          removed = true;
          if (i === from) leadingStart = this.toOriginal(i, i + 1).start;
          continue;
        }
        out += this.copy(i, i + 1, starts, ends, rewritten);
        if (leadingStart !== null) {
          starts[starts.length - 1] = leadingStart;
          leadingStart = null;
        }
      }
      copiedUpTo = to;
      if (match[0].length === 0) region.lastIndex++;
      match = region.exec(this.text);
    }
    if (!removed) return this;
    out += this.copy(copiedUpTo, this.text.length, starts, ends, rewritten);
    return new MappedText(out, starts, ends, rewritten);
  }

  private copy(from: number, to: number, starts: number[], ends: number[], rewritten: boolean[]): string {
    for (let i = from; i < to; i++) {
      starts.push(this.starts === null ? i : (this.starts[i] ?? i));
      ends.push(this.ends === null ? i + 1 : (this.ends[i] ?? i + 1));
      rewritten.push(this.rewritten?.[i] ?? false);
    }
    return this.text.slice(from, to);
  }
}
