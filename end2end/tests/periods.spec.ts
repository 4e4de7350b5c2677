import { expect, test } from "@playwright/test";
import { official } from "./officials";

test("a province leader sees which wards have not reported this period, without JavaScript", async ({ browser }) => {
  const leader = await official(browser, "hanoi.lanhdao", false);
  await leader.getByRole("link", { name: "Kỳ báo cáo", exact: true }).first().click();
  await expect(leader.getByRole("heading", { level: 1, name: "Tình hình báo cáo theo kỳ: Thành phố Hà Nội" })).toBeVisible();
  await expect(leader.getByLabel("Văn bản")).toContainText("57-NQ/TW");

  // Each ward that must report, with where it stands; the city itself owes its own report.
  const table = leader.getByRole("table", { name: "Các đơn vị trực thuộc và tình hình báo cáo" });
  const state = (unit: string) => table.getByRole("row", { name: new RegExp(unit) }).locator(".badge");
  await expect(state("Phường Ba Đình")).toHaveText("Đã chấp nhận");
  await expect(state("Phường Ngọc Hà")).toHaveText("Đã nộp");
  await expect(state("Phường Giảng Võ")).toHaveText("Bị trả lại");
  await expect(state("Thành phố Hà Nội")).toHaveText(/Đang trong hạn|Quá hạn chưa nộp/);
  const totals = leader.getByLabel("Tổng hợp kỳ báo cáo", { exact: true });
  const notReported = totals.locator("div", { has: leader.locator("dt", { hasText: /^Chưa báo cáo$/ }) });
  expect(Number(await notReported.locator("dd").innerText())).toBeGreaterThanOrEqual(1);

  // The city carries the resolution's indicators: its values for the period have a state
  // of their own.
  const values = leader.getByRole("table", { name: "Các đơn vị trực thuộc và tình hình gửi giá trị chỉ tiêu" });
  await expect(values.getByRole("row", { name: /Thành phố Hà Nội/ }).locator(".badge")).toHaveText(
    /Đang trong hạn|Quá hạn chưa nộp|Đã nộp|Nộp muộn|Đã chấp nhận|Bị trả lại/,
  );

  // Another period is a plain GET form; a period that does not exist is refused.
  const period = leader.getByLabel("Kỳ", { exact: true });
  const options = await period.locator("option").allTextContents();
  expect(options.length).toBeGreaterThan(2);
  await period.selectOption({ index: 2 });
  await leader.getByRole("button", { name: "Xem", exact: true }).click();
  await expect(leader).toHaveURL(/period=/);
  await leader.goto("/periods?period=2026-Q7");
  await expect(leader.getByRole("alert")).toBeVisible();
  await leader.context().close();

  // An officer of another province is not shown Hà Nội's.
  const hue = await official(browser, "hue.canbo", false);
  const refused = await hue.goto("/periods?unit=01");
  expect(refused?.status()).toBe(404);
  await hue.context().close();
});
