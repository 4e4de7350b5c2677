import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";

// WCAG 2.1 AA, checked by axe-core on every page as its users meet it: signed out and as
// officials of each role, in both languages, at the project's width (360 px phone, 1280 px
// desktop), forms in their error state too. In English, no interface word is left in
// Vietnamese. Each page is also saved as a screenshot.
const DEMO_PASSWORD = "tiendo-demo-2026";
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function browse(browser: Browser, language: "vi" | "en", username?: string): Promise<Page> {
  const context = await browser.newContext();
  const origin = new URL(test.info().project.use.baseURL ?? "").origin;
  await context.addCookies([{ name: "i18n_pref_locale", value: language, url: origin }]);
  if (username) {
    const response = await context.request.post("/api/login", {
      form: { username, password: DEMO_PASSWORD, next: "/" },
      headers: { Origin: origin },
    });
    expect(response.ok()).toBe(true);
  }
  return context.newPage();
}

/** The first link on `path` whose address starts with `prefix`. */
async function firstLink(page: Page, path: string, prefix: string): Promise<string> {
  await page.goto(path);
  const href = await page.locator(`main a[href^='${prefix}']:not([href$='/new'])`).first().getAttribute("href");
  expect(href, `a link to ${prefix} on ${path}`).toBeTruthy();
  return href ?? "";
}

// Letters only Vietnamese has: on an English page, the interface's own words (labels,
// buttons, column headers, hints) never contain them; a sentence that does was left
// untranslated or fell back to Vietnamese for a missing key. Names inside a sentence are
// marked lang="vi" (and skipped here); the few names the English sentences themselves
// give as examples are listed.
const VIETNAMESE = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;
const NAMES_IN_ENGLISH = ["Tiến Độ", "Phường Ba Đình", "Ba Đình", "Hà Nội", "Tối mật", "Tuyệt mật", "Mật"];
const INTERFACE = "label, button, legend, summary, th[scope=col], caption, header nav a, .hint, .lead, .error-summary";

async function untranslated(page: Page, name: string): Promise<string[]> {
  const texts = await page.locator(INTERFACE).evaluateAll((all) =>
    all
      .filter((element) => !element.closest("[lang]:not(html)"))
      .map((element) => {
        const copy = element.cloneNode(true) as HTMLElement;
        copy.querySelectorAll("[lang], select").forEach((part) => part.remove());
        return (copy.textContent ?? "").trim();
      }),
  );
  return texts
    .filter((text) => VIETNAMESE.test(NAMES_IN_ENGLISH.reduce((rest, known) => rest.split(known).join(""), text)))
    .map((text) => `${name}: untranslated "${text}"`);
}

