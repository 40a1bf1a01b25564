import { defineConfig } from "@playwright/test";
import { OIDC_CLIENTS, SSO_ALLOWED_DOMAINS, SSO_ROLE_MAP } from "./tests/e2e/support/sso-fixtures";

// e2e drive Debian's Chromium (browser downloads are impossible here) against a production
// build started exactly as `npm start` does, with its own data directory and port.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3199);
export const E2E_DATA_DIR = ".data/e2e";
export const E2E_HELPDESK_SECRET = "e2e-helpdesk-webhook-secret-0123456789";
// SSO: a real OpenID Provider and a second app server configured for it (its env is fixed at start).
export const E2E_OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? E2E_PORT + 200);
export const E2E_SSO_PORT = Number(process.env.E2E_SSO_PORT ?? E2E_PORT + 201);
export const E2E_SSO_DATA_DIR = ".data/e2e-sso";
// Browser fault tests (tests/faults/*.spec.ts): an app whose database the tests stop and restart.
export const E2E_FAULTS_PORT = Number(process.env.E2E_FAULTS_PORT ?? E2E_PORT + 202);
export const E2E_FAULTS_CONTROL_PORT = E2E_FAULTS_PORT + 1;
// Fine-tune targets (issue 13): an app whose weekly retrain goes to Together AI, played by a local
// server speaking its protocol (tests/support/fake-together.ts).
export const E2E_FINETUNE_PORT = Number(process.env.E2E_FINETUNE_PORT ?? E2E_PORT + 204);
export const E2E_TOGETHER_PORT = E2E_FINETUNE_PORT + 1;
export const E2E_FINETUNE_CRON_SECRET = "e2e-finetune-cron-secret-0123456789";

const app = (port: number, dataDir: string, env: Record<string, string> = {}) => ({
  command: "node --conditions=react-server --import tsx scripts/start.ts",
  url: `http://localhost:${port}/api/health`,
  timeout: 300_000,
  reuseExistingServer: false,
  stdout: "pipe" as const,
  stderr: "pipe" as const,
  // The local model: e2e never call a provider, even with OPENAI_API_KEY in the environment.
  // TRUSTED_PROXY_HOPS=1: the tests act as the reverse proxy, so a test may choose its client
  // address (X-Forwarded-For) and keep its rate-limit bucket to itself.
  env: { DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", NEXTAUTH_URL: `http://localhost:${port}`, AI_PROVIDER: "local", EMBEDDINGS: "off", TRUSTED_PROXY_HOPS: "1", ...env },
});

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [
    { name: "demo", testIgnore: /(auth-sso|retrain-fine-tune).*\.spec\.ts/, use: { baseURL: `http://localhost:${E2E_PORT}` } },
    { name: "finetune", testMatch: /retrain-fine-tune.*\.spec\.ts/, use: { baseURL: `http://localhost:${E2E_FINETUNE_PORT}` } },
    { name: "sso", testMatch: /auth-sso.*\.spec\.ts/, use: { baseURL: `http://localhost:${E2E_SSO_PORT}` } },
    { name: "faults", testDir: "tests/faults", testMatch: /.*\.spec\.ts/, use: { baseURL: `http://localhost:${E2E_FAULTS_PORT}` } },
  ],
  // Started one after another, in this order: the first builds the app when stale, the others reuse it.
  webServer: [
    // HELPDESK_WEBHOOK_SECRET: the generic webhook is configured (tests/e2e/helpdesk-integrations.spec.ts); Zendesk and Intercom are not.
    app(E2E_PORT, E2E_DATA_DIR, { SEED_DEMO: "1", HELPDESK_WEBHOOK_SECRET: E2E_HELPDESK_SECRET }),
    {
      command: "node --import tsx tests/e2e/support/oidc-server.ts",
      url: `http://localhost:${E2E_OIDC_PORT}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: { E2E_OIDC_PORT: String(E2E_OIDC_PORT), E2E_SSO_PORT: String(E2E_SSO_PORT) },
    },
    app(E2E_SSO_PORT, E2E_SSO_DATA_DIR, {
      SEED_DEMO: "0",
      NEXTAUTH_SECRET: "e2e-sso-session-secret-0123456789abcdef",
      OIDC_ISSUER: `http://localhost:${E2E_OIDC_PORT}`,
      OIDC_CLIENT_ID: OIDC_CLIENTS[0].clientId,
      OIDC_CLIENT_SECRET: OIDC_CLIENTS[0].clientSecret,
      OIDC_NAME: OIDC_CLIENTS[0].name,
      OIDC_SCOPE: "openid email profile groups",
      OIDC_PROVIDERS: JSON.stringify([
        {
          id: OIDC_CLIENTS[1].providerId,
          name: OIDC_CLIENTS[1].name,
          issuer: `http://localhost:${E2E_OIDC_PORT}`,
          clientId: OIDC_CLIENTS[1].clientId,
          clientSecret: OIDC_CLIENTS[1].clientSecret,
        },
      ]),
      ROLE_MAP: SSO_ROLE_MAP,
      ALLOWED_EMAIL_DOMAINS: SSO_ALLOWED_DOMAINS,
    }),
    {
      command: "node --conditions=react-server --import tsx tests/faults/support/fault-app.ts",
      url: `http://localhost:${E2E_FAULTS_PORT}/api/health`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: { E2E_FAULTS_PORT: String(E2E_FAULTS_PORT), E2E_FAULTS_CONTROL_PORT: String(E2E_FAULTS_CONTROL_PORT), AI_PROVIDER: "local", SEED_DEMO: "1", TRUSTED_PROXY_HOPS: "1" },
    },
    {
      command: "node --import tsx tests/e2e/support/together-server.ts",
      url: `http://127.0.0.1:${E2E_TOGETHER_PORT}/v1/fine-tunes/none`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: { E2E_TOGETHER_PORT: String(E2E_TOGETHER_PORT) },
    },
    // AI_PROVIDER=auto without an OpenAI key: suggestions stay local, and a promoted Together
    // version answers at the fake's chat API. No FINE_TUNE_TARGET: the configuration says local,
    // and the manager switches to Together (DPO) on /retrain. The Together price is a test value.
    app(E2E_FINETUNE_PORT, ".data/e2e-finetune", {
      SEED_DEMO: "1",
      AI_PROVIDER: "auto",
      FINE_TUNE_BASE_MODEL: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
      FINE_TUNE_PRICES: "together=1",
      TOGETHER_API_KEY: "together-e2e-key",
      TOGETHER_API_BASE_URL: `http://127.0.0.1:${E2E_TOGETHER_PORT}/v1`,
      CRON_SECRET: E2E_FINETUNE_CRON_SECRET,
      RETRAIN_MODE: "review",
    }),
  ],
});
