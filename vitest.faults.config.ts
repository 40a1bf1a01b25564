import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * The fault suite (tests/faults): each file starts its own PostgreSQL (tests/faults/support/
 * fault-database.ts) and stops, kills and restarts it, so it runs apart from the other tests,
 * as its own step of `npm test`. Every test is bounded (testTimeout).
 */
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      "server-only": path.resolve(import.meta.dirname, "tests/support/empty-module.ts"),
    },
  },
  test: {
    include: ["tests/faults/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    pool: "forks",
    // Two at a time: each file has a PostgreSQL of its own, and the machine is small.
    maxWorkers: 2,
    env: { AI_PROVIDER: "local", EMBEDDINGS: "off" },
  },
});
