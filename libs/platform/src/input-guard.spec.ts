import { inspectValue, isStorableText } from './input-guard';

describe('input guard', () => {
  it.each(['plain', '中文', 'emoji 😀 pair', ''])('stores well-formed text %j', (text) => expect(isStorableText(text)).toBe(true));
  it.each(['a\u0000b', '\ud800', 'x\udc00y', '\udc00\ud800'])('refuses NUL and unpaired surrogates %j', (text) =>
    expect(isStorableText(text)).toBe(false),
  );

  it('names the field that holds unstorable text, however deep', () => {
    expect(inspectValue({ a: [{ b: 'ok' }, { c: 'x\u0000' }] }, 'body', 32)?.body).toEqual({
      code: 'REQUEST.INVALID_TEXT',
      message: 'body.a.1.c: text must not contain NUL characters or unpaired surrogates',
    });
  });

  it('refuses nesting at the limit without recursing', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 1_000_000; level++) deep = [deep];
    expect(inspectValue(deep, 'body', 32)?.body.code).toBe('REQUEST.TOO_DEEP');
    let shallow: unknown = 1;
    for (let level = 0; level < 31; level++) shallow = { a: shallow };
    expect(inspectValue(shallow, 'body', 32)).toBeUndefined();
  });

  it.each([Infinity, -Infinity, NaN, 2 ** 53, -(2 ** 63)])('refuses the number %p', (value) => {
    expect(inspectValue({ amountMinor: value }, 'body', 32)?.body.code).toBe('REQUEST.NUMBER_OUT_OF_RANGE');
  });

  it.each([0, -1, 1.5, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e-300])('accepts the number %p', (value) => {
    expect(inspectValue({ amountMinor: value }, 'body', 32)).toBeUndefined();
  });
});
