/**
 * RFC 6962 / RFC 9162 Merkle tree hashing over SHA-256. Leaves and interior nodes are domain-separated (0x00 / 0x01) so a
 * leaf can never be passed off as an interior node. A tree of n leaves splits at the largest power of two below n.
 */
import { createHash } from 'node:crypto';

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const hashLeaf = (data: Uint8Array): Buffer => createHash('sha256').update(LEAF_PREFIX).update(data).digest();

export const hashChildren = (left: Uint8Array, right: Uint8Array): Buffer =>
  createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();

/** The root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/**
 * A leaf's data is the event's stored hash (hex of SHA-256 over its canonical bytes), taken as its 32 raw bytes, so the
 * tree commits to exactly what the events table stores.
 */
export const leafHashOfEventHash = (eventHashHex: string): Buffer => {
  if (!/^[0-9a-f]{64}$/.test(eventHashHex)) throw new TypeError(`not a hex SHA-256: ${eventHashHex}`);
  return hashLeaf(Buffer.from(eventHashHex, 'hex'));
};

/** Largest power of two strictly below n (n >= 2). */
export const splitPoint = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/** Sizes and indexes are plain numbers (safe to 2^53); arithmetic avoids 32-bit bitwise operators for that reason. */
export const isPowerOfTwo = (n: number): boolean => {
  if (!Number.isSafeInteger(n) || n < 1) return false;
  let m = n;
  while (m % 2 === 0) m /= 2;
  return m === 1;
};

/**
 * A perfect subtree: the 2^level leaves starting at index * 2^level. These are the only nodes a store persists; every
 * other hash (roots of incomplete right edges) is derived from them.
 */
export interface NodeRef {
  readonly level: number;
  readonly index: number;
}

export interface TreeNode extends NodeRef {
  readonly hash: Buffer;
}

/**
 * The perfect subtrees that make up leaves [start, start + size), largest first, when start is a multiple of the
 * largest one (always true for the ranges RFC 6962 recursion produces). Folding their hashes right to left gives the
 * range's Merkle root.
 */
export const rangeDecomposition = (start: number, size: number): NodeRef[] => {
  const refs: NodeRef[] = [];
  let offset = start;
  let remaining = size;
  while (remaining > 0) {
    let level = Math.floor(Math.log2(remaining));
    // Guard against floating-point rounding at large sizes.
    while (2 ** (level + 1) <= remaining) level += 1;
    while (2 ** level > remaining) level -= 1;
    refs.push({ level, index: offset / 2 ** level });
    offset += 2 ** level;
    remaining -= 2 ** level;
  }
  return refs;
};

/** Folds perfect-subtree hashes (largest first) into the root of their concatenated range. */
export const foldRange = (hashes: readonly Buffer[]): Buffer => {
  if (hashes.length === 0) return EMPTY_ROOT;
  let acc = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i -= 1) acc = hashChildren(hashes[i], acc);
  return acc;
};
