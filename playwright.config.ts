import { defineConfig } from "@playwright/test";

// e2e drive Debian's Chromium (browser downloads are impossible here) against a production
// build started exactly as `npm start` does, with its own data directory and port.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3199);
export const E2E_DATA_DIR = ".data/e2e";

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: "node --conditions=react-server --import tsx scripts/start.ts",
    url: `http://localhost:${E2E_PORT}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATA_DIR: E2E_DATA_DIR,
      PORT: String(E2E_PORT),
      HOST: "127.0.0.1",
      SEED_DEMO: "1",
      NEXTAUTH_URL: `http://localhost:${E2E_PORT}`,
      // The local model: e2e never call a provider, even with OPENAI_API_KEY in the environment.
      AI_PROVIDER: "local",
    },
  },
});
