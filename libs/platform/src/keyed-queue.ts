/**
 * Runs tasks one after another per key, and tasks of different keys concurrently. Used where concurrent work on one
 * stream inside this process could only end in an optimistic-concurrency conflict and a retry (for example duplicated
 * provider notifications for one payment); other processes are still kept apart by the expected revision.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}
