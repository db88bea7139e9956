import fc from 'fast-check';
import { canonicalJson } from '@app/common';
import { canonicalPayloadJson, eventHash, eventHashFromCanonical } from './event-hash';

describe('event hash', () => {
  it('is the same whether computed from the values or from their canonical JSON', () => {
    const json = fc.jsonValue().filter((value) => value !== null && typeof value === 'object' && !Array.isArray(value)) as fc.Arbitrary<Record<string, unknown>>;
    fc.assert(
      fc.property(fc.uuid(), fc.string(), fc.bigInt({ min: 0n, max: 2n ** 62n }), fc.string(), fc.integer({ min: 1, max: 9 }), json, json, (id, streamId, revision, type, schemaVersion, data, metadata) => {
        const fields = { id, streamId, revision, type, schemaVersion };
        const fromValues = eventHash({ ...fields, data, metadata });
        const fromCanonical = eventHashFromCanonical({ ...fields, dataJson: canonicalJson(data), metadataJson: canonicalJson(metadata) }).toString('hex');
        expect(fromCanonical).toBe(fromValues);
      }),
      { numRuns: 500 },
    );
  });

  it('serialises payloads exactly as canonicalJson does, or refuses the same values', () => {
    const outcome = (serialise: (value: unknown) => string, value: unknown) => {
      try {
        return { json: serialise(value) };
      } catch (error) {
        return { refused: (error as Error).constructor.name };
      }
    };
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
        expect(outcome(canonicalPayloadJson, value)).toEqual(outcome(canonicalJson, value));
      }),
      { numRuns: 3000 },
    );
    const withHole = [1, 2, 3];
    delete withHole[1];
    for (const value of [withHole, [undefined, 1], { a: undefined, b: [undefined] }, { 10: 1, 9: 2, b: 3, a: 4 }, -0, 1e21, '\u2028\ud800']) {
      expect(canonicalPayloadJson(value)).toBe(canonicalJson(value));
    }
  });
});
