import { type RegexDefinition } from '../definitions/entity-definition.schema';
import { type MappedText } from '../text/mapped-text';
import { type Candidate } from './candidate';

export class RegexMatcher {
  private readonly pattern: RegExp;

  constructor(private readonly definition: RegexDefinition) {
    // 'd' gives capture-group offsets, so a group's span maps back exactly.
    this.pattern = new RegExp(definition.pattern, `${definition.flags}gd`);
  }

  match(view: MappedText, original: string): Candidate[] {
    const out: Candidate[] = [];
    this.pattern.lastIndex = 0;
    let match = this.pattern.exec(view.text);
    while (match !== null) {
      const indices = match.indices?.[this.definition.group];
      const value = match[this.definition.group];
      if (indices !== undefined && value !== undefined && value.length > 0) {
        const span = view.toOriginal(indices[0], indices[1]);
        out.push({
          definition: this.definition,
          method: 'REGEX',
          span,
          raw: original.slice(span.start, span.end),
          normalised: value,
          matcherConfidence: this.definition.matcherConfidence,
          spokenForm: view.isRewritten(indices[0], indices[1]),
        });
      }
      if (match[0].length === 0) this.pattern.lastIndex++;
      match = this.pattern.exec(view.text);
    }
    return out;
  }
}
