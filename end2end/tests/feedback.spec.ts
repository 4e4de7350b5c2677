import { expect, test, type Browser, type Page } from "@playwright/test";

const DEMO_PASSWORD = "tiendo-demo-2026";

async function citizen(browser: Browser, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  return context.newPage();
}

/** Fills the public form. */
async function fillFeedback(page: Page, subject: string, text: string) {
  await page.getByLabel("Lĩnh vực").selectOption("procedure");
  await page.getByLabel("Doanh nghiệp").check();
  await page.getByLabel("Tiêu đề").fill(subject);
  await page.getByLabel("Nội dung góp ý").fill(text);
  await page.getByLabel("Thư điện tử").fill("lienhe@doanhnghiep.example.vn");
  await page.getByLabel("Tôi đồng ý").check();
}

/** Sends the form; returns the code and the secret the tracking page shows. */
async function send(page: Page, subject: string) {
  await page.getByRole("button", { name: "Gửi góp ý" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tra cứu góp ý" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Cảm ơn bạn");
  const code = (await page.getByTestId("feedback-code").textContent())!.trim();
  const secret = (await page.getByTestId("feedback-secret").textContent())!.trim();
  expect(code).toMatch(/^PA-\d{4}-\d{6}$/);
  expect(secret).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  // The sender sees their opinion, never their own contact details echoed back.
  await expect(page.getByRole("heading", { level: 2, name: subject })).toBeVisible();
  await expect(page.locator("body")).not.toContainText("lienhe@doanhnghiep.example.vn");
  return { code, secret };
}

async function sendFeedback(page: Page, subject: string, text: string) {
  await fillFeedback(page, subject, text);
  return send(page, subject);
}

async function track(browser: Browser, code: string, secret: string): Promise<Page> {
  const page = await citizen(browser, false);
  await page.goto("/feedback/track");
  await page.getByLabel("Mã góp ý").fill(code);
  await page.getByLabel("Mã bí mật").fill(secret.toLowerCase());
  await page.getByRole("button", { name: "Tra cứu" }).click();
  return page;
}

test("a citizen sends feedback with JavaScript and follows it", async ({ browser }, info) => {
  const page = await citizen(browser, true);
  await page.goto("/feedback");
  // The browser solves the proof of work in the background.
  await expect(page.locator("form[data-pow-solved]")).toHaveCount(1, { timeout: 20_000 });
  const subject = `Rút ngắn thời gian cấp phép (${info.project.name}, JavaScript)`;
  const { code, secret } = await sendFeedback(page, subject, "Đề nghị công khai thời hạn giải quyết từng bước.");

  const tracked = await track(browser, code, secret);
  await expect(tracked.getByRole("heading", { level: 2, name: subject })).toBeVisible();
  await expect(tracked.locator(".status")).toHaveText("Đã tiếp nhận");

  // A wrong secret tells nothing.
  const wrong = await track(browser, code, "AAAA-BBBB-CCCC-DDDD");
  await expect(wrong.getByRole("alert")).toContainText("Không tìm thấy góp ý");
  await expect(wrong.locator("body")).not.toContainText(subject);
});

test("a citizen without JavaScript sends feedback; an official answers and publishes it", async ({ browser }, info) => {
  test.setTimeout(90_000);
  const page = await citizen(browser, false);
  await page.goto("/feedback");
  const subject = `Bỏ yêu cầu bản giấy (${info.project.name}, không JavaScript)`;
  // Without the proof of work a person is still admitted, once the form has been open
  // a few seconds (people take longer than that to write).
  await page.waitForTimeout(3500);
  const text = "Hồ sơ trực tuyến vẫn phải mang bản giấy đến đối chiếu.";
  await fillFeedback(page, subject, text);
  // A commune the server does not know: the form comes back with the message, and
  // everything typed is still there.
  await page.getByLabel("Tỉnh, thành phố").selectOption("01");
  await page.getByLabel("Xã, phường, đặc khu").fill("Atlantis");
  await page.getByRole("button", { name: "Gửi góp ý" }).click();
  await expect(page.locator("#commune-error")).not.toBeEmpty();
  await expect(page.getByLabel("Tiêu đề")).toHaveValue(subject);
  await expect(page.getByLabel("Nội dung góp ý")).toHaveValue(text);
  await expect(page.getByLabel("Doanh nghiệp")).toBeChecked();
  await page.getByLabel("Xã, phường, đặc khu").fill("Ba Đình");
  const { code, secret } = await send(page, subject);

  // A central leader finds it in the inbox, answers and publishes the answer.
  const context = await browser.newContext();
  const official = await context.newPage();
  await official.goto("/login?next=/admin/feedback");
  await official.getByLabel("Tên đăng nhập").fill("tw.lanhdao");
  await official.getByLabel("Mật khẩu", { exact: true }).fill(DEMO_PASSWORD);
  await official.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(official.getByRole("heading", { level: 1, name: "Hộp góp ý" })).toBeVisible();
  await official.getByLabel("Tìm kiếm").fill(code);
  await official.getByRole("button", { name: "Tìm", exact: true }).click();
  await official.getByRole("link", { name: code }).click();
  await expect(official.getByRole("heading", { level: 1 })).toContainText(subject);
  // Officials see the sender's contact details.
  await expect(official.locator("body")).toContainText("lienhe@doanhnghiep.example.vn");
  const answer = `Từ tháng 12, hồ sơ nộp trực tuyến không phải nộp thêm bản giấy (${info.project.name}).`;
  await official.getByLabel("Trả lời", { exact: true }).fill(answer);
  await official.getByRole("button", { name: "Lưu trả lời" }).click();
  await expect(official.getByRole("status")).toContainText("Đã lưu");
  await official.getByRole("button", { name: "Công bố trả lời" }).click();
  await expect(official.getByRole("button", { name: "Thu hồi công bố" })).toBeVisible();

  // The citizen sees the answer on the tracking page…
  const tracked = await track(browser, code, secret);
  await expect(tracked.locator(".status")).toHaveText("Đã trả lời");
  await expect(tracked.locator(".answer")).toContainText(answer);

  // …and everyone finds it among the published answers, searching without diacritics.
  const reader = await citizen(browser, false);
  await reader.goto("/feedback/answers");
  await reader.getByLabel("Tìm kiếm").fill("bo yeu cau ban giay");
  await reader.getByRole("button", { name: "Tìm", exact: true }).click();
  await expect(reader.getByRole("heading", { level: 2, name: subject })).toBeVisible();
  await expect(reader.locator("body")).toContainText(answer);
  await expect(reader.locator("body")).not.toContainText("lienhe@doanhnghiep.example.vn");
});
