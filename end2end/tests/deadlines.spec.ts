import { expect, test, type Page } from "@playwright/test";
import { official } from "./officials";

/** A day counted from today, as a date field takes it (the server counts Vietnam's days). */
function day(offset: number): string {
  const vietnam = new Date(Date.now() + 7 * 3600 * 1000 + offset * 86400 * 1000);
  return vietnam.toISOString().slice(0, 10);
}

/** A date as the pages show it (dd/mm/yyyy). */
function shown(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}

async function openPanel(page: Page, summary: string) {
  const panel = page.locator("details", { has: page.locator("summary", { hasText: summary }) });
  await panel.locator("summary").click();
  return panel;
}

test("a key task's extension is asked without JavaScript, refused, asked again and granted", async ({ browser }, info) => {
  test.setTimeout(90_000);
  const title = `Hoàn thiện cơ sở dữ liệu cán bộ (${info.project.name})`;

  // The centre gives Hà Nội a key task under Resolution 57, due in ten days.
  const centre = await official(browser, "tw.lanhdao");
  await centre.goto("/documents");
  const resolution = centre.locator("tr", { has: centre.getByRole("cell", { name: "57-NQ/TW", exact: true }) });
  await resolution.getByRole("link").first().click();
  await expect(centre.getByRole("heading", { level: 1, name: /57-NQ\/TW/ })).toBeVisible();
  const addTask = await openPanel(centre, "Giao nhiệm vụ");
  await addTask.getByLabel("Tên nhiệm vụ").fill(title);
  await addTask.getByLabel("Đơn vị chủ trì").fill("01");
  await addTask.getByLabel("Ngày bắt đầu").fill(day(-20));
  await addTask.getByLabel("Hạn hoàn thành").fill(day(10));
  await addTask.getByLabel("Nhiệm vụ trọng tâm").check();
  await addTask.getByRole("button", { name: "Giao nhiệm vụ" }).click();
  await expect(centre.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(centre.locator("h1 + p .badge-key")).toHaveText("Nhiệm vụ trọng tâm");
  const taskUrl = centre.url().replace(/\?.*$/, "");

  // A Hà Nội officer on a phone without JavaScript finds it among the key tasks.
  const officer = await official(browser, "hanoi.canbo", false);
  await officer.getByLabel("Chỉ nhiệm vụ trọng tâm").check();
  await officer.getByRole("button", { name: "Xem" }).click();
  await expect(officer).toHaveURL(/key=on/);
  await officer.getByRole("link", { name: title, exact: true }).click();
  await expect(officer.getByRole("heading", { level: 1, name: title })).toBeVisible();

  // A date that is not later than the due date is refused, naming the field.
  const ask = await openPanel(officer, "Đề nghị gia hạn");
  await ask.getByLabel("Hạn mới đề nghị").fill(day(5));
  await ask.getByLabel("Lý do").fill("Chờ kết quả rà soát của các sở, ngành.");
  await ask.getByRole("button", { name: "Gửi đề nghị" }).click();
  await expect(officer.locator("#extension-to_on-error")).toContainText("sau hạn hiện tại");
  await expect(officer.getByLabel("Lý do")).toHaveValue("Chờ kết quả rà soát của các sở, ngành.");
  await officer.getByLabel("Hạn mới đề nghị").fill(day(40));
  await officer.getByRole("button", { name: "Gửi đề nghị" }).click();
  await expect(officer.getByRole("status")).toContainText("Đã gửi đề nghị gia hạn");
  await expect(officer.locator(".badge", { hasText: "Chờ quyết định" })).toBeVisible();
  await expect(officer.locator("summary", { hasText: "Đề nghị gia hạn" })).toHaveCount(0);

  // The centre's leader refuses it (an answer is required), then Hà Nội asks again and
  // the leader grants it: the due date moves and the original one stays on the task.
  await centre.goto(taskUrl);
  await centre.getByRole("button", { name: "Từ chối", exact: true }).click();
  await expect(centre.locator(".field-error", { hasText: "Vui lòng nhập" })).toBeVisible();
  await centre.getByLabel("Ý kiến (bắt buộc khi từ chối)").fill("Hạn gắn với kỳ báo cáo Trung ương.");
  await centre.getByRole("button", { name: "Từ chối", exact: true }).click();
  await expect(centre.getByRole("status")).toContainText("Đã từ chối đề nghị gia hạn");

  await officer.goto(taskUrl);
  await expect(officer.locator(".badge", { hasText: "Bị từ chối" })).toBeVisible();
  const again = await openPanel(officer, "Đề nghị gia hạn");
  await again.getByLabel("Hạn mới đề nghị").fill(day(30));
  await again.getByLabel("Lý do").fill("Bổ sung dữ liệu của các xã mới sáp nhập.");
  await again.getByRole("button", { name: "Gửi đề nghị" }).click();
  await expect(officer.getByRole("status")).toContainText("Đã gửi đề nghị gia hạn");

  await centre.goto(taskUrl);
  await centre.getByRole("button", { name: "Đồng ý gia hạn", exact: true }).click();
  await expect(centre.getByRole("status")).toContainText("Đã đồng ý gia hạn");
  const facts = centre.locator(".facts");
  await expect(facts.locator("div", { hasText: "Hạn ban đầu" }).locator("dd")).toHaveText(shown(day(10)));
  await expect(facts.locator("div", { has: centre.locator("dt", { hasText: /^Hạn hoàn thành$/ }) }).locator("dd")).toHaveText(shown(day(30)));

  // The dashboard counts the extension and the key task, with both completion rates named.
  await centre.goto("/dashboard/01");
  const extended = centre.locator(".stats div", { has: centre.locator("dt", { hasText: /^Được gia hạn$/ }) }).first();
  expect(Number((await extended.locator("dd").innerText()).replace(/\D/g, ""))).toBeGreaterThanOrEqual(1);
  await expect(centre.getByText("số hoàn thành ÷ tổng số nhiệm vụ được giao").first()).toBeVisible();
  await expect(centre.getByText("số hoàn thành ÷ (số hoàn thành + số quá hạn)").first()).toBeVisible();
  await expect(centre.getByRole("heading", { name: "Nhiệm vụ trọng tâm" })).toBeVisible();

  for (const page of [centre, officer]) await page.context().close();
});
