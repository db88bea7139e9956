/**
 * `work` over `items`, at most `limit` at a time; results in the order of `items`. After a failure no further item is
 * started, and the call rejects with the first failure only once the items under way have settled: nothing of the work
 * outlives the call (a campaign's page of checks and attributions stops with its run).
 */
export const inParallel = async <T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array<R>(items.length);
  const failures: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (failures.length === 0 && next < items.length) {
      const i = next++;
      try {
        results[i] = await work(items[i]);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
  return results;
};
