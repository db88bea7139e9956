/**
 * RFC 6962 known-answer tests (E2). The vectors are the 8-leaf data set, roots for sizes 1..8 and the inclusion and
 * consistency proofs published in github.com/transparency-dev/merkle, proof/verify_test.go (commit 02194e9afb6c), the
 * same set google/certificate-transparency-go carries. Inclusion vectors there number leaves from 1; here from 0.
 */
import { CompactRange } from './compact-range';
import { EMPTY_ROOT, hashLeaf } from './merkle';
import { buildConsistencyProof, buildInclusionProof, rootAtSize } from './proof-builder';
import { verifyConsistency, verifyInclusion } from './proof-verifier';
import { buildMemoryTree } from './testing/memory-node-store';

const h = (hex: string) => Buffer.from(hex, 'hex');

const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(h);

const roots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(h);

const inclusionVectors: { index: number; size: number; proof: string[] }[] = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const consistencyVectors: { size1: number; size2: number; proof: string[] }[] = [
  { size1: 1, size2: 1, proof: [] },
  {
    size1: 1,
    size2: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const someHash = h('abacaba000000000000000000000000000000000000000000060061e00123456');

describe('RFC 6962 Merkle tree: published test vectors (E2)', () => {
  const tree = buildMemoryTree(leaves);

  it('the empty tree hashes to SHA-256 of nothing', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(CompactRange.empty().root()).toEqual(EMPTY_ROOT);
  });

  it.each(roots.map((root, i) => [i + 1, root] as const))(
    'root at size %d matches while appending and from stored nodes',
    async (size, root) => {
      expect(tree.roots[size - 1].toString('hex')).toBe(root.toString('hex'));
      expect((await rootAtSize(tree.read, size)).toString('hex')).toBe(root.toString('hex'));
    },
  );

  it.each(inclusionVectors)('inclusion proof of leaf $index in size $size is built and verified', async ({ index, size, proof }) => {
    const built = await buildInclusionProof(tree.read, index, size);
    expect(built.map((b) => b.toString('hex'))).toEqual(proof);
    expect(verifyInclusion(index, size, hashLeaf(leaves[index]), proof.map(h), roots[size - 1])).toEqual({ ok: true });
  });

  it.each(consistencyVectors)('consistency proof $size1 -> $size2 is built and verified', async ({ size1, size2, proof }) => {
    const built = await buildConsistencyProof(tree.read, size1, size2);
    expect(built.map((b) => b.toString('hex'))).toEqual(proof);
    expect(verifyConsistency(size1, size2, roots[size1 - 1], roots[size2 - 1], proof.map(h))).toEqual({ ok: true });
  });

  it.each(inclusionVectors.filter((v) => v.proof.length > 0))(
    'corrupted inclusion proofs of leaf $index in size $size are rejected',
    ({ index, size, proof }) => {
      const root = roots[size - 1];
      const leaf = hashLeaf(leaves[index]);
      const p = proof.map(h);
      const probes: [string, number, number, Buffer, Buffer[], Buffer][] = [
        ['index - 1', index - 1, size, leaf, p, root],
        ['index + 1', index + 1, size, leaf, p, root],
        ['index ^ 2', index ^ 2, size, leaf, p, root],
        ['size * 2', index, size * 2, leaf, p, root],
        ['size / 2', index, Math.floor(size / 2), leaf, p, root],
        ['wrong leaf', index, size, someHash, p, root],
        ['empty root', index, size, leaf, p, EMPTY_ROOT],
        ['random root', index, size, leaf, p, someHash],
        ['trailing root', index, size, leaf, [...p, root], root],
        ['preceding root', index, size, leaf, [root, ...p], root],
        ['removed component', index, size, leaf, p.slice(0, -1), root],
        ...p.map(
          (_, i) =>
            [`proof[${i}] bit 3 flipped`, index, size, leaf, p.map((x, j) => (j === i ? flip(x, 0, 8) : x)), root] as [
              string,
              number,
              number,
              Buffer,
              Buffer[],
              Buffer,
            ],
        ),
      ];
      if (p.length > 1) probes.push(['inserted component', index, size, leaf, [p[0], someHash, ...p.slice(1)], root]);
      for (const [desc, i, n, l, pr, r] of probes) {
        expect([desc, verifyInclusion(i, n, l, pr, r).ok]).toEqual([desc, false]);
      }
    },
  );

  it.each(consistencyVectors.filter((v) => v.proof.length > 0))(
    'corrupted consistency proofs $size1 -> $size2 are rejected',
    ({ size1, size2, proof }) => {
      const r1 = roots[size1 - 1];
      const r2 = roots[size2 - 1];
      const p = proof.map(h);
      const probes: [string, number, number, Buffer, Buffer, Buffer[]][] = [
        ['size1 - 1', size1 - 1, size2, r1, r2, p],
        ['size1 + 1', size1 + 1, size2, r1, r2, p],
        ['size1 ^ 2', size1 ^ 2, size2, r1, r2, p],
        ['size2 * 2', size1, size2 * 2, r1, r2, p],
        ['size2 / 2', size1, Math.floor(size2 / 2), r1, r2, p],
        ['wrong root1', size1, size2, someHash, r2, p],
        ['wrong root2', size1, size2, r1, someHash, p],
        ['swapped roots', size1, size2, r2, r1, p],
        ['empty proof', size1, size2, r1, r2, []],
        ['trailing root1', size1, size2, r1, r2, [...p, r1]],
        ['trailing root2', size1, size2, r1, r2, [...p, r2]],
        ['preceding root1', size1, size2, r1, r2, [r1, ...p]],
        ['preceding root2', size1, size2, r1, r2, [r2, ...p]],
        ['preceding proof[0]', size1, size2, r1, r2, [p[0], ...p]],
        ['truncated', size1, size2, r1, r2, p.slice(0, -1)],
        ...p.map(
          (_, i) =>
            [`proof[${i}] bit 4 flipped`, size1, size2, r1, r2, p.map((x, j) => (j === i ? flip(x, 0, 16) : x))] as [
              string,
              number,
              number,
              Buffer,
              Buffer,
              Buffer[],
            ],
        ),
      ];
      for (const [desc, m, n, a, b, pr] of probes) {
        expect([desc, verifyConsistency(m, n, a, b, pr).ok]).toEqual([desc, false]);
      }
    },
  );

  it('edge cases of the consistency verifier follow RFC 9162', () => {
    const a = someHash;
    const b = EMPTY_ROOT;
    expect(verifyConsistency(0, 0, a, a, []).ok).toBe(true);
    expect(verifyConsistency(0, 1, a, b, []).ok).toBe(true);
    expect(verifyConsistency(1, 1, b, b, []).ok).toBe(true);
    expect(verifyConsistency(0, 0, a, b, []).ok).toBe(false);
    expect(verifyConsistency(1, 1, a, b, []).ok).toBe(false);
    expect(verifyConsistency(1, 0, a, b, []).ok).toBe(false);
    expect(verifyConsistency(2, 1, a, b, []).ok).toBe(false);
    expect(verifyConsistency(1, 2, a, b, []).ok).toBe(false);
    expect(verifyConsistency(0, 0, b, b, [b]).ok).toBe(false);
    expect(verifyConsistency(0, 1, b, b, [b]).ok).toBe(false);
    expect(verifyConsistency(1, 1, b, b, [b]).ok).toBe(false);
  });

  it('edge cases of the inclusion verifier: out-of-range index, empty tree, short hashes', () => {
    for (const [index, size] of [
      [0, 0],
      [1, 0],
      [2, 1],
    ]) {
      expect(verifyInclusion(index, size, someHash, [], EMPTY_ROOT).ok).toBe(false);
    }
    const single = hashLeaf(Buffer.from('data'));
    expect(verifyInclusion(0, 1, single, [], single).ok).toBe(true);
    expect(verifyInclusion(0, 1, Buffer.alloc(0), [], single).ok).toBe(false);
    expect(verifyInclusion(0, 1, single, [], Buffer.alloc(0)).ok).toBe(false);
    expect(verifyInclusion(0, 2, single, [Buffer.from('WrongLeaf')], single).ok).toBe(false);
  });
});

function flip(hash: Buffer, byte: number, mask: number): Buffer {
  const copy = Buffer.from(hash);
  copy[byte] ^= mask;
  return copy;
}
