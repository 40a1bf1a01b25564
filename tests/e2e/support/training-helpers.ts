import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { E2E_DATA_DIR } from "../../../playwright.config";

/** Letters only, so prompt normalisation keeps them and this run's question is its own group. */
export const words = (n: number) => Array.from({ length: n }, () => Array.from(randomBytes(7), (b) => "abcdefghijklmnopqrstuvwxyz"[b % 26]).join("")).join(" ");

/** A helpdesk API key for the demo server's database, made by the CLI as an operator would. */
export function createApiKey(): string {
  const stdout = execFileSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/cli.ts", "api-key", "create", "--name", `e2e training ${Date.now()}`, "--scopes", "feedback:write"],
    { env: { ...process.env, DATA_DIR: E2E_DATA_DIR, DATABASE_URL: "" }, encoding: "utf8" },
  );
  return stdout.trim().split("\n").at(-1)!;
}

/** Opens `path` signed out, signs in as the demo manager, and lands back on `path`. */
export async function signInAsManager(page: Page, path: string) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: /Maya Chen/ }).click();
  await expect(page).toHaveURL(new RegExp(path.replace(/[?]/g, "\\?")));
}
