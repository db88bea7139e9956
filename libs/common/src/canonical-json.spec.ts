import fc from 'fast-check';
import { canonicalJson } from './canonical-json';

/** Canonical JSON as a plain recursive definition: what the one-pass serialiser must produce, byte for byte. */
const definition = (value: unknown): string => {
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : definition(item))).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${definition(record[key])}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: unsupported value of type ${typeof value}`);
};

const outcome = (serialise: (value: unknown) => string, value: unknown) => {
  try {
    return { json: serialise(value) };
  } catch (error) {
    return { refused: (error as Error).constructor.name };
  }
};

describe('canonicalJson', () => {
  it('gives the bytes of the definition, or refuses the same values', () => {
    const values = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    });
    fc.assert(
      fc.property(values, (value) => {
        expect(outcome(canonicalJson, value)).toEqual(outcome(definition, value));
      }),
      { numRuns: 3000 },
    );
    const withHole = [1, 2, 3];
    delete withHole[1];
    for (const value of [
      withHole,
      [undefined, 1],
      { a: undefined, b: [undefined] },
      { 10: 1, 9: 2, b: 3, a: 4 },
      -0,
      1e21,
      '\u2028\ud800',
    ]) {
      expect(canonicalJson(value)).toBe(definition(value));
    }
  });

  it('is JSON that parses back to the value, keys sorted, without whitespace', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = canonicalJson(value);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(json))).toBe(json);
      }),
      { numRuns: 500 },
    );
    expect(canonicalJson({ b: [1, { d: true, c: null }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":null,"d":true}]}');
  });
});
