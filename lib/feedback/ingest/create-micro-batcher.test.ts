import { describe, expect, it } from "vitest";
import { createMicroBatcher } from "@/lib/feedback/ingest/create-micro-batcher";

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

describe("createMicroBatcher", () => {
  it("flushes a lone item at once, then groups what arrives while a flush is in flight", async () => {
    const batches: number[][] = [];
    const gate = deferred();
    const batcher = createMicroBatcher<number, number>({
      flush: async (items) => {
        batches.push(items);
        if (batches.length === 1) await gate.promise;
        return items.map((n) => n * 10);
      },
    });
    const first = batcher.submit(1);
    const rest = [2, 3, 4].map((n) => batcher.submit(n));
    expect(batches).toEqual([[1]]);
    expect(batcher.pending()).toBe(4);
    gate.release();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batcher.pending()).toBe(0);
  });

  it("caps batches at maxBatch and runs up to maxConcurrent flushes", async () => {
    const batches: number[][] = [];
    let running = 0;
    let most = 0;
    const batcher = createMicroBatcher<number, number>({
      maxBatch: 2,
      maxConcurrent: 2,
      flush: async (items) => {
        batches.push(items);
        most = Math.max(most, ++running);
        await new Promise((resolve) => setImmediate(resolve));
        running--;
        return items;
      },
    });
    expect(await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => batcher.submit(n)))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches.every((b) => b.length <= 2)).toBe(true);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(2);
  });

  it("rejects every item of a failed flush and keeps serving later ones", async () => {
    let calls = 0;
    const batcher = createMicroBatcher<string, string>({
      flush: async (items) => {
        if (++calls === 1) throw new Error("database down");
        return items.map((s) => s.toUpperCase());
      },
    });
    await expect(batcher.submit("a")).rejects.toThrow("database down");
    expect(await batcher.submit("b")).toBe("B");
  });

  it("rejects when flush returns the wrong number of results", async () => {
    const batcher = createMicroBatcher<number, number>({ flush: async () => [] });
    await expect(batcher.submit(1)).rejects.toThrow("0 results for 1 items");
  });
});
