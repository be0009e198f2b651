import { hasLoneSurrogate, jsonDepthExceeds, MAX_JSON_DEPTH } from './json-limits';

const nested = (depth: number) => Buffer.from('['.repeat(depth) + ']'.repeat(depth));

describe('JSON body limits', () => {
  it('measures nesting without parsing, ignoring brackets inside strings', () => {
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from(JSON.stringify({ a: '[[[[[[', b: '\\"{{{{' })), 2)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('{"a":{"b":{"c":1}}}'), 2)).toBe(true);
    expect(jsonDepthExceeds(nested(100_000), MAX_JSON_DEPTH)).toBe(true);
  });

  it('finds unpaired surrogates in values and keys, not in real pairs', () => {
    expect(hasLoneSurrogate({ a: ['ok', '\ud83d\ude00'] })).toBe(false);
    expect(hasLoneSurrogate({ a: ['x\ud800'] })).toBe(true);
    expect(hasLoneSurrogate({ ['\udc00']: 1 })).toBe(true);
    expect(hasLoneSurrogate(JSON.parse('"\\ude00"'))).toBe(true);
  });
});
