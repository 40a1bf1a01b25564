import { expect, test } from "@playwright/test";
import { createApiKey, signInAsManager, words } from "./support/training-helpers";

test("a manager sees a paraphrase group with its reason on /training, splits a wording out and finds it in its own group", async ({ page, request }) => {
  // This run's question, asked three ways (synonyms: refund, money back, reimbursed); one carries an email.
  // Every word that could meet an earlier run's question is random (the e2e database is kept across runs).
  const [item, shop, local, domain] = words(4).split(" ") as [string, string, string, string];
  const email = `${local}@${domain}.com`;
  const wordings = [
    { text: `I want a refund for my ${item} from ${shop}`, times: 3 },
    { text: `please give me my money back for the ${item} from ${shop}, write to ${email}`, times: 2 },
    { text: `how do I get reimbursed for the ${item} from ${shop}?`, times: 2 },
  ];
  const key = createApiKey();
  for (const { text, times } of wordings) {
    for (let i = 0; i < times; i++) {
      const response = await request.post("/api/feedback-replay", {
        headers: { authorization: `Bearer ${key}` },
        // Short replies (under six content words): no answer evidence either way, the wordings alone group.
        data: { message: text, aiReply: "Please wait a few more days.", agentReply: `We ${words(3)}.`, feedback: "no", topic: "e2e" },
      });
      expect(response.status()).toBe(201);
    }
  }

  // One group of seven "not useful" on /training, and from there why its wordings are together.
  await signInAsManager(page, "/training");
  const row = page.getByTestId("worst-prompt").filter({ hasText: `refund for my ${item}` });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("7");
  await row.getByRole("link", { name: /Why these are together/ }).click();
  await expect(page).toHaveURL(/\/training\/groups\/[0-9a-f-]{36}$/);
  const original = page.url();

  const all = page.getByTestId("wording");
  // A wording's row by its own text (another row's reason may quote it).
  const wording = (text: RegExp) => all.filter({ has: page.getByRole("checkbox", { name: text }) });
  await expect(all).toHaveCount(3);
  const money = wording(/money back/);
  await expect(money).toContainText("[EMAIL]");
  await expect(page.locator("main")).not.toContainText(email);
  const reason = money.getByTestId("wording-reason");
  await expect(reason).toContainText("Same question as");
  await expect(reason.getByTestId("shared-terms")).toContainText(item);
  await expect(reason.getByTestId("shared-terms")).toContainText("~"); // a synonym, not only the same words
  await expect(reason.getByTestId("shared-terms")).not.toContainText(local);

  // Split the "reimbursed" wording out, with the keyboard.
  await wording(/reimbursed/).getByRole("checkbox").focus();
  await page.keyboard.press("Space");
  await expect(page.getByTestId("group-actions")).toContainText("1 selected");
  await page.getByRole("button", { name: "Split into a new group" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("group-banner")).toContainText("Split 1 wording (2 replays) into a new group.");
  await expect(all).toHaveCount(2);
  await expect(wording(/reimbursed/)).toHaveCount(0);
  await expect(all.first()).toContainText("pinned");

  // Its own group: the one wording, pinned; the original group is its nearest neighbour.
  await page.getByRole("link", { name: "Open the new group →" }).click();
  await expect(page).not.toHaveURL(original);
  await expect(page.getByTestId("group-title")).toContainText(`reimbursed for the ${item}`);
  await expect(page.getByTestId("wording")).toHaveCount(1);
  await expect(page.getByTestId("wording")).toContainText("pinned");
  await expect(page.getByTestId("wording-reason")).toContainText("The only wording in this group.");
  await expect(page.getByTestId("nearby-group").filter({ hasText: `refund for my ${item}` })).toHaveCount(1);

  // The manager takes the decision back: the engine decides for the wording again.
  await expect(page.getByTestId("pins")).toContainText("placed here by a manager");
  await page.getByRole("button", { name: "Let the engine decide again" }).click();
  await expect(page.getByTestId("group-banner")).toContainText("The engine decides for 1 wording again");
  await expect(page.getByTestId("pins")).toHaveCount(0);
  await expect(page.getByTestId("wording")).not.toContainText("pinned");
});
