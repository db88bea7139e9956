/**
 * Inclusion and consistency proofs (RFC 9162 §2.1.3.1 and §2.1.4.1) built from stored perfect-subtree nodes. The plan
 * step is pure: it says which perfect nodes each proof element folds from. Only the first descent into an incomplete
 * right edge needs more than one node, so a proof costs O(log n) reads, issued together.
 */
import { foldRange, NodeRef, rangeDecomposition, splitPoint } from './merkle';

/** Reads a persisted perfect-subtree node (level 0 = leaf hashes). */
export type NodeReader = (level: number, index: number) => Promise<Buffer>;

/** Each proof element is the root of a range of leaves, given as the perfect nodes to fold. */
export type ProofPlan = NodeRef[][];

const checkSize = (name: string, value: number) => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
};

/** PATH(index, D[0:size]) as nested ranges, leaf-adjacent element first. */
export const planInclusion = (index: number, size: number): ProofPlan => {
  checkSize('index', index);
  checkSize('size', size);
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
  const plan: ProofPlan = [];
  let offset = 0;
  let n = size;
  let m = index;
  while (n > 1) {
    const k = splitPoint(n);
    if (m < k) {
      plan.push(rangeDecomposition(offset + k, n - k));
      n = k;
    } else {
      plan.push(rangeDecomposition(offset, k));
      offset += k;
      m -= k;
      n -= k;
    }
  }
  return plan.reverse();
};

/** PROOF(m, D[0:n]) as nested ranges, in RFC order. Empty when m is 0 or m equals n. */
export const planConsistency = (m: number, n: number): ProofPlan => {
  checkSize('first size', m);
  checkSize('second size', n);
  if (m > n) throw new RangeError(`first size ${m} exceeds second size ${n}`);
  if (m === 0 || m === n) return [];
  const plan: ProofPlan = [];
  let offset = 0;
  let size = n;
  let first = m;
  let startsAtOrigin = true;
  while (first !== size) {
    const k = splitPoint(size);
    if (first <= k) {
      plan.push(rangeDecomposition(offset + k, size - k));
      size = k;
    } else {
      plan.push(rangeDecomposition(offset, k));
      offset += k;
      first -= k;
      size -= k;
      startsAtOrigin = false;
    }
  }
  if (!startsAtOrigin) plan.push(rangeDecomposition(offset, size));
  return plan.reverse();
};

const key = (ref: NodeRef) => `${ref.level}/${ref.index}`;

/** Resolves a plan against the store, reading each distinct node once, all reads in flight together. */
export const resolvePlan = async (plan: ProofPlan, read: NodeReader): Promise<Buffer[]> => {
  const unique = new Map<string, NodeRef>();
  plan.flat().forEach((ref) => unique.set(key(ref), ref));
  const entries = await Promise.all([...unique].map(async ([k, ref]) => [k, await read(ref.level, ref.index)] as const));
  const hashes = new Map(entries);
  return plan.map((refs) => foldRange(refs.map((ref) => hashes.get(key(ref)) as Buffer)));
};

export const buildInclusionProof = (read: NodeReader, index: number, size: number): Promise<Buffer[]> =>
  resolvePlan(planInclusion(index, size), read);

export const buildConsistencyProof = (read: NodeReader, m: number, n: number): Promise<Buffer[]> =>
  resolvePlan(planConsistency(m, n), read);

/** The root of the tree at any past size, from the stored nodes. */
export const rootAtSize = async (read: NodeReader, size: number): Promise<Buffer> => {
  checkSize('size', size);
  const [root] = await resolvePlan([rangeDecomposition(0, size)], read);
  return root;
};
