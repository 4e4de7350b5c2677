import { expect, test, type Browser, type Page } from "@playwright/test";

const DEMO_PASSWORD = "tiendo-demo-2026";

async function official(browser: Browser, username: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await page.goto("/login?next=/dashboard");
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Tổng quan tiến độ/ })).toBeVisible();
  return page;
}

/** The value of one headline figure, as shown (the key tasks' figures follow apart). */
async function figure(page: Page, term: string): Promise<string> {
  const headline = page.locator("dl[aria-label='Số liệu chính']");
  const tile = headline.locator("div", { has: page.locator("dt", { hasText: new RegExp(`^${term}$`) }) });
  return (await tile.locator("dd").innerText()).trim();
}

test("drill down from the country to a province, a ward and one of its tasks", async ({ browser }) => {
  const page = await official(browser, "tw.lanhdao");
  await expect(page.getByRole("heading", { level: 1, name: "Tổng quan tiến độ: Trung ương" })).toBeVisible();
  expect(Number(await figure(page, "Nhiệm vụ"))).toBeGreaterThan(0);
  await expect(page.getByRole("img", { name: "Số nhiệm vụ hoàn thành mỗi tuần" })).toBeVisible();

  // The provinces table: Hà Nội drills down.
  const units = page.locator("section[aria-labelledby='children-heading']");
  await units.getByRole("link", { name: "Thành phố Hà Nội", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tổng quan tiến độ: Thành phố Hà Nội" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Vị trí trong hệ thống" }).getByRole("link", { name: "Trung ương" })).toBeVisible();

  // Sorting the wards by task count puts the wards with tasks first.
  const wards = page.locator("section[aria-labelledby='children-heading']");
  await wards.locator("th").nth(1).getByRole("link").click();
  await expect(page).toHaveURL(/sort=tasks/);
  await expect(wards.locator("th").nth(1)).toHaveAttribute("aria-sort", "descending");
  // Phường Giảng Võ has a report returned to it in the demo data: an open task.
  await wards.getByRole("link", { name: "Phường Giảng Võ", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tổng quan tiến độ: Phường Giảng Võ" })).toBeVisible();
  expect(Number(await figure(page, "Nhiệm vụ"))).toBeGreaterThan(0);

  // A ward has no units below: its deadlines lead to its tasks.
  await expect(page.getByRole("heading", { name: "Theo đơn vị trực thuộc" })).toHaveCount(0);
  const lists = page.locator("section[aria-labelledby='nearest-heading'], section[aria-labelledby='overdue-heading']");
  const task = lists.locator("a[href^='/tasks/']").first();
  const title = (await task.innerText()).trim();
  await task.click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
});

test("charts, tables and filters work with JavaScript off", async ({ browser }) => {
  const page = await official(browser, "hanoi.lanhdao", false);
  await expect(page.getByRole("heading", { level: 1, name: "Tổng quan tiến độ: Thành phố Hà Nội" })).toBeVisible();
  // Both charts are drawn by the server, each with its caption and a table alternative.
  for (const caption of ["Số nhiệm vụ hoàn thành mỗi tuần", "Số nhiệm vụ quá hạn vào cuối mỗi tuần"]) {
    const chart = page.getByRole("img", { name: caption });
    await expect(chart).toBeVisible();
    await expect(chart.locator("svg")).toHaveCount(1);
  }
  await page.locator("summary", { hasText: "Số liệu dạng bảng" }).click();
  await expect(page.getByRole("columnheader", { name: "Tuần từ" })).toBeVisible();

  // Narrowing to internal tasks is a plain GET form.
  const before = Number(await figure(page, "Nhiệm vụ"));
  await page.getByLabel("Độ mật").selectOption("public");
  await page.getByRole("button", { name: "Lọc" }).click();
  await expect(page).toHaveURL(/classification=public/);
  expect(Number(await figure(page, "Nhiệm vụ"))).toBeLessThanOrEqual(before);

  // A period that ends before it starts is refused with a clear message.
  await page.getByLabel("Hạn từ ngày").fill("2026-06-01");
  await page.getByLabel("Đến ngày").fill("2026-01-01");
  await page.getByRole("button", { name: "Lọc" }).click();
  await expect(page.getByRole("alert")).toContainText("không được trước ngày bắt đầu");

  // Another province's dashboard does not exist for a province's leader.
  const refused = await page.goto("/dashboard/79");
  expect(refused?.status()).toBe(404);
});

test("how up to date the wards are, and only the quiet ones, without JavaScript", async ({ browser }) => {
  const page = await official(browser, "hanoi.lanhdao", false);
  const fresh = page.locator("section[aria-labelledby='freshness-heading']");
  await expect(fresh.getByRole("heading", { name: "Độ cập nhật" })).toBeVisible();
  // The demo's wards reported: the city's last update is a day, not "never".
  await expect(fresh.locator("dd").first()).toContainText("ngày trước");
  await expect(fresh).toContainText("Nhiệm vụ đang thực hiện được cập nhật kỳ này");

  // Only the wards without an update for a day or more: those that reported today go.
  const wards = page.locator("section[aria-labelledby='children-heading']");
  const all = await wards.locator("tbody tr").count();
  await page.getByLabel("Chỉ đơn vị không cập nhật từ (số ngày)").fill("1");
  await page.getByRole("button", { name: "Lọc" }).click();
  await expect(page).toHaveURL(/quiet=1/);
  const kept = await wards.locator("tbody tr").count();
  expect(kept).toBeLessThan(all);
  await expect(wards.getByRole("link", { name: "Phường Ba Đình", exact: true })).toHaveCount(0);

  // The quietest first, the filter kept.
  await wards.getByRole("link", { name: "Ngày chưa cập nhật" }).click();
  await expect(page).toHaveURL(/sort=quiet/);
  await expect(page).toHaveURL(/quiet=1/);
  await expect(wards.locator("th", { hasText: "Ngày chưa cập nhật" })).toHaveAttribute("aria-sort", "descending");

  // No number of days, no filter: a clear refusal naming the field.
  await page.goto("/dashboard/01?quiet=0");
  await expect(page.getByRole("alert")).toBeVisible();
});
