/**
 * Inclusion and consistency proof verification, following RFC 9162 §2.1.3.2 and §2.1.4.2. Pure: a compliance officer or
 * an outside auditor can run it with nothing but the proof, the leaf and the signed roots.
 */
import { HASH_SIZE, hashChildren, isPowerOfTwo } from './merkle';

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const OK: Verdict = { ok: true };
export const fail = (reason: string): Verdict => ({ ok: false, reason });

const isHash = (value: Uint8Array) => value.length === HASH_SIZE;
const isOdd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);
const isSize = (n: number) => Number.isSafeInteger(n) && n >= 0;

/** The root an inclusion proof implies, or a reason it cannot imply one. */
export const rootFromInclusionProof = (
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Buffer | string => {
  if (!isSize(index) || !isSize(size)) return 'index and size must be non-negative integers';
  if (index >= size) return `leaf index ${index} is outside a tree of size ${size}`;
  if (!isHash(leafHash)) return 'leaf hash must be 32 bytes';
  if (proof.some((element) => !isHash(element))) return 'every proof element must be 32 bytes';
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0) return 'proof is longer than the tree is deep';
    if (isOdd(fn) || fn === sn) {
      r = hashChildren(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return 'proof is shorter than the tree is deep';
  return r;
};

export const verifyInclusion = (
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Verdict => {
  if (!isHash(root)) return fail('root must be 32 bytes');
  const computed = rootFromInclusionProof(index, size, leafHash, proof);
  if (typeof computed === 'string') return fail(computed);
  return computed.equals(root) ? OK : fail('inclusion proof does not lead to the root');
};

export const verifyConsistency = (
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): Verdict => {
  if (!isSize(size1) || !isSize(size2)) return fail('sizes must be non-negative integers');
  if (size1 > size2) return fail(`first size ${size1} exceeds second size ${size2}`);
  if (!isHash(root1) || !isHash(root2)) return fail('roots must be 32 bytes');
  if (proof.some((element) => !isHash(element))) return fail('every proof element must be 32 bytes');
  if (size1 === size2) {
    if (proof.length !== 0) return fail('trees of equal size need an empty proof');
    return Buffer.from(root1).equals(root2) ? OK : fail('equal sizes but different roots');
  }
  if (size1 === 0) return proof.length === 0 ? OK : fail('the empty tree needs an empty proof');
  if (proof.length === 0) return fail('empty proof');

  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr: Buffer = Buffer.from(path[0]);
  for (const c of path.slice(1)) {
    if (sn === 0) return fail('proof is longer than needed');
    if (isOdd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail('proof is shorter than needed');
  if (!fr.equals(root1)) return fail('proof does not lead to the first root');
  if (!sr.equals(root2)) return fail('proof does not lead to the second root');
  return OK;
};
