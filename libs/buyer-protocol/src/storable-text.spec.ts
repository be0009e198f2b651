import { answerExcerpt, storableText } from './storable-text';

describe('storableText', () => {
  it('replaces NUL and unpaired surrogates, and keeps real pairs', () => {
    expect(storableText('a\u0000b')).toBe('a\uFFFDb');
    expect(storableText('x\uD800y\uDC00')).toBe('x\uFFFDy\uFFFD');
    expect(storableText('ok 💥')).toBe('ok 💥');
  });

  it('cuts an excerpt without leaving half an emoji', () => {
    expect(answerExcerpt(`${'x'.repeat(299)}💥`, 300)).toBe(`${'x'.repeat(299)}\uFFFD`);
    expect(answerExcerpt('short', 300)).toBe('short');
  });
});
