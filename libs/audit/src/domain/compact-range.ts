/**
 * The sealer's in-memory tree: the perfect-subtree roots covering leaves [0, size), O(log n) of them. Appending a leaf
 * returns every perfect subtree it completes (the leaf itself at level 0 and each merge above it) so a store can persist
 * exactly the nodes proofs are later built from.
 */
import { foldRange, HASH_SIZE, hashChildren, rangeDecomposition, TreeNode } from './merkle';

export class CompactRange {
  private constructor(
    private treeSize: number,
    // Perfect-subtree roots, largest (leftmost) first; one per set bit of treeSize.
    private readonly roots: TreeNode[],
  ) {}

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /**
   * Resumes a tree from its stored perfect-subtree roots, given in the order `CompactRange.frontier(size)` lists them.
   */
  static restore(size: number, hashes: readonly Buffer[]): CompactRange {
    const refs = CompactRange.frontier(size);
    if (hashes.length !== refs.length)
      throw new RangeError(`a tree of size ${size} needs ${refs.length} frontier hashes, got ${hashes.length}`);
    hashes.forEach((hash) => {
      if (hash.length !== HASH_SIZE) throw new RangeError('frontier hash must be 32 bytes');
    });
    return new CompactRange(
      size,
      refs.map((ref, i) => ({ ...ref, hash: Buffer.from(hashes[i]) })),
    );
  }

  /** Which perfect subtrees make up a tree of `size` leaves: what a restart must load. */
  static frontier(size: number) {
    return rangeDecomposition(0, size);
  }

  get size(): number {
    return this.treeSize;
  }

  /** Appends one leaf hash (already domain-separated with `hashLeaf`); returns the nodes this completes, lowest first. */
  append(leafHash: Buffer): TreeNode[] {
    if (leafHash.length !== HASH_SIZE) throw new RangeError('leaf hash must be 32 bytes');
    let node: TreeNode = { level: 0, index: this.treeSize, hash: leafHash };
    const completed: TreeNode[] = [node];
    while (this.roots.length > 0 && this.roots[this.roots.length - 1].level === node.level) {
      const left = this.roots.pop() as TreeNode;
      node = { level: node.level + 1, index: left.index / 2, hash: hashChildren(left.hash, node.hash) };
      completed.push(node);
    }
    this.roots.push(node);
    this.treeSize += 1;
    return completed;
  }

  /** The RFC 6962 root of the tree at its current size. */
  root(): Buffer {
    return foldRange(this.roots.map((node) => node.hash));
  }

  /** The current frontier, for persisting alongside a checkpoint or for `restore`. */
  frontierNodes(): readonly TreeNode[] {
    return this.roots;
  }
}
