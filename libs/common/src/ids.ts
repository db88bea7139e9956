import { randomFillSync } from 'node:crypto';

/** The one id generator. Injected so tests can make ids deterministic. */
export abstract class IdGenerator {
  abstract next(): string;
}

/**
 * UUID version 7 (RFC 9562): a 48-bit millisecond timestamp, then random bits. Ids created close in time sit close in
 * a B-tree, so the unique index on event ids stays compact and cheap to write, unlike fully random v4 ids.
 */
const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let pooled = POOL_IDS;

/** 16 random bytes from a pool refilled 256 ids at a time: one call into the system's generator per 256 ids. */
const randomSixteen = (): Buffer => {
  if (pooled === POOL_IDS) {
    randomFillSync(pool);
    pooled = 0;
  }
  return Buffer.from(pool.subarray(pooled * 16, ++pooled * 16));
};

export const uuidv7 = (now = Date.now()): string => {
  const bytes = randomSixteen();
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export class RandomIdGenerator extends IdGenerator {
  next(): string {
    return uuidv7();
  }
}
