import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Outside Next.js "server-only" throws by design; tests are server code.
      "server-only": path.resolve(import.meta.dirname, "tests/support/empty-module.ts"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "tests/integration/**/*.test.ts", "tests/security/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/use-test-database.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Never call a real model provider from tests, whatever the developer's environment holds:
    // tests that exercise OpenAI pass a config pointing at tests/support/fake-openai.ts (the
    // embeddings tests turn EMBEDDINGS on in their own process, pointed at the fake).
    env: { AI_PROVIDER: "local", EMBEDDINGS: "off" },
  },
});
