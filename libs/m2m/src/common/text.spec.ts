import { escapeControlCharacters, hasControlCharacters, storableText } from './text.js';

describe('text helpers', () => {
  it.each([
    ['plain text', 'reporting job ✓ 😀', false, false],
    ['a NUL', 'a\u0000b', true, true],
    ['ESC (a terminal sequence)', 'x\u001b[2J', true, true],
    ['CR', 'a\rb', true, true],
    ['a line feed', 'a\nb', true, false],
    ['a tab', 'a\tb', true, false],
    ['DEL', 'a\u007fb', true, true],
    ['a C1 control (NEL)', 'a\u0085b', true, true],
  ])('%s: control characters %s, in multi-line text %s', (_name, value, single, multi) => {
    expect([hasControlCharacters(value), hasControlCharacters(value, true)]).toEqual([
      single,
      multi,
    ]);
  });

  it('escapes every control character as \\xNN and leaves the rest', () => {
    expect(escapeControlCharacters('m2mc_a\nWARN forged\u0000\u001b[31m\u0085é')).toBe(
      'm2mc_a\\x0aWARN forged\\x00\\x1b[31m\\x85é',
    );
  });

  it('replaces NUL, which PostgreSQL refuses in text, and nothing else', () => {
    expect(storableText('a\u0000b\u0001')).toBe('a\ufffdb\u0001');
    const same = 'no NUL here';
    expect(storableText(same)).toBe(same);
  });
});
