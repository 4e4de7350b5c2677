import { expect, type Browser, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "tiendo-demo-2026";

/** A new browser of its own for one official, signed in, on their work. */
export async function official(browser: Browser, username: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await page.goto("/login?next=/my-work");
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Việc của tôi" })).toBeVisible();
  return page;
}
