import { expect, test, type Page } from "@playwright/test";

const DEMO_PASSWORD = "tiendo-demo-2026";

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
}

test.describe("with JavaScript", () => {
  test("sign in, change the password, sign out, sign in with the new one", async ({ page }, info) => {
    // Both projects share one server: each changes the password of its own demo official.
    const [username, fullName] =
      info.project.name === "phone" ? ["hue.xem", "Hoàng Đức Huy"] : ["btctw.canbo", "Lý Quốc Bảo"];
    await page.goto("/account");
    // Not signed in: sent to sign in, and back to the account afterwards.
    await expect(page).toHaveURL(/\/login\?next=\/account$/);

    await signIn(page, username, "not the password");
    await expect(page.getByRole("alert")).toContainText("không đúng");

    await signIn(page, username, DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole("heading", { level: 1, name: "Tài khoản" })).toBeVisible();
    await expect(page.getByRole("link", { name: fullName })).toBeVisible();

    const newPassword = "đường về nhà qua cầu tre";
    await page.getByLabel("Mật khẩu hiện tại").fill(DEMO_PASSWORD);
    await page.getByLabel("Mật khẩu mới", { exact: true }).fill("qwertyuiop123");
    await page.getByLabel("Nhập lại mật khẩu mới").fill("qwertyuiop123");
    await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
    await expect(page.locator("#new-error")).toContainText("quá phổ biến");

    await page.getByLabel("Mật khẩu hiện tại").fill(DEMO_PASSWORD);
    await page.getByLabel("Mật khẩu mới", { exact: true }).fill(newPassword);
    await page.getByLabel("Nhập lại mật khẩu mới").fill(newPassword);
    await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
    await expect(page.getByRole("status")).toContainText("Đã đổi mật khẩu");

    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
    await page.goto("/login?next=/account");
    await signIn(page, username, DEMO_PASSWORD);
    await expect(page.getByRole("alert")).toContainText("không đúng");
    await signIn(page, username, newPassword);
    await expect(page).toHaveURL(/\/account$/);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign in, see the account, sign out", async ({ page }) => {
    await page.goto("/login");
    await signIn(page, "badinh.canbo", "wrong password here");
    await expect(page.getByRole("alert")).toContainText("không đúng");
    await signIn(page, "badinh.canbo", DEMO_PASSWORD);
    await expect(page).toHaveURL(/\/$/);
    await page.getByRole("link", { name: /Phạm Thu Trang/ }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Tài khoản" })).toBeVisible();
    await expect(page.getByText("Phường Ba Đình")).toBeVisible();
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
    const response = await page.goto("/account");
    await expect(page).toHaveURL(/\/login\?next=\/account$/);
    expect(response?.status()).toBe(200);
  });
});
