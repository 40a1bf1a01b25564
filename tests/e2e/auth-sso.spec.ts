import { expect, test, type Page } from "@playwright/test";
import { E2E_SSO_DATA_DIR } from "../../playwright.config";
import { withDatabase } from "./support/database";
import { OIDC_USERS } from "./support/sso-fixtures";

/**
 * Real Chromium through a real OpenID Provider (tests/e2e/support/oidc-server.ts): the app's
 * sign-in button → the IdP's login form → authorization code + PKCE → the app's callback.
 */

/** A page only managers and up may open. */
const MANAGER_PAGE: { path: string; heading: RegExp } | null = { path: "/dashboard", heading: /^Dashboard$/ };

type Login = (typeof OIDC_USERS)[number]["login"];

async function signIn(page: Page, login: Login, { button = /Sign in with Acme SSO/, from = "/replays" } = {}) {
  const user = OIDC_USERS.find((u) => u.login === login)!;
  await page.goto(from);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: button }).click();
  await expect(page.getByRole("heading", { name: "Acme SSO" })).toBeVisible();
  await page.getByLabel("Username").fill(user.login);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in to Acme" }).click();
  return user;
}

async function storedUser(email: string) {
  return withDatabase(async (db) => (await db.query("SELECT role, name, last_sign_in_at FROM users WHERE email = $1", [email])).rows[0], E2E_SSO_DATA_DIR);
}

test("the sign-in page offers every configured provider and no demo sign-in", async ({ page, request }) => {
  await page.goto("/signin");
  await expect(page.getByRole("button", { name: "Sign in with Acme SSO" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with Contractor SSO" })).toBeVisible();
  await expect(page.getByTestId("demo-mode")).toHaveCount(0);
  await expect(page.getByText("Ava Martin")).toHaveCount(0);

  // No route either: next-auth knows only the SSO providers, and a demo sign-in makes no session.
  expect(Object.keys(await (await request.get("/api/auth/providers")).json())).toEqual(["oidc", "contractors"]);
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const attempt = await request.post("/api/auth/callback/demo", {
    form: { csrfToken, email: "omar.admin@example.com", json: "true" },
    maxRedirects: 0,
  });
  expect(attempt.headers()["set-cookie"] ?? "").not.toContain("next-auth.session-token");
  expect((await (await request.get("/api/auth/session")).json())?.user).toBeUndefined();
});

test("an agent signs in through SSO and lands on the replay queue", async ({ page }) => {
  const user = await signIn(page, "ava");
  await expect(page).toHaveURL(/\/replays/);
  await expect(page.getByRole("banner")).toContainText(`${user.name}`);
  await expect(page.getByRole("banner")).toContainText("agent");
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  expect(await storedUser(user.email)).toMatchObject({ role: "agent", name: user.name, last_sign_in_at: expect.any(Date) });

  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: /don't have access/ })).toBeVisible();
});

test("a manager in support-managers gets the manager role", async ({ page }) => {
  const user = await signIn(page, "mia");
  await expect(page).toHaveURL(/\/replays/);
  await expect(page.getByRole("banner")).toContainText("manager");
  expect(await storedUser(user.email)).toMatchObject({ role: "manager" });
  if (MANAGER_PAGE) {
    await page.goto(MANAGER_PAGE.path);
    await expect(page.getByRole("heading", { name: MANAGER_PAGE.heading })).toBeVisible();
  }
  // Managers see more than agents, but not the admin area.
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: /don't have access/ })).toBeVisible();
});

test("an admin in it-admins reaches the admin area and sees their sign-in in the audit log", async ({ page }) => {
  const user = await signIn(page, "oscar", { from: "/admin/users" });
  await expect(page).toHaveURL(/\/admin\/users/);
  await expect(page.getByTestId("user-row").filter({ hasText: user.email })).toContainText("admin");
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByTestId("audit-row").filter({ hasText: "auth.sign_in" }).filter({ hasText: user.email }).first()).toBeVisible();
});

test("a user from a domain that is not allowed is refused with a clear page and gets no session", async ({ page }) => {
  await signIn(page, "eve");
  await expect(page).toHaveURL(/\/signin\/refused/);
  await expect(page.getByRole("heading", { name: "You can't sign in with this account" })).toBeVisible();
  await expect(page.getByTestId("refusal-reason")).toHaveText("Accounts from other.test can't use Feedback Replay. Sign in with your company account instead.");
  expect(await storedUser("eve@other.test")).toBeUndefined();
  await page.goto("/replays");
  await expect(page).toHaveURL(/\/signin/);
});

test("the second provider signs people in too", async ({ page }) => {
  await signIn(page, "ava", { button: /Sign in with Contractor SSO/ });
  await expect(page).toHaveURL(/\/replays/);
  await expect(page.getByRole("banner")).toContainText("Ava Agent");
});
