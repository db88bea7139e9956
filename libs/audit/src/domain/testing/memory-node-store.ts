/** A node store in memory: what the sealer persists, kept in a Map, for pure tests of proof building. */
import { CompactRange } from '../compact-range';
import { hashLeaf } from '../merkle';
import { NodeReader } from '../proof-builder';

export interface MemoryTree {
  readonly range: CompactRange;
  readonly read: NodeReader;
  readonly reads: () => number;
  readonly roots: Buffer[]; // roots[n - 1] = root at size n
}

export const buildMemoryTree = (leafData: readonly Uint8Array[]): MemoryTree => {
  const nodes = new Map<string, Buffer>();
  const range = CompactRange.empty();
  const roots: Buffer[] = [];
  for (const data of leafData) {
    for (const node of range.append(hashLeaf(data))) nodes.set(`${node.level}/${node.index}`, node.hash);
    roots.push(range.root());
  }
  let reads = 0;
  const read: NodeReader = async (level, index) => {
    reads += 1;
    const hash = nodes.get(`${level}/${index}`);
    if (!hash) throw new Error(`node ${level}/${index} was never completed`);
    return hash;
  };
  return { range, read, reads: () => reads, roots };
};
