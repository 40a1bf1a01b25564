import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { validateJsonl } from "@/lib/training/validate-jsonl";
import { createApiKey, signInAsManager, words } from "./support/training-helpers";

const PII = {
  name: "Marta Kowalczyk",
  email: "marta.kowalczyk@example.org",
  phone: "+44 20 7946 0958",
  card: "4111 1111 1111 1111",
  iban: "DE89 3704 0044 0532 0130 00",
  street: "221B Baker Street",
  postcode: "NW1 6XE",
  order: "#48213",
};

test("a manager reviews the worst prompts, approves examples and downloads a valid JSONL file without PII", async ({ page, request }) => {
  // Twelve customers ask this run's question; each agent's better reply is different. All carry personal data.
  const question = words(4);
  const key = createApiKey();
  for (let i = 0; i < 12; i++) {
    const response = await request.post("/api/feedback-replay", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        message: `Hi, ${PII.name} here. My ${question} never came for order ${PII.order}; card ${PII.card} was charged. Refund to ${PII.iban}, call ${PII.phone}, mail ${PII.email}. I live at ${PII.street}, London ${PII.postcode}.`,
        aiReply: "Please wait a few more days.",
        agentReply: `Dear ${PII.name}, ${words(10)}. We refunded order ${PII.order}; questions? Write to ${PII.email} or call ${PII.phone}.`,
        feedback: "no",
        customerName: PII.name,
        topic: "e2e",
      },
    });
    expect(response.status()).toBe(201);
  }

  // The worst prompts: seeded demo questions are there at once, and this run's question too.
  await signInAsManager(page, "/training");
  await expect(page.getByRole("link", { name: "Training" })).toBeVisible();
  expect(await page.getByTestId("worst-prompt").count()).toBeGreaterThanOrEqual(4);
  const row = page.getByTestId("worst-prompt").filter({ hasText: question });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("12");
  await expect(row).not.toContainText(PII.email); // the wordings are shown redacted
  await row.getByRole("link", { name: /Review 12/ }).click();

  // The review queue for that question: redaction preview before anything is exported.
  await expect(page).toHaveURL(/\/training\/review\?group=/);
  await expect(page.getByTestId("review-item")).toHaveCount(12);
  const detail = page.getByTestId("review-detail");
  await expect(detail).toContainText("[EMAIL]");
  await expect(detail).toContainText("[CARD]");
  await expect(detail).not.toContainText(PII.email);
  await expect(page.getByTestId("redaction-summary")).toContainText("1 card number");
  await expect(page.getByTestId("self-critique-slot")).toBeVisible();
  await expect(page.getByTestId("self-critique-slot")).not.toContainText("Loading");

  // Select all with the keyboard, approve with the keyboard.
  await page.keyboard.press("Shift+X");
  await expect(page.getByTestId("bulk-bar")).toContainText("12 selected");
  await page.keyboard.press("a");
  await expect(page.getByTestId("review-banner")).toContainText("Approved 12 examples");
  await expect(page.getByTestId("review-item")).toHaveCount(0);

  // Download the approved examples.
  await page.getByRole("link", { name: "Datasets" }).click();
  const downloading = page.waitForEvent("download");
  await page.getByTestId("export-approved").click();
  const download = await downloading;
  const file = readFileSync((await download.path())!, "utf8");

  const report = await validateJsonl(file);
  expect(report.problems).toEqual({});
  expect(report.ok).toBe(true);
  const mine = file.split("\n").filter((line) => line.includes(question));
  expect(mine).toHaveLength(12);
  for (const value of Object.values(PII)) expect(file).not.toContain(value);
  expect(JSON.parse(mine[0]!).messages[0].content).toBe(
    `Hi, [NAME] here. My ${question} never came for order [ORDER_ID]; card [CARD] was charged. Refund to [IBAN], call [PHONE], mail [EMAIL]. I live at [ADDRESS].`,
  );

  // The export is recorded as a snapshot with the file's hash.
  await page.reload();
  const sha256 = createHash("sha256").update(file).digest("hex");
  await expect(page.getByTestId("dataset-row").first().getByTestId("dataset-sha256")).toHaveAttribute("title", sha256);
  await expect(page.getByTestId("dataset-row").first()).toContainText("passes");
});

test("agents cannot open the training pages", async ({ page }) => {
  await page.goto("/training/review");
  await page.getByRole("button", { name: /Ava Martin/ }).click();
  await expect(page).toHaveURL(/\/forbidden/);
  await expect(page.getByRole("link", { name: "Training" })).toHaveCount(0);
});
