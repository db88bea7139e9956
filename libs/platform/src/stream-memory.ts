/**
 * What this process last knew of a stream it decided on: the folded state and the revision it was at. A decision may
 * start from it instead of reading the stream again, because every append made from a decision names the revision it
 * saw: if another writer moved the stream on meanwhile, the append is refused and the decision is made again from the
 * log. Bounded: the least recently used streams are forgotten first.
 */
export interface Remembered<S> {
  readonly state: S;
  readonly revision: bigint;
}

interface Entry {
  /** The fold the state belongs to; another fold of the same stream does not use it. */
  readonly folder: object;
  readonly state: unknown;
  readonly revision: bigint;
}

export class StreamMemory {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly capacity = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  recall<S>(folder: object, streamId: string): Remembered<S> | undefined {
    const entry = this.entries.get(streamId);
    if (!entry || entry.folder !== folder) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return { state: entry.state as S, revision: entry.revision };
  }

  /** Keeps the newest revision: a slower writer finishing late cannot take the memory back to an older one. */
  remember<S>(folder: object, streamId: string, state: S, revision: bigint): void {
    if (this.capacity <= 0) return;
    const known = this.entries.get(streamId);
    if (known && known.folder === folder && known.revision > revision) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { folder, state, revision });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(streamIds: Iterable<string>): void {
    for (const streamId of streamIds) this.entries.delete(streamId);
  }
}