async function check(page: Page, name: string) {
  // label-content-name-mismatch is "experimental" in axe, off unless asked for.
  const results = await new AxeBuilder({ page })
    .withTags(TAGS)
    .options({ rules: { "label-content-name-mismatch": { enabled: true } } })
    .analyze();
  const found = results.violations.map(
    (v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  await page.screenshot({ path: test.info().outputPath(`${name.replace(/[^a-z0-9]+/gi, "-")}.png`), fullPage: true });
  // Every table has column headers and a caption that names it (axe does not ask for one).
  const unnamed = await page.locator("table:not(:has(> caption)), table:not(:has(th[scope=col]))").count();
  if (unnamed > 0) found.push(`${name}: ${unnamed} table(s) without a caption or column headers`);
  if (name.startsWith("en ")) found.push(...(await untranslated(page, name)));
  return found;
}

/** The first task on the official's list that they may report on. */
async function reportable(page: Page): Promise<string> {
  await page.goto("/my-work?view=all");
  const links = await page.locator("main a[href^='/tasks/']").evaluateAll((all) =>
    all.map((a) => a.getAttribute("href") ?? ""),
  );
  for (const href of links) {
    await page.goto(href);
    if ((await page.locator("#report-progress").count()) > 0) return href;
  }
  throw new Error("no task to report on");
}

/** Sends the form posting to `action` on `path` so that the server refuses it, and waits
 *  for the page it comes back to (its details panel opened first, if it is in one). */
async function refuse(page: Page, path: string, action: string, fill?: (page: Page) => Promise<void>) {
  await page.goto(path);
  const panel = page.locator(`details:has(form[action='${action}'])`);
  if ((await panel.count()) > 0) await panel.first().locator("summary").click();
  if (fill) await fill(page);
  await page.locator(`form[action='${action}'] button[type=submit]`).first().click();
  await page.waitForURL(/__err=/);
  await expect(page.getByRole("alert").first()).toBeVisible();
}

for (const language of ["vi", "en"] as const) {
  test(`every page meets WCAG 2.1 AA (${language})`, async ({ browser }) => {
    test.setTimeout(300_000);
    const violations: string[] = [];

    const citizen = await browse(browser, language);
    for (const path of ["/", "/units", "/units/01", "/feedback", "/feedback/answers", "/login", "/no/such/page"]) {
      await citizen.goto(path);
      violations.push(...(await check(citizen, `${language} citizen ${path}`)));
    }
    // A form in its error state: a wrong password.
    await citizen.goto("/login");
    await citizen.locator("#username").fill("hue.canbo");
    await citizen.locator("#password").fill("not the password");
    await citizen.locator("form.form button[type=submit]").click();
    await expect(citizen.getByRole("alert").first()).toBeVisible();
    violations.push(...(await check(citizen, `${language} citizen /login error`)));
    // Complete as the browser checks it, refused by the server: a commune not in the province.
    await refuse(citizen, "/feedback", "/api/feedback/submit", async (page) => {
      await page.locator("#fb-category").selectOption({ index: 1 });
      await page.locator("#fb-subject").fill("Thủ tục hành chính");
      await page.locator("#fb-text").fill("Nội dung góp ý để kiểm tra trạng thái lỗi của biểu mẫu.");
      await page.locator("#fb-province").selectOption("01");
      await page.locator("#fb-commune").fill("Atlantis");
      await page.locator("#fb-consent").check();
    });
    violations.push(...(await check(citizen, `${language} citizen /feedback error`)));

    for (const username of ["hue.canbo", "hanoi.lanhdao", "admin"]) {
      const official = await browse(browser, language, username);
      const paths = ["/my-work", "/dashboard", "/periods", "/documents", "/account", "/admin/feedback", "/notifications"];
      paths.push(await firstLink(official, "/documents", "/documents/"));
      // An indicator of Resolution 57, with its chart, values and forms.
      await official.goto("/documents");
      const resolution = official.locator("tr", { has: official.getByRole("cell", { name: "57-NQ/TW", exact: true }) });
      const documentPath = await resolution.getByRole("link").first().getAttribute("href").catch(() => null);
      const indicator = documentPath ? await firstLink(official, documentPath, "/indicators/").catch(() => "") : "";
      if (indicator) paths.push(indicator);
      const task = await firstLink(official, "/my-work?view=all", "/tasks/").catch(() => "");
      if (task) paths.push(task);
      if (username === "admin") paths.push("/admin/users", "/admin/users/new", "/admin/oversight", "/admin/audit");
      if (username === "hanoi.lanhdao") paths.push("/documents/new", "/dashboard/01");
      for (const path of paths) {
        await official.goto(path);
        violations.push(...(await check(official, `${language} ${username} ${path}`)));
      }
      // Each kind of form in its error state.
      const refusals: [string, string, ((page: Page) => Promise<void>)?][] = [
        ["/account", "/api/account/password", async (page) => {
          await page.locator("#current").fill("not the password");
          await page.locator("#new").fill("short");
          await page.locator("#confirm").fill("short");
        }],
      ];
      if (username === "hanoi.lanhdao") {
        refusals.push(["/documents/new", "/api/documents/create"]);
        // Its first task: broken down and cascaded from there.
        refusals.push([task, "/api/tasks/create"], [task, "/api/tasks/cascade", async (page) => {
          await page.locator("#cascade-units").fill("99999");
        }]);
      }
      if (username === "hue.canbo") {
        refusals.push([await reportable(official), "/api/reports/submit", async (page) => {
          await page.locator("#report-progress").fill("150");
        }]);
      }
      if (username === "admin") refusals.push(["/admin/users/new", "/api/admin/users/create"]);
      for (const [path, action, fill] of refusals) {
        await official.goto(path);
        if ((await official.locator(`form[action='${action}']`).count()) === 0) {
          throw new Error(`${username}: no form posting to ${action} on ${path}`);
        }
        await refuse(official, path, action, fill);
        violations.push(...(await check(official, `${language} ${username} ${path} ${action} error`)));
      }
      await official.context().close();
    }
    expect(violations).toEqual([]);
  });
}
