import { capture, describeRule, locate } from './answer-locator';

describe('capture', () => {
  it.each<[string, string, string | undefined, string, string | undefined]>([
    ['its one group', 'id=(\\w+)', undefined, 'id=A1', 'A1'],
    ['the first match', 'id=(\\w+)', undefined, 'id=A1 id=B2', 'A1'],
    ['with ignore case', 'id=(\\w+)', 'i', 'ID=A1', 'A1'],
    ['nothing without ignore case', 'id=(\\w+)', undefined, 'ID=A1', undefined],
    ['nothing for an optional group that did not take part', 'id=(\\w+)?', undefined, 'id=', undefined],
  ])('gives %s', (_label, source, flags, raw, expected) => {
    expect(capture(source, flags, raw)).toBe(expected);
  });

  it('reads nothing, rather than throw, for a stored regex that does not compile', () => {
    expect(capture('(', undefined, '((')).toBeUndefined();
  });
});

describe('locate', () => {
  const parsed = { raw: '{"a":{"b":"x"},"n":"id=7"}', parsed: true, doc: { a: { b: 'x' }, n: 'id=7' } };
  const unparsed = { raw: 'id=9', parsed: false, doc: undefined };

  it.each<[string, Parameters<typeof locate>[0], Parameters<typeof locate>[1], unknown]>([
    ['a path in the document', { path: 'a.b' }, parsed, 'x'],
    ['a regex on the raw body, not the document', { regex: 'id=(\\d)' }, parsed, '7'],
    ['nothing by path when the body did not parse', { path: 'a.b' }, unparsed, undefined],
    ['a regex when the body did not parse', { regex: 'id=(\\d)' }, unparsed, '9'],
    ['no prototype field by path', { path: 'a.constructor' }, parsed, undefined],
  ])('reads %s', (_label, rule, answer, expected) => {
    expect(locate(rule, answer)).toBe(expected);
  });

  it('names a rule by its path or as a regex', () => {
    expect(describeRule({ path: 'reply.code' }, 'accept')).toBe('reply.code');
    expect(describeRule({ regex: '(x)' }, 'accept')).toBe('match for the accept regex');
  });
});
