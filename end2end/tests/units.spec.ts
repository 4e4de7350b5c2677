import { expect, test, type Page } from "@playwright/test";

/** From the unit list, find Hà Nội by typing without diacritics, open it, reach a ward. */
async function searchHanoiAndOpenBaDinh(page: Page) {
  await page.goto("/units");
  await expect(page.getByRole("heading", { level: 1, name: "Đơn vị" })).toBeVisible();
  await expect(page.locator("tbody tr")).toHaveCount(34);

  await page.getByLabel("Tìm đơn vị").fill("ha noi");
  await page.getByRole("button", { name: "Tìm", exact: true }).click();
  await expect(page).toHaveURL(/\/units\?q=ha\+noi/);

  await page.getByRole("link", { name: "Thành phố Hà Nội" }).first().click();
  await expect(page).toHaveURL(/\/units\/01$/);
  await expect(page.getByRole("heading", { level: 1, name: "Thành phố Hà Nội" })).toBeVisible();
  await expect(page.locator("tbody tr")).toHaveCount(126);

  await page.getByRole("link", { name: "Phường Ba Đình", exact: true }).click();
  await expect(page).toHaveURL(/\/units\/00004$/);
  await expect(page.getByRole("heading", { level: 1, name: "Phường Ba Đình" })).toBeVisible();
  // The trail leads back up to the province.
  await expect(
    page.getByRole("navigation", { name: "Vị trí trong hệ thống" }).getByRole("link", {
      name: "Thành phố Hà Nội",
    }),
  ).toBeVisible();
}

test.describe("with JavaScript", () => {
  test("search, open a province, reach a ward", async ({ page }) => {
    await page.goto("/");
    await searchHanoiAndOpenBaDinh(page);
  });

  test("switch to English and back", async ({ page }) => {
    await page.goto("/units");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Units" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    // The choice survives a reload: it is kept in a cookie.
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Units" })).toBeVisible();
    await page.getByRole("button", { name: "Tiếng Việt" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Đơn vị" })).toBeVisible();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("search, open a province, reach a ward", async ({ page }) => {
    await searchHanoiAndOpenBaDinh(page);
  });

  test("switch to English", async ({ page }) => {
    await page.goto("/units/01");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page).toHaveURL(/\/units\/01$/);
    await expect(page.getByRole("heading", { level: 2, name: "Units below" })).toBeVisible();
    await page.getByRole("button", { name: "Tiếng Việt" }).click();
    await expect(page.getByRole("heading", { level: 2, name: "Đơn vị trực thuộc" })).toBeVisible();
  });

  test("an unknown unit is a 404 page with the layout", async ({ page }) => {
    const response = await page.goto("/units/99999");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Không tìm thấy trang" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Về trang chủ" })).toBeVisible();
  });
});

test("the skip link and navigation work from the keyboard", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Bỏ qua, đến nội dung chính" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});
