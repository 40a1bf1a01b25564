import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { E2E_HELPDESK_SECRET } from "../../playwright.config";
import { words } from "./support/training-helpers";

const sign = (raw: string) => {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    "content-type": "application/json",
    "x-feedback-replay-timestamp": timestamp,
    "x-feedback-replay-signature": `v1=${createHmac("sha256", E2E_HELPDESK_SECRET).update(`${timestamp}.${raw}`).digest("hex")}`,
  };
};

test("an admin sees the integrations, sends a test event and imports a history file", async ({ page, request }) => {
  // A real signed event through the production front server, and a forged one.
  const conversation = words(2);
  const raw = JSON.stringify({ id: `evt-${words(1)}`, type: "customer.message", conversationId: conversation, text: `Where is my ${words(3)}?` });
  expect((await request.post("/api/integrations/webhook", { headers: sign(raw), data: raw })).status()).toBe(200);
  const forged = await request.post("/api/integrations/webhook", { headers: { ...sign(raw), "x-feedback-replay-signature": `v1=${"0".repeat(64)}` }, data: raw });
  expect(forged.status()).toBe(401);

  await page.goto("/admin/integrations");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: /Omar Haddad/ }).click();
  await expect(page).toHaveURL(/\/admin\/integrations/);

  const rows = page.getByTestId("integration-row");
  await expect(rows).toHaveCount(3);
  const zendesk = rows.filter({ hasText: "Zendesk" });
  await expect(zendesk).toContainText("not set: ZENDESK_WEBHOOK_SECRET");
  await expect(zendesk.getByRole("button", { name: /Send a test event/ })).toBeDisabled();
  const generic = rows.filter({ hasText: "Generic webhook" });
  await expect(generic).toContainText("/api/integrations/webhook");
  await expect(generic).toContainText("set");
  await expect(generic).toContainText("signature does not match (wrong secret?)");

  await generic.getByRole("button", { name: /Send a test event/ }).click();
  await expect(generic.getByRole("status")).toHaveText("Test event received and verified.");
  await expect(generic).toContainText("ping");

  const before = await page.getByTestId("import-row").count();
  await page.setInputFiles("#history-file", "examples/demo-history.csv");
  await page.getByRole("button", { name: "Import" }).click();
  // This upload's run: the newest row, once it is listed.
  await expect(page.getByTestId("import-row")).toHaveCount(Math.min(before + 1, 10), { timeout: 30_000 });
  const run = page.getByTestId("import-row").first();
  await expect(run).toContainText("demo-history.csv");
  await expect(run).toContainText("done", { timeout: 60_000 });
  // 40 lines: imported now, or already there from an earlier run on this kept database.
  const cells = run.locator("td");
  const imported = Number((await cells.nth(3).innerText()).replace(/,/g, ""));
  const already = Number((await cells.nth(4).innerText()).replace(/,/g, ""));
  expect(imported + already).toBe(40);
  // Lines read: the header and 40 records.
  await expect(cells.nth(2)).toHaveText("41");
  await page.screenshot({ path: "test-results/admin-integrations.png", fullPage: true });
});
