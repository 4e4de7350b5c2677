import { expect, test, type Page } from "@playwright/test";
import { official } from "./officials";

/** Opens a `<details>` panel by its summary. */
async function openPanel(page: Page, summary: string) {
  const panel = page.locator("details", { has: page.locator("summary", { hasText: summary }) });
  await panel.locator("summary").click();
  return panel;
}

async function openFromMyWork(page: Page, title: string, view = "all") {
  await page.goto(`/my-work?view=${view}`);
  await page.getByRole("link", { name: title, exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
}

async function report(page: Page, progress: string, text: string, claims: boolean, file?: string) {
  const form = page.locator("form", { has: page.getByLabel("Tiến độ (%)") });
  await form.getByLabel("Tiến độ (%)").fill(progress);
  await form.getByLabel("Nội dung báo cáo").fill(text);
  if (claims) await form.getByLabel("Đề nghị công nhận hoàn thành").check();
  if (file) {
    await form.getByLabel("Tệp minh chứng").setInputFiles({
      name: file,
      mimeType: "application/pdf",
      buffer: Buffer.from(`%PDF-1.7\n% ${text}\n%%EOF\n`),
    });
  }
  await form.getByRole("button", { name: "Gửi báo cáo" }).click();
}

test("from a resolution at the centre to a ward's report and back up", async ({ browser }, info) => {
  test.setTimeout(120_000);
  // Both projects share one server: each walks its own resolution.
  const code = `99-NQ/TW-${info.project.name}`;
  const title = `Triển khai nền tảng họp trực tuyến (${info.project.name})`;

  // A central leader registers the resolution and its first task.
  const centre = await official(browser, "tw.lanhdao");
  await centre.getByRole("link", { name: "Văn bản", exact: true }).first().click();
  await centre.getByRole("link", { name: "Đăng ký văn bản" }).click();
  await expect(centre.getByRole("heading", { level: 1, name: "Đăng ký văn bản" })).toBeVisible();
  await centre.getByLabel("Số hiệu").fill(code);
  await centre.getByLabel("Trích yếu").fill("Về chuyển đổi số trong hoạt động của các cơ quan Đảng");
  await centre.getByLabel("Cơ quan ban hành").fill("Bộ Chính trị");
  await centre.getByLabel("Ngày ban hành").fill("2026-01-15");
  await centre.getByLabel("Độ mật").selectOption("internal");
  await centre.getByRole("button", { name: "Đăng ký", exact: true }).click();
  await expect(centre.getByRole("heading", { level: 1, name: new RegExp(code) })).toBeVisible();

  const addTask = await openPanel(centre, "Giao nhiệm vụ");
  await addTask.getByLabel("Tên nhiệm vụ").fill(title);
  await addTask.getByLabel("Đơn vị chủ trì").fill("TW");
  await addTask.getByLabel("Ngày bắt đầu").fill("2026-02-01");
  await addTask.getByLabel("Hạn hoàn thành").fill("2026-01-01");
  await addTask.getByRole("button", { name: "Giao nhiệm vụ" }).click();
  // A due date before the start date is refused, and nothing is created.
  await expect(addTask.locator(".field-error", { hasText: "không được trước ngày bắt đầu" })).toBeVisible();
  await expect(centre.getByText("Chưa có nhiệm vụ nào")).toBeVisible();
  await addTask.getByLabel("Hạn hoàn thành").fill("2027-06-30");
  await addTask.getByRole("button", { name: "Giao nhiệm vụ" }).click();
  await expect(centre.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(centre.getByRole("status")).toContainText("Đã giao nhiệm vụ");

  // ... and cascades it to Hà Nội and Huế in one action.
  const cascade = await openPanel(centre, "Giao cho đơn vị cấp dưới");
  await cascade.getByLabel("Mã đơn vị nhận").fill("01, 46");
  await cascade.getByRole("button", { name: "Giao", exact: true }).click();
  await expect(centre.getByRole("status")).toContainText("Đã giao cho 2 đơn vị");
  const subtasks = centre.locator("section", { has: centre.getByRole("heading", { name: "Nhiệm vụ con" }) });
  await expect(subtasks.getByRole("cell", { name: "Thành phố Hà Nội" })).toBeVisible();
  await expect(subtasks.getByRole("cell", { name: "Thành phố Huế" })).toBeVisible();
  const centralTask = centre.url().replace(/\?.*$/, "");

  // A Hà Nội officer finds it in their work and breaks it down within the city: the lead
  // unit is their own. Giving work to a ward is for the city's leader.
  const province = await official(browser, "hanoi.canbo");
  await openFromMyWork(province, title);
  const provinceTask = province.url();
  await expect(province.locator("summary", { hasText: "Giao cho đơn vị cấp dưới" })).toHaveCount(0);
  const breakDown = await openPanel(province, "Phân rã");
  await expect(breakDown.getByLabel("Đơn vị chủ trì")).toHaveAttribute("readonly", "");
  await expect(breakDown.getByLabel("Đơn vị phối hợp")).toHaveCount(0);
  await breakDown.getByLabel("Tên nhiệm vụ").fill(`Chuẩn bị hạ tầng cho các phường (${info.project.name})`);
  await breakDown.getByLabel("Ngày bắt đầu").fill("2026-02-15");
  await breakDown.getByLabel("Hạn hoàn thành").fill("2027-03-31");
  await breakDown.getByRole("button", { name: "Giao nhiệm vụ" }).click();
  await expect(province.getByRole("status")).toContainText("Đã giao nhiệm vụ");
  const ownSubtask = province.url().replace(/\?.*$/, "");
  const leader = await official(browser, "hanoi.lanhdao");
  await leader.goto(provinceTask);
  const toWards = await openPanel(leader, "Giao cho đơn vị cấp dưới");
  await toWards.getByLabel("Mã đơn vị nhận").fill("00004");
  await toWards.getByRole("button", { name: "Giao", exact: true }).click();
  await expect(leader.getByRole("status")).toContainText("Đã giao cho 1 đơn vị");
  await expect(leader.getByRole("cell", { name: "Phường Ba Đình" })).toBeVisible();

  // An officer of Huế is not told that Hà Nội's task exists.
  const hue = await official(browser, "hue.canbo");
  const refused = await hue.goto(provinceTask);
  expect(refused?.status()).toBe(404);
  await expect(hue.getByText(title)).toHaveCount(0);
  await hue.context().close();

  // A Ba Đình officer reports with a file.
  const ward = await official(browser, "badinh.canbo");
  await openFromMyWork(ward, title);
  await report(ward, "60", "Đã lắp đặt thiết bị tại hội trường phường.", false, "bien-ban-lap-dat.pdf");
  await expect(ward.getByRole("status")).toContainText("Đã gửi báo cáo");
  await expect(ward.getByRole("link", { name: "bien-ban-lap-dat.pdf" })).toBeVisible();
  await expect(ward.locator(".report-list .badge").first()).toHaveText("Chờ đánh giá");

  // The Hà Nội leader returns it with a reason.
  await openFromMyWork(leader, title, "evaluate");
  const evidence = await leader.request.get(
    (await leader.getByRole("link", { name: "bien-ban-lap-dat.pdf" }).getAttribute("href")) ?? "",
  );
  expect(evidence.status()).toBe(200);
  expect((await evidence.body()).subarray(0, 5).toString()).toBe("%PDF-");
  await leader.getByLabel("Lý do trả lại (bắt buộc)").fill("Chưa có biên bản chạy thử với các thôn, tổ dân phố.");
  await leader.getByRole("button", { name: "Trả lại", exact: true }).click();
  await expect(leader.getByRole("status")).toContainText("Đã trả lại báo cáo");
  await expect(leader.locator(".report-list").getByText("Chưa có biên bản chạy thử")).toBeVisible();

  // The ward sees it returned and reports again, this time without JavaScript.
  const wardNoJs = await official(browser, "badinh.canbo", false);
  await openFromMyWork(wardNoJs, title, "returned");
  await expect(wardNoJs.getByText("Bị trả lại").first()).toBeVisible();
  await report(wardNoJs, "150", "Đã chạy thử.", false);
  await expect(wardNoJs.locator("#report-progress-error")).not.toBeEmpty();
  await report(wardNoJs, "100", "Đã chạy thử với 12 tổ dân phố; biên bản kèm theo.", true, "bien-ban-chay-thu.pdf");
  await expect(wardNoJs.getByRole("status")).toContainText("Đã gửi báo cáo");
  await expect(wardNoJs.getByRole("link", { name: "bien-ban-chay-thu.pdf" })).toBeVisible();

  // The leader accepts it: the ward's task is done, and the progress rolls up.
  await leader.reload();
  await leader.getByRole("button", { name: "Chấp nhận", exact: true }).click();
  await expect(leader.getByRole("status")).toContainText("Đã chấp nhận báo cáo");
  await expect(leader.locator("h1 + p .badge").first()).toHaveText("Hoàn thành");
  await expect(leader.locator("h1 + p .progress-text")).toHaveText("100 %");

  // Hà Nội's task: one of its two subtasks done. The centre's: half of Hà Nội's, Huế at 0.
  await province.goto(provinceTask);
  await expect(province.locator("h1 + p .progress-text")).toHaveText("50 %");
  await centre.goto(centralTask);
  await expect(centre.locator("h1 + p .progress-text")).toHaveText("25 %");
  await centre.getByRole("link", { name: code }).click();
  await expect(centre.locator(".facts .progress-text")).toHaveText("25 %");

  // The officer's own subtask is reported done and accepted. Every subtask of Hà Nội's task
  // is now done, but the task the centre gave is not done until the centre accepts it.
  await province.goto(ownSubtask);
  await report(province, "100", "Hạ tầng đã sẵn sàng ở cả hai điểm cầu.", true);
  await expect(province.getByRole("status")).toContainText("Đã gửi báo cáo");
  await leader.goto(ownSubtask);
  await leader.getByRole("button", { name: "Chấp nhận", exact: true }).click();
  await expect(leader.getByRole("status")).toContainText("Đã chấp nhận báo cáo");
  await leader.goto(provinceTask);
  await expect(leader.locator("h1 + p .progress-text")).toHaveText("100 %");
  await expect(leader.locator("h1 + p .badge").first()).toHaveText("Đang thực hiện");
  await expect(leader.getByText("Mọi nhiệm vụ con đã hoàn thành")).toBeVisible();
  await expect(leader.getByRole("button", { name: "Chấp nhận", exact: true })).toHaveCount(0);

  // The centre finds it awaiting its evaluation, with the subtasks as its evidence, and
  // accepts: Hà Nội's task is done, and the centre's is half done.
  await openFromMyWork(centre, title, "evaluate");
  await expect(centre.getByText("Mọi nhiệm vụ con đã hoàn thành")).toBeVisible();
  await expect(centre.getByRole("cell", { name: "Phường Ba Đình" })).toBeVisible();
  await centre.getByRole("button", { name: "Chấp nhận", exact: true }).click();
  await expect(centre.getByRole("status")).toContainText("Đã chấp nhận báo cáo");
  await expect(centre.locator("h1 + p .badge").first()).toHaveText("Hoàn thành");
  await centre.goto(centralTask);
  await expect(centre.locator("h1 + p .progress-text")).toHaveText("50 %");

  for (const page of [centre, province, ward, leader, wardNoJs]) await page.context().close();
});

test("an official of another province sees nothing of a task", async ({ browser }) => {
  const hue = await official(browser, "hue.canbo");
  // Hồ Chí Minh City's plan from the demo data: not even its code is found.
  const response = await hue.goto("/documents?q=15-KH");
  expect(response?.status()).toBe(200);
  await expect(hue.getByText("Không có văn bản nào.")).toBeVisible();
  await hue.context().close();
});
