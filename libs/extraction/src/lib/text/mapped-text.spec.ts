import { MappedText } from './mapped-text';

describe(MappedText.name, () => {
  it('maps a replacement back to the whole original range it replaced', () => {
    const sut = MappedText.of('call double five now').replace(/double five/g, () => '55');

    expect(sut.text).toBe('call 55 now');
    expect(sut.toOriginal(5, 7)).toEqual({ start: 5, end: 16 });
    expect(sut.isRewritten(5, 7)).toBe(true);
    expect(sut.isRewritten(0, 4)).toBe(false);
  });

  it('keeps exact positions of the characters left after removing separators', () => {
    const sut = MappedText.of('id 12-34 x').removeWithin(/\d+-\d+/g, /-/);

    expect(sut.text).toBe('id 1234 x');
    expect(sut.toOriginal(3, 7)).toEqual({ start: 3, end: 8 });
    expect(sut.toOriginal(8, 9)).toEqual({ start: 9, end: 10 });
  });

  it('composes mappings through successive rewrites', () => {
    const sut = MappedText.of('one two, three')
      .replace(/one|two|three/g, (m) => ({ one: '1', two: '2', three: '3' })[m[0]])
      .removeWithin(/\d(?:[ ,]+\d)+/g, /[ ,]/);

    expect(sut.text).toBe('123');
    expect(sut.toOriginal(0, 3)).toEqual({ start: 0, end: 14 });
  });

  it('returns the same instance when nothing matches, so clean text costs no allocation', () => {
    const original = MappedText.of('hello');

    expect(original.replace(/\d/g, () => 'x')).toBe(original);
    expect(original.removeWithin(/\d+/g, /-/)).toBe(original);
  });

  it('lower-cases without shifting offsets', () => {
    const sut = MappedText.lowerCaseOf('AC 1234');

    expect(sut.text).toBe('ac 1234');
    expect(sut.toOriginal(3, 7)).toEqual({ start: 3, end: 7 });
  });
});
