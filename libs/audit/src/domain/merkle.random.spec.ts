/**
 * The incremental tree, the stored-node proof builder and the verifiers against an independent, naive transcription of
 * the RFC 6962 §2.1 recursive definitions (MTH, PATH, PROOF) over plain arrays, on every tree size from 1 to 300 and
 * every proof in each (E2).
 */
import { createHash } from 'node:crypto';
import { CompactRange } from './compact-range';
import { planConsistency, planInclusion, buildConsistencyProof, buildInclusionProof, rootAtSize } from './proof-builder';
import { verifyConsistency, verifyInclusion } from './proof-verifier';
import { buildMemoryTree } from './testing/memory-node-store';

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/** The RFC text, literally: no shared code with the implementation under test. */
class NaiveTree {
  private readonly memo = new Map<string, Buffer>();
  constructor(private readonly data: Buffer[]) {}

  mth(start: number, end: number): Buffer {
    const key = `${start}:${end}`;
    const cached = this.memo.get(key);
    if (cached) return cached;
    const n = end - start;
    let result: Buffer;
    if (n === 0) result = sha();
    else if (n === 1) result = sha(Buffer.from([0]), this.data[start]);
    else {
      let k = 1;
      while (k < n) k <<= 1;
      k >>= 1;
      result = sha(Buffer.from([1]), this.mth(start, start + k), this.mth(start + k, end));
    }
    this.memo.set(key, result);
    return result;
  }

  path(m: number, start: number, end: number): Buffer[] {
    const n = end - start;
    if (n === 1) return [];
    let k = 1;
    while (k < n) k <<= 1;
    k >>= 1;
    return m < k
      ? [...this.path(m, start, start + k), this.mth(start + k, end)]
      : [...this.path(m - k, start + k, end), this.mth(start, start + k)];
  }

  proof(m: number, n: number): Buffer[] {
    return 0 < m && m < n ? this.subproof(m, 0, n, true) : [];
  }

  private subproof(m: number, start: number, end: number, b: boolean): Buffer[] {
    const n = end - start;
    if (m === n) return b ? [] : [this.mth(start, end)];
    let k = 1;
    while (k < n) k <<= 1;
    k >>= 1;
    return m <= k
      ? [...this.subproof(m, start, start + k, b), this.mth(start + k, end)]
      : [...this.subproof(m - k, start + k, end, false), this.mth(start, start + k)];
  }
}

const MAX = 300;
const data = Array.from({ length: MAX }, (_, i) => createHash('sha256').update(`event ${i}`).digest());
const naive = new NaiveTree(data);
const tree = buildMemoryTree(data);
const hex = (list: Buffer[]) => list.map((b) => b.toString('hex'));

