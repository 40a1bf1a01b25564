import { randomUUID } from "node:crypto";
import { expect, test, type APIResponse, type Page } from "@playwright/test";
import { createPendingReplay, withDatabase } from "./support/database";

async function signInAs(page: Page, name: RegExp, path: string) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name }).click();
}

test("an admin creates an API key (shown once), sees only its prefix in the list, and revokes it", async ({ page, request }) => {
  await signInAs(page, /Omar Haddad/, "/admin/api-keys");
  await expect(page).toHaveURL(/\/admin\/api-keys/);
  const name = `zendesk-${randomUUID().slice(0, 8)}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByTestId("new-api-key");
  await expect(shown).toContainText("shown only once");
  const key = (await shown.locator("code").textContent())!;
  expect(key).toMatch(/^frk_[0-9a-f]{12}_/);
  const prefix = key.split("_").slice(0, 2).join("_");

  const row = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(row).toContainText(`${prefix}…`);
  await expect(page.locator("table")).not.toContainText(key);

  const feedback = { message: `Refund? ${randomUUID()}`, aiReply: "Soon.", agentReply: "Refunded today.", feedback: "no" };
  expect((await request.post("/api/feedback-replay", { headers: { authorization: `Bearer ${key}` }, data: feedback })).status()).toBe(201);

  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("button", { name: `Confirm revoking ${name}` }).click();
  await expect(row).toContainText("revoked");
  expect((await request.post("/api/feedback-replay", { headers: { authorization: `Bearer ${key}` }, data: feedback })).status()).toBe(401);

  // After a reload the key is gone for good; the audit log has both events.
  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByTestId("audit-row").filter({ hasText: prefix })).toHaveCount(2);
});

test("an agent sees no admin link and is refused the admin pages", async ({ page }) => {
  await signInAs(page, /Ava Martin/, "/replays");
  await expect(page).toHaveURL(/\/replays/);
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  for (const path of ["/admin", "/admin/users", "/admin/api-keys", "/admin/audit"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: /don't have access/ })).toBeVisible();
  }
});

test("HTML and script in customer text and model output are shown as text and never run", async ({ page }) => {
  const payload = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> ${randomUUID().slice(0, 8)}`;
  const modelOutput = `<b onmouseover="window.__xss=3">bold?</b><iframe src="javascript:window.__xss=4"></iframe> ${randomUUID().slice(0, 8)}`;
  const replay = await createPendingReplay(payload);
  await withDatabase((db) => db.query("UPDATE feedback_replay_log SET ai_reply = $1 WHERE id = $2", [modelOutput, replay.id]));
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await signInAs(page, /Ava Martin/, `/replays?ticket=${replay.ticketId}`);
  await page.getByTestId("queue-item").first().click();
  await expect(page.getByText(payload).first()).toBeVisible();
  await expect(page.getByText(modelOutput).first()).toBeVisible();
  await page.getByText(modelOutput).first().hover();
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator("main img[src='x'], main iframe, main b[onmouseover]").count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test("pages carry the security headers", async ({ request }) => {
  const response = await request.get("/signin");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"]).toBe("DENY");
});

test("sign-in attempts are rate limited per address with 429 and Retry-After", async ({ request }) => {
  // A made-up client address, so the limit does not touch the other tests' sign-ins.
  const headers = { "x-forwarded-for": `198.51.100.${Math.floor(Math.random() * 250)}, 203.0.113.${Math.floor(Math.random() * 250)}-${randomUUID().slice(0, 6)}` };
  let limited: APIResponse | undefined;
  for (let i = 0; i < 40 && !limited; i++) {
    const response = await request.post("/api/auth/signin/demo", { headers, form: { json: "true" }, maxRedirects: 0 });
    if (response.status() === 429) limited = response;
  }
  expect(limited, "no 429 within 40 attempts (limit 30 per minute)").toBeDefined();
  expect(Number(limited!.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
  expect((await limited!.json()).url).toMatch(/^\/signin\?error=RateLimited/);
});
