import { expect, test } from "@playwright/test";

test("an administrator adds an official, who signs in with the password shown once", async ({
  page,
  browser,
}, info) => {
  const username = `canbo.${info.project.name}`;
  await page.goto("/login?next=/admin/users");
  await page.getByLabel("Tên đăng nhập").fill("admin");
  await page.getByLabel("Mật khẩu", { exact: true }).fill("tiendo-demo-2026");
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Quản lý người dùng" })).toBeVisible();

  await page.getByRole("link", { name: "Thêm người dùng" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Thêm người dùng" })).toBeVisible();
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Họ và tên").fill("Vũ Thị Lan");
  await page.getByLabel("Đơn vị").fill("99999");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.locator("#unit-error")).toContainText("không tồn tại");
  // The refused form comes back with what was typed.
  await expect(page.getByLabel("Tên đăng nhập")).toHaveValue(username);
  await expect(page.getByLabel("Họ và tên")).toHaveValue("Vũ Thị Lan");

  await page.getByLabel("Đơn vị").fill("00004");
  await page.getByLabel("Vai trò").selectOption("officer");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Vũ Thị Lan" })).toBeVisible();
  const password = (await page.locator("code.secret").textContent())?.trim() ?? "";
  expect(password).toHaveLength(20);

  // The list finds her without diacritics.
  await page.getByRole("link", { name: "Về danh sách" }).click();
  await page.getByLabel("Tên hoặc tên đăng nhập").fill("vu thi lan");
  await page.getByRole("button", { name: "Lọc" }).click();
  await expect(page.getByRole("cell", { name: username, exact: true })).toBeVisible();

  // She signs in with it and is asked to choose her own password first.
  const context = await browser.newContext();
  const her = await context.newPage();
  await her.goto("/login");
  await her.getByLabel("Tên đăng nhập").fill(username);
  await her.getByLabel("Mật khẩu", { exact: true }).fill(password);
  await her.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(her).toHaveURL(/\/account$/);
  await expect(her.getByRole("alert")).toContainText("do người khác đặt");
  await context.close();
});

test("the centre's administrator grants a central body national oversight and withdraws it", async ({
  browser,
}, info) => {
  // The phone walks it without JavaScript: plain form posts.
  const context = await browser.newContext({ javaScriptEnabled: info.project.name !== "phone" });
  const page = await context.newPage();
  await page.goto("/login?next=/admin/oversight");
  await page.getByLabel("Tên đăng nhập").fill("admin");
  await page.getByLabel("Mật khẩu", { exact: true }).fill("tiendo-demo-2026");
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Giám sát toàn quốc" })).toBeVisible();

  const row = page.getByRole("row", { name: /BTCTW/ });
  await expect(row.getByRole("cell").nth(2)).toHaveText("Không");
  await row.getByRole("button", { name: "Cấp quyền" }).click();
  await expect(page.getByRole("status")).toContainText("Đã lưu");
  await expect(page.getByRole("row", { name: /BTCTW/ }).getByRole("cell").nth(2)).toHaveText("Có");
  // The centre's own cannot be withdrawn.
  await expect(page.getByRole("row", { name: /^TW / }).getByRole("button")).toHaveCount(0);

  await page.getByRole("row", { name: /BTCTW/ }).getByRole("button", { name: "Thu hồi" }).click();
  await expect(page.getByRole("row", { name: /BTCTW/ }).getByRole("cell").nth(2)).toHaveText("Không");
  await context.close();
});
