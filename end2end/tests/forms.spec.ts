import { expect, test, type Page } from "@playwright/test";

const DEMO_PASSWORD = "tiendo-demo-2026";

/** Every console error and uncaught exception of the page, to be found empty at the end. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

test("a form is sent once however often it is clicked, and says it is being sent", async ({ page }) => {
  let posts = 0;
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().endsWith("/api/login")) posts += 1;
  });
  await page.goto("/login?next=/my-work");
  await page.getByLabel("Tên đăng nhập").fill("badinh.canbo");
  await page.getByLabel("Mật khẩu", { exact: true }).fill(DEMO_PASSWORD);
  // Three quick clicks from the page itself, as an impatient official on a slow link makes
  // them (Playwright's own click would wait for the first navigation).
  const seen = await page.getByRole("button", { name: "Đăng nhập", exact: true }).evaluate((element) => {
    const button = element as HTMLButtonElement;
    const form = button.form as HTMLFormElement;
    const refused: boolean[] = [];
    window.addEventListener("submit", (event) => refused.push(event.defaultPrevented));
    button.click();
    const busy = form.getAttribute("aria-busy");
    const disabled = button.getAttribute("aria-disabled");
    const status = form.querySelector("[role=status]")?.textContent;
    button.click();
    button.click();
    return { busy, disabled, status, refused };
  });
  expect(seen).toEqual({ busy: "true", disabled: "true", status: "Đang gửi…", refused: [false, true, true] });
  await expect(page.getByRole("heading", { level: 1, name: "Việc của tôi" })).toBeVisible();
  expect(posts).toBe(1);
});

test("the report form refuses an oversized file before sending a byte of it", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("/login?next=/my-work%3Fview%3Dall");
  await page.getByLabel("Tên đăng nhập").fill("hue.canbo");
  await page.getByLabel("Mật khẩu", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Việc của tôi" })).toBeVisible();

  // The first of Huế's tasks that its officer may report on.
  const links = await page.locator("a[href^='/tasks/']").evaluateAll((all) =>
    all.map((a) => a.getAttribute("href") ?? ""),
  );
  let found = false;
  for (const href of links) {
    await page.goto(href);
    if ((await page.locator("#report-files").count()) > 0) {
      found = true;
      break;
    }
  }
  expect(found).toBe(true);
  // No page loads WebAssembly: the check is forms.js.
  const loaded = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((entry) => entry.name),
  );
  expect(loaded.filter((name) => /\.(wasm)$|\/pkg\/.*\.js$/.test(name))).toEqual([]);
  const picker = page.locator("#report-files");

  let reports = 0;
  await page.route("**/api/reports/submit", (route) => {
    reports += 1;
    return route.continue();
  });
  const form = page.locator("form", { has: page.getByLabel("Tiến độ (%)") });
  await form.getByLabel("Tiến độ (%)").fill("40");
  await form.getByLabel("Nội dung báo cáo").fill("Đã rà soát hạ tầng");
  await picker.setInputFiles({
    name: "scan.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.alloc(11 * 1024 * 1024, 0x25),
  });
  await expect(page.locator("#report-files-check")).toContainText("scan.pdf (11,0 MB): Tệp quá lớn");
  await expect(page.locator("#report-files-chosen")).toHaveText("Đã chọn 1 tệp, tổng 11,0 MB.");
  await form.getByRole("button", { name: "Gửi báo cáo" }).click();
  await expect(picker).toBeFocused();
  expect(reports).toBe(0);
  await expect(form).not.toHaveAttribute("aria-busy", "true");

  // A file within the limit clears the message; the form may be sent.
  await picker.setInputFiles({
    name: "bien-ban.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.7\n% bien ban\n%%EOF\n"),
  });
  await expect(page.locator("#report-files-check")).toBeEmpty();
  await expect(page.locator("#report-files-chosen")).toHaveText("Đã chọn 1 tệp, tổng 1 KB.");
  expect(errors).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a refused form comes back as typed, its problem named and focused", async ({ page }) => {
    await page.goto("/login?next=/documents/new");
    await page.getByLabel("Tên đăng nhập").fill("hanoi.lanhdao");
    await page.getByLabel("Mật khẩu", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đăng ký văn bản");

    // Everything but the code: the server refuses, and nothing typed is lost.
    const title = "Kế hoạch thực hiện Nghị quyết 57 <trên địa bàn> & các xã";
    await page.getByLabel("Loại văn bản").selectOption("plan");
    await page.getByLabel("Trích yếu").fill(title);
    await page.getByLabel("Cơ quan ban hành").fill("Thành uỷ Hà Nội");
    await page.getByLabel("Ngày ban hành").fill("2025-03-15");
    await page.getByLabel("Nội dung chính").fill("Dòng một\nDòng hai");
    await page.getByRole("button", { name: "Đăng ký", exact: true }).click();
    await expect(page).toHaveURL(/__err=/);

    await expect(page.getByLabel("Trích yếu")).toHaveValue(title);
    await expect(page.getByLabel("Cơ quan ban hành")).toHaveValue("Thành uỷ Hà Nội");
    await expect(page.getByLabel("Ngày ban hành")).toHaveValue("2025-03-15");
    await expect(page.getByLabel("Nội dung chính")).toHaveValue("Dòng một\nDòng hai");
    await expect(page.getByLabel("Loại văn bản")).toHaveValue("plan");
    const code = page.getByLabel("Số hiệu");
    await expect(code).toBeFocused();
    await expect(code).toHaveAttribute("aria-invalid", "true");
    await expect(code).toHaveAccessibleDescription(/Vui lòng nhập/);
    const summary = page.locator(".error-summary");
    await expect(summary).toHaveAttribute("role", "alert");
    await expect(summary.getByRole("link")).toHaveAttribute("href", "#code");

    // Corrected, it goes through.
    // One server serves both projects: each registers its own code.
    await code.fill(`01-KH/TU-${test.info().project.name}`);
    await page.getByRole("button", { name: "Đăng ký", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Kế hoạch thực hiện Nghị quyết 57");
  });
});