describe('Merkle tree against a naive RFC 6962 transcription, sizes 1..300 (E2)', () => {
  it('roots agree at every size, while appending and from stored nodes', async () => {
    for (let n = 1; n <= MAX; n += 1) {
      expect(tree.roots[n - 1].toString('hex')).toBe(naive.mth(0, n).toString('hex'));
      expect((await rootAtSize(tree.read, n)).equals(tree.roots[n - 1])).toBe(true);
    }
  });

  // Mismatches are collected and asserted once: a per-proof expect() would dominate the run time.
  it('every inclusion proof agrees and verifies, with O(log n) node reads', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (let n = 1; n <= MAX; n += 1) {
      const root = naive.mth(0, n);
      const bound = 2 * Math.ceil(Math.log2(n + 1));
      for (let i = 0; i < n; i += 1) {
        const before = tree.reads();
        const proof = await buildInclusionProof(tree.read, i, n);
        if (tree.reads() - before > bound) mismatches.push(`reads ${i}/${n}`);
        if (hex(proof).join() !== hex(naive.path(i, 0, n)).join()) mismatches.push(`proof ${i}/${n}`);
        if (!verifyInclusion(i, n, naive.mth(i, i + 1), proof, root).ok) mismatches.push(`verify ${i}/${n}`);
        checked += 1;
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe((MAX * (MAX + 1)) / 2);
  });

  it('every consistency proof agrees and verifies, with O(log n) node reads', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (let n = 1; n <= MAX; n += 1) {
      const root2 = naive.mth(0, n);
      const bound = 2 * Math.ceil(Math.log2(n + 1)) + 1;
      for (let m = 0; m <= n; m += 1) {
        const before = tree.reads();
        const proof = await buildConsistencyProof(tree.read, m, n);
        if (tree.reads() - before > bound) mismatches.push(`reads ${m}->${n}`);
        if (hex(proof).join() !== hex(naive.proof(m, n)).join()) mismatches.push(`proof ${m}->${n}`);
        if (!verifyConsistency(m, n, naive.mth(0, m), root2, proof).ok) mismatches.push(`verify ${m}->${n}`);
        checked += 1;
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe((MAX * (MAX + 3)) / 2);
  });

  it('a sealer restarted from its stored frontier continues with the same roots', () => {
    for (const restartAt of [1, 2, 3, 7, 8, 100, 255, 256]) {
      const frontier = CompactRange.frontier(restartAt).map((ref) =>
        naive.mth(ref.index * 2 ** ref.level, (ref.index + 1) * 2 ** ref.level),
      );
      const resumed = CompactRange.restore(restartAt, frontier);
      for (let n = restartAt; n < MAX; n += 1) {
        resumed.append(naive.mth(n, n + 1));
        expect(resumed.root().equals(tree.roots[n])).toBe(true);
      }
    }
  });

  it('plans refuse impossible requests', () => {
    expect(() => planInclusion(5, 5)).toThrow(RangeError);
    expect(() => planInclusion(-1, 5)).toThrow(RangeError);
    expect(() => planConsistency(6, 5)).toThrow(RangeError);
    expect(() => CompactRange.restore(3, [])).toThrow(RangeError);
  });
});

describe('tampered proofs are rejected on every tree size 1..80 (E2)', () => {
  const SIZES = 80;
  const flipBit = (b: Buffer, bit: number) => {
    const c = Buffer.from(b);
    c[Math.floor(bit / 8) % 32] ^= 1 << (bit % 8);
    return c;
  };

  it('inclusion: a flipped bit in each element, a wrong index, a wrong size, truncated and extended proofs', () => {
    let probes = 0;
    const accepted: string[] = [];
    for (let n = 1; n <= SIZES; n += 1) {
      const root = naive.mth(0, n);
      for (let i = 0; i < n; i += 1) {
        const leaf = naive.mth(i, i + 1);
        const proof = naive.path(i, 0, n);
        const bad: Buffer[][] = proof.map((_, e) => proof.map((x, j) => (j === e ? flipBit(x, (i * 7 + e * 13) % 256) : x)));
        if (proof.length > 0) bad.push(proof.slice(0, -1), proof.slice(1));
        bad.push([...proof, root], [root, ...proof], [...proof, leaf]);
        bad.forEach((p, k) => verifyInclusion(i, n, leaf, p, root).ok && accepted.push(`${i}/${n} probe ${k}`));
        for (const j of new Set([i - 1, i + 1, i ^ 1, i ^ 2, n - 1 - i])) {
          if (j !== i && j >= 0 && j < n && verifyInclusion(j, n, leaf, proof, root).ok) accepted.push(`${i}/${n} as index ${j}`);
        }
        // Sizes are bound to roots by the signed checkpoint, so a wrong size comes with that size's root. The proof is
        // then accepted only where it is genuinely the same proof for that size.
        for (const other of [n - 1, n + 1, 2 * n]) {
          if (other <= i || other > MAX) continue;
          const same = hex(naive.path(i, 0, other)).join() === hex(proof).join();
          if (verifyInclusion(i, other, leaf, proof, naive.mth(0, other)).ok !== same) accepted.push(`${i}/${n} as size ${other}`);
        }
        probes += bad.length;
      }
    }
    expect(accepted).toEqual([]);
    expect(probes).toBeGreaterThan(15_000);
  });

  it('consistency: a flipped bit in each element, wrong sizes, swapped roots, truncated and extended proofs', () => {
    const accepted: string[] = [];
    for (let n = 2; n <= SIZES; n += 1) {
      const root2 = naive.mth(0, n);
      for (let m = 1; m < n; m += 1) {
        const root1 = naive.mth(0, m);
        const proof = naive.proof(m, n);
        const bad: [number, number, Buffer, Buffer, Buffer[]][] = proof.map((_, e) => [
          m,
          n,
          root1,
          root2,
          proof.map((x, j) => (j === e ? flipBit(x, (m * 11 + e * 5) % 256) : x)),
        ]);
        bad.push(
          [m, n, root2, root1, proof],
          [m, n, root1, root2, proof.slice(0, -1)],
          [m, n, root1, root2, proof.slice(1)],
          [m, n, root1, root2, [...proof, root2]],
          [m, n, root1, root2, [root1, ...proof]],
          [m, n, root1, root2, []],
        );
        bad.forEach(([a, b, r1, r2, p], k) => verifyConsistency(a, b, r1, r2, p).ok && accepted.push(`${m}->${n} probe ${k}`));
        for (const other of [m - 1, m + 1]) {
          if (other < 1 || other >= n) continue;
          if (verifyConsistency(other, n, root1, root2, proof).ok) accepted.push(`${m}->${n} as ${other}`);
        }
        const same = hex(naive.proof(m, n + 1)).join() === hex(proof).join();
        if (verifyConsistency(m, n + 1, root1, naive.mth(0, n + 1), proof).ok !== same) accepted.push(`${m}->${n} as ->${n + 1}`);
      }
    }
    expect(accepted).toEqual([]);
  });
});
