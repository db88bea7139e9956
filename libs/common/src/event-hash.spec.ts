import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { eventHash, eventHashFromCanonical } from './event-hash';

describe('event hash', () => {
  it('is the same whether computed from the values or from their canonical JSON', () => {
    const json = fc.jsonValue().filter((value) => value !== null && typeof value === 'object' && !Array.isArray(value)) as fc.Arbitrary<
      Record<string, unknown>
    >;
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.string(),
        fc.bigInt({ min: 0n, max: 2n ** 62n }),
        fc.string(),
        fc.integer({ min: 1, max: 9 }),
        json,
        json,
        (id, streamId, revision, type, schemaVersion, data, metadata) => {
          const fields = { id, streamId, revision, type, schemaVersion };
          const fromValues = eventHash({ ...fields, data, metadata });
          const fromCanonical = eventHashFromCanonical({
            ...fields,
            dataJson: canonicalJson(data),
            metadataJson: canonicalJson(metadata),
          }).toString('hex');
          expect(fromCanonical).toBe(fromValues);
        },
      ),
      { numRuns: 500 },
    );
  });
});
