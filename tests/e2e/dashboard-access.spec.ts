import { expect, test, type Page } from "@playwright/test";

async function signIn(page: Page, name: string, path: string) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: new RegExp(name) }).click();
}

test("a manager sees the dashboard's charts, reads a chart as a table and downloads its CSV", async ({ page }) => {
  await signIn(page, "Maya Chen", "/dashboard");
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByRole("link", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Is the AI getting better?" })).toBeVisible();

  // The demo seed has eight weeks of feedback: the headline and the charts have something to show.
  await expect(page.getByTestId("useful-rate")).toHaveText(/^\d+(\.\d)?%$/);
  // Charts far down the page draw as they come near the viewport; their panels hold their place.
  const agents = page.getByTestId("panel-agents");
  await expect(agents.locator('[data-chart="waiting"]')).toHaveCount(1);
  await expect(agents.locator("svg.recharts-surface")).toHaveCount(0);
  for (const panel of ["usefulness", "topics", "edits", "volume", "agents", "funnel", "failures"]) {
    await page.getByTestId(`panel-${panel}`).scrollIntoViewIfNeeded();
    await expect(page.getByTestId(`panel-${panel}`).locator("svg.recharts-surface").first()).toBeVisible();
  }
  await expect(page.locator('[data-chart="waiting"]')).toHaveCount(0);
  await expect(page.getByTestId("worst-prompt").first()).toBeVisible();
  await expect(page.getByTestId("panel-runs")).toBeVisible();
  await expect(page.getByText("No data yet")).toHaveCount(0);

  const funnel = page.getByTestId("panel-funnel");
  await funnel.getByRole("tab", { name: "Table" }).click();
  await expect(funnel.getByRole("columnheader", { name: "stage" })).toBeVisible();
  await expect(funnel.getByRole("cell", { name: "Marked not useful" })).toBeVisible();

  const csvHref = await funnel.getByRole("link", { name: "CSV" }).getAttribute("href");
  const csv = await page.request.get(csvHref!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).split("\r\n")[0]).toBe("stage,count,share of not useful %,left out");

  // Filters live in the URL; a range with no data shows calm empty states, not errors.
  await page.getByLabel("From", { exact: true }).fill("2001-01-01");
  await page.getByLabel("To", { exact: true }).fill("2001-01-31");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/from=2001-01-01/);
  await expect(page.getByTestId("panel-usefulness")).toContainText("Nothing in this range");
});

test("an agent is refused the dashboard and its exports", async ({ page }) => {
  await signIn(page, "Ava Martin", "/replays");
  await expect(page).toHaveURL(/\/replays/);
  await expect(page.getByRole("link", { name: "Dashboard" })).toHaveCount(0);

  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/forbidden/);
  await expect(page.getByRole("heading", { name: /don.t have access/ })).toBeVisible();

  const csv = await page.request.get("/dashboard/export/usefulness");
  expect(csv.status()).toBe(403);
  expect((await csv.json()).error.code).toBe("forbidden");
});
