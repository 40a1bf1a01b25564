/** Latencies and errors per operation, for bench:load. */
export class Recorder {
  private readonly samples = new Map<string, number[]>();
  private readonly errors = new Map<string, { count: number; first: string }>();

  /** Runs `work`, recording its time under `label`; an error is counted (not thrown) and gives undefined. */
  async time<T>(label: string, work: () => Promise<T>): Promise<T | undefined> {
    const t0 = performance.now();
    try {
      const value = await work();
      this.record(label, performance.now() - t0);
      return value;
    } catch (error) {
      this.fail(label, error);
      return undefined;
    }
  }

  record(label: string, ms: number) {
    let list = this.samples.get(label);
    if (!list) this.samples.set(label, (list = []));
    list.push(ms);
  }

  fail(label: string, error: unknown) {
    const entry = this.errors.get(label) ?? { count: 0, first: error instanceof Error ? error.message : String(error) };
    entry.count++;
    this.errors.set(label, entry);
    this.samples.get(label) ?? this.samples.set(label, []);
  }

  errorCount() {
    let total = 0;
    for (const e of this.errors.values()) total += e.count;
    return total;
  }

  print(seconds: number) {
    console.log(`\nOperations over ${seconds.toFixed(1)} s (all at once):`);
    console.log(`  ${"operation".padEnd(38)} ${"done".padStart(7)} ${"per s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"errors".padStart(7)}`);
    let total = 0;
    for (const [label, list] of [...this.samples].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = Float64Array.from(list).sort();
      const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN);
      total += list.length;
      const errors = this.errors.get(label)?.count ?? 0;
      console.log(
        `  ${label.padEnd(38)} ${String(list.length).padStart(7)} ${(list.length / seconds).toFixed(1).padStart(8)} ${at(0.5).toFixed(1).padStart(8)} ${at(0.99).toFixed(1).padStart(8)} ${String(errors).padStart(7)}`,
      );
    }
    console.log(`  ${"all".padEnd(38)} ${String(total).padStart(7)} ${(total / seconds).toFixed(1).padStart(8)}`);
    for (const [label, e] of this.errors) console.log(`  ✖ ${label}: ${e.count} errors, the first: ${e.first}`);
  }
}
