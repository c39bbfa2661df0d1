import { nextPrefix } from './client.mapping.js';

describe('nextPrefix (the upper bound of a name prefix in code point order)', () => {
  it.each([
    ['qq', 'qr'],
    ['q😀', 'q😁'],
    ['a\uffff', 'a\u{10000}'],
    ['a\ud7ff', 'a\ue000'],
    ['a\u{10ffff}', 'b'],
    ['\u{10ffff}\u{10ffff}', null],
    ['', null],
  ])('%j → %j', (prefix, upper) => {
    expect(nextPrefix(prefix)).toBe(upper);
  });

  it('bounds exactly the strings that start with the prefix', () => {
    const upper = nextPrefix('qq')!;
    const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
    for (const name of ['qq', 'qq😀', 'qq\uffff', 'qq\u{10ffff}zz']) {
      expect([byCodePoint(name, 'qq') >= 0, byCodePoint(name, upper) < 0]).toEqual([true, true]);
    }
    for (const name of ['qr', 'qp\u{10ffff}', 'q']) {
      expect(byCodePoint(name, 'qq') >= 0 && byCodePoint(name, upper) < 0).toBe(false);
    }
  });
});
