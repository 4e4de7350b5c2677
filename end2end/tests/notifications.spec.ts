import { expect, test, type Page } from "@playwright/test";
import { official } from "./officials";

/** The unread count in the header's link, as the server wrote it (0 without a badge). */
async function unread(page: Page): Promise<number> {
  const badge = page.locator(".main-nav a[href='/notifications'] .badge");
  if ((await badge.count()) === 0) return 0;
  return Number((await badge.textContent())?.replace("+", ""));
}

test("an officer without JavaScript sees the unread count change when their report is returned", async ({ browser }, info) => {
  test.setTimeout(90_000);
  const title = `Rà soát thủ tục hành chính cấp tỉnh (${info.project.name})`;
  const officer = await official(browser, "hue.canbo", false);
  const before = await unread(officer);

  // The centre gives Huế a task.
  const centre = await official(browser, "tw.lanhdao");
  await centre.goto("/documents/new");
  await centre.getByLabel("Số hiệu").fill(`15-KL/TW-${info.project.name}`);
  await centre.getByLabel("Trích yếu").fill("Về rà soát thủ tục hành chính");
  await centre.getByLabel("Cơ quan ban hành").fill("Bộ Chính trị");
  await centre.getByLabel("Ngày ban hành").fill("2026-03-01");
  await centre.getByLabel("Độ mật").selectOption("internal");
  await centre.getByRole("button", { name: "Đăng ký", exact: true }).click();
  const addTask = centre.locator("details", { has: centre.locator("summary", { hasText: "Giao nhiệm vụ" }) });
  await addTask.locator("summary").click();
  await addTask.getByLabel("Tên nhiệm vụ").fill(title);
  await addTask.getByLabel("Đơn vị chủ trì").fill("TW");
  await addTask.getByLabel("Ngày bắt đầu").fill("2026-03-01");
  await addTask.getByLabel("Hạn hoàn thành").fill("2027-06-30");
  await addTask.getByRole("button", { name: "Giao nhiệm vụ" }).click();
  await expect(centre.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const cascade = centre.locator("details", { has: centre.locator("summary", { hasText: "Giao cho đơn vị cấp dưới" }) });
  await cascade.locator("summary").click();
  await cascade.getByLabel("Mã đơn vị nhận").fill("46");
  await cascade.getByRole("button", { name: "Giao", exact: true }).click();
  await expect(centre.getByRole("status")).toContainText("Đã giao cho 1 đơn vị");

  // The officer is told, and opens the task from the notification.
  await officer.reload();
  expect(await unread(officer)).toBe(before + 1);
  await officer.getByRole("link", { name: /^Thông báo/ }).click();
  await expect(officer.getByRole("heading", { level: 1, name: "Thông báo" })).toBeVisible();
  const assigned = officer.locator("li.notification", { hasText: title }).first();
  await expect(assigned).toContainText("Nhiệm vụ mới giao cho đơn vị");
  await assigned.getByRole("link", { name: title }).click();
  await expect(officer.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const form = officer.locator("form", { has: officer.getByLabel("Tiến độ (%)") });
  await form.getByLabel("Tiến độ (%)").fill("40");
  await form.getByLabel("Nội dung báo cáo").fill("Đã rà soát 40 thủ tục.");
  await form.getByRole("button", { name: "Gửi báo cáo" }).click();
  await expect(officer.getByRole("status")).toContainText("Đã gửi báo cáo");
  const taskUrl = officer.url().replace(/\?.*$/, "");

  // The centre's leader was told there is a report to evaluate, and returns it.
  await centre.goto("/notifications");
  await expect(centre.locator("li.notification", { hasText: title }).first()).toContainText("Báo cáo chờ anh/chị đánh giá");
  await centre.goto(taskUrl);
  await centre.getByLabel("Lý do trả lại (bắt buộc)").fill("Thiếu danh mục thủ tục đã rà soát.");
  await centre.getByRole("button", { name: "Trả lại", exact: true }).click();
  await expect(centre.getByRole("status")).toContainText("Đã trả lại báo cáo");

  // Without a script, the next page the officer loads carries the new count.
  await officer.goto("/my-work");
  expect(await unread(officer)).toBe(before + 2);
  await officer.getByRole("link", { name: /^Thông báo/ }).click();
  const returned = officer.locator("li.notification.unread", { hasText: title }).first();
  await expect(returned).toContainText("Báo cáo của đơn vị bị trả lại");
  await returned.getByRole("button", { name: "Đánh dấu đã đọc" }).click();
  await expect(officer.getByRole("heading", { level: 1, name: "Thông báo" })).toBeVisible();
  expect(await unread(officer)).toBe(before + 1);
  await officer.getByRole("button", { name: "Đánh dấu tất cả đã đọc" }).click();
  await expect(officer.getByRole("status").first()).toContainText("Không có thông báo chưa đọc");
  expect(await unread(officer)).toBe(0);

  for (const page of [officer, centre]) await page.context().close();
});
