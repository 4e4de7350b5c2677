import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";

// WCAG 2.1 AA, checked by axe-core on every page as its users meet it: signed out and as
// officials of each role, in both languages, at the project's width (360 px phone, 1280 px
// desktop), forms in their error state too. Each page is also saved as a screenshot.
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
  const href = await page.locator(`main a[href^='${prefix}']`).first().getAttribute("href");
  expect(href, `a link to ${prefix} on ${path}`).toBeTruthy();
  return href ?? "";
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
  return found;
}

for (const language of ["vi", "en"] as const) {
  test(`every page meets WCAG 2.1 AA (${language})`, async ({ browser }) => {
    test.setTimeout(180_000);
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

    for (const username of ["hue.canbo", "hanoi.lanhdao", "admin"]) {
      const official = await browse(browser, language, username);
      const paths = ["/my-work", "/dashboard", "/documents", "/account", "/admin/feedback"];
      paths.push(await firstLink(official, "/documents", "/documents/"));
      const task = await firstLink(official, "/my-work?view=all", "/tasks/").catch(() => "");
      if (task) paths.push(task);
      if (username === "admin") paths.push("/admin/users", "/admin/users/new", "/admin/oversight");
      if (username === "hanoi.lanhdao") paths.push("/documents/new", "/dashboard/01");
      for (const path of paths) {
        await official.goto(path);
        violations.push(...(await check(official, `${language} ${username} ${path}`)));
      }
      await official.context().close();
    }
    expect(violations).toEqual([]);
  });
}
