import { expect, test, type Page } from "@playwright/test";
import { official } from "./officials";

async function openPanel(page: Page, summary: string) {
  const panel = page.locator("details", { has: page.locator("summary", { hasText: summary }) });
  await panel.locator("summary").click();
  return panel;
}

const NAME = "Tỷ trọng kinh tế số trong GDP";

test("a ward officer reports a quarterly value without JavaScript, and the city accepts it", async ({ browser }, info) => {
  test.setTimeout(90_000);
  // Each project its own ward: the city assigns an indicator to a unit once.
  const [ward, wardName, username] =
    info.project.name === "phone" ? ["00008", "Phường Ngọc Hà", "ngocha.canbo"] : ["00004", "Phường Ba Đình", "badinh.canbo"];

  // Hà Nội's officer finds the city's indicator on Resolution 57 and assigns it to the
  // ward with the ward's own baseline and targets.
  const city = await official(browser, "hanoi.canbo");
  await city.goto("/documents");
  const resolution = city.locator("tr", { has: city.getByRole("cell", { name: "57-NQ/TW", exact: true }) });
  await resolution.getByRole("link").first().click();
  const documentUrl = city.url();
  const indicators = city.getByRole("table", { name: /^Chỉ tiêu/ });
  await indicators.getByRole("link", { name: NAME, exact: true }).click();
  await expect(city.getByRole("heading", { level: 1, name: NAME })).toBeVisible();
  await expect(city.locator("figure.chart svg")).toBeVisible();
  await expect(city.getByRole("table", { name: "Kế hoạch và giá trị thực tế theo kỳ" })).toBeVisible();
  const assign = await openPanel(city, "Giao chỉ tiêu cho đơn vị cấp dưới");
  await assign.getByLabel("Đơn vị nhận").selectOption(ward);
  await assign.getByLabel(/^Giá trị cơ sở năm 2024/).fill("15");
  await assign.getByLabel(/^Mốc 31\/12\/2030/).fill("30");
  await assign.getByLabel(/^Mốc 31\/12\/2045/).fill("50");
  await assign.getByRole("button", { name: "Giao chỉ tiêu" }).click();
  await expect(city.getByRole("status")).toContainText("Đã giao chỉ tiêu");
  const below = city.getByRole("table", { name: /^Đơn vị cấp dưới/ });
  await expect(below.getByRole("row", { name: new RegExp(wardName) })).toContainText("Chưa có số liệu");
  await city.context().close();

  // The ward's officer, on a phone without JavaScript, reports this quarter's value.
  const officer = await official(browser, username, false);
  await officer.goto(documentUrl);
  await officer.getByRole("table", { name: /^Chỉ tiêu/ }).getByRole("link", { name: NAME, exact: true }).click();
  await expect(officer.getByRole("heading", { level: 1, name: NAME })).toBeVisible();
  await expect(officer.locator("dl.facts")).toContainText(wardName);
  // A value that cannot be read is refused, naming the field; what was typed stays.
  await officer.getByLabel(/^Giá trị \(/).fill("mười sáu");
  await officer.getByLabel(/^Quyền số/).fill("12");
  await officer.getByLabel("Nguồn và cách tính").fill("Phòng Kinh tế phường, số liệu sơ bộ");
  await officer.getByRole("button", { name: "Gửi giá trị" }).click();
  await expect(officer.locator("#value-value-error")).toContainText("Không đúng định dạng");
  await expect(officer.getByLabel("Nguồn và cách tính")).toHaveValue("Phòng Kinh tế phường, số liệu sơ bộ");
  await officer.getByLabel(/^Giá trị \(/).fill("16,5");
  // With the statistics office's table as evidence (files cannot come back with a
  // refused form: it is chosen again).
  await officer.getByLabel("Tệp minh chứng").setInputFiles({
    name: "so-lieu-quy.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.7\n% so lieu quy\n%%EOF\n"),
  });
  await officer.getByRole("button", { name: "Gửi giá trị" }).click();
  await expect(officer.getByRole("status")).toContainText("Đã gửi giá trị");
  const sent = officer.locator(".report-list li").first();
  await expect(sent).toContainText("16,5 % GDP");
  await expect(sent.getByRole("link", { name: "so-lieu-quy.pdf" })).toHaveAttribute("href", /^\/indicators\/files\/\d+$/);
  await expect(sent.locator(".badge").first()).toHaveText("Chờ đánh giá");
  const indicatorUrl = officer.url().replace(/\?.*$/, "");
  await officer.context().close();

  // The city's leader accepts it.
  const leader = await official(browser, "hanoi.lanhdao");
  await leader.goto(indicatorUrl);
  // The evidence opens for the unit that evaluates it.
  const evidence = leader.locator(".report-list li").first().getByRole("link", { name: "so-lieu-quy.pdf" });
  const answer = await leader.request.get((await evidence.getAttribute("href")) ?? "");
  expect(answer.status()).toBe(200);
  expect((await answer.body()).toString()).toContain("so lieu quy");
  await leader.getByRole("button", { name: "Chấp nhận", exact: true }).click();
  await expect(leader.getByRole("status")).toContainText("Đã chấp nhận giá trị");
  await expect(leader.locator(".report-list li").first().locator(".badge").first()).toHaveText("Đã chấp nhận");
  await leader.context().close();
});

test("the centre's leader edits an indicator's data source and thresholds without JavaScript", async ({ browser }, info) => {
  // Each project its own indicator: both run against the same server.
  const name =
    info.project.name === "phone" ? "Nhân lực nghiên cứu và phát triển" : "Tỷ lệ người dân và doanh nghiệp sử dụng dịch vụ công trực tuyến";
  const leader = await official(browser, "tw.lanhdao", false);
  await leader.goto("/documents");
  const resolution = leader.locator("tr", { has: leader.getByRole("cell", { name: "57-NQ/TW", exact: true }) });
  await resolution.getByRole("link").first().click();
  await leader.getByRole("table", { name: /^Chỉ tiêu/ }).getByRole("link", { name, exact: true }).click();
  await expect(leader.getByRole("heading", { level: 1, name })).toBeVisible();
  const edit = await openPanel(leader, "Sửa chỉ tiêu");
  await expect(edit.getByLabel("Tên chỉ tiêu")).toHaveValue(name);
  // Thresholds the wrong way round are refused, naming the field; what was typed stays.
  await edit.getByLabel(/^Đúng tiến độ từ/).fill("70");
  await edit.getByLabel("Nguồn số liệu").fill("Báo cáo của các bộ, ngành");
  await edit.getByRole("button", { name: "Lưu thay đổi" }).click();
  const again = leader.locator("details", { has: leader.locator("summary", { hasText: "Sửa chỉ tiêu" }) });
  await expect(again.locator("#edit-at_risk-error")).not.toBeEmpty();
  await expect(again.getByLabel("Nguồn số liệu")).toHaveValue("Báo cáo của các bộ, ngành");
  await again.getByLabel(/^Đúng tiến độ từ/).fill("90");
  await again.getByRole("button", { name: "Lưu thay đổi" }).click();
  await expect(leader.getByRole("status")).toContainText("Đã lưu chỉ tiêu");
  await expect(leader.locator("dl.facts")).toContainText("Báo cáo của các bộ, ngành");
  await leader.context().close();
});
