/**
 * Group commit for a hot write path. `submit(item)` resolves with the item's result once a
 * `flush` that included it has finished. When nothing is in flight the item is flushed at once
 * (no added latency when idle); items that arrive while a flush is in flight wait for it and go
 * together in the next one, so under load one statement, one commit and one run of each
 * statement-level trigger serve many requests.
 *
 * `flush` returns one result per item, in order; if it throws, every item in that batch rejects
 * with the error (a flush that wants per-item failures returns them as results).
 */
export type MicroBatcher<I, O> = {
  submit: (item: I) => Promise<O>;
  /** Items waiting plus items in flight: for tests and metrics. */
  pending: () => number;
};

export function createMicroBatcher<I, O>({
  flush,
  maxBatch = 250,
  maxConcurrent = 1,
}: {
  flush: (items: I[]) => Promise<O[]>;
  maxBatch?: number;
  maxConcurrent?: number;
}): MicroBatcher<I, O> {
  type Waiting = { item: I; resolve: (result: O) => void; reject: (error: unknown) => void };
  const queue: Waiting[] = [];
  let inFlight = 0;
  let inFlightItems = 0;

  const pump = () => {
    while (inFlight < maxConcurrent && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      inFlight++;
      inFlightItems += batch.length;
      flush(batch.map((w) => w.item))
        .then(
          (results) => {
            if (results.length !== batch.length) throw new Error(`flush returned ${results.length} results for ${batch.length} items`);
            batch.forEach((w, i) => w.resolve(results[i]!));
          },
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .catch((error: unknown) => batch.forEach((w) => w.reject(error)))
        .finally(() => {
          inFlight--;
          inFlightItems -= batch.length;
          pump();
        });
    }
  };

  return {
    submit: (item) =>
      new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      }),
    pending: () => queue.length + inFlightItems,
  };
}
