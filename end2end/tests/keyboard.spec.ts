import { expect, test, type Page } from "@playwright/test";

// Every action by keyboard alone: Tab from the top of the page reaches every link, button
// and field that is on screen, in order, the first stop is the skip link, and each stop
// shows where the focus is (an outline of at least 2 px, or a box shadow).
const DEMO_PASSWORD = "tiendo-demo-2026";
const FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex='0']";

interface Stop {
  key: string;
  visible: boolean;
}

/** Tabs through the page until the focus leaves it; what got the focus and how it showed. */
async function tabThrough(page: Page, limit: number): Promise<Stop[]> {
  const stops: Stop[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const style = getComputedStyle(element);
      const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
      const shadow = style.boxShadow !== "none";
      const key = element.getAttribute("data-walk") ?? String(Math.random());
      element.setAttribute("data-walk", key);
      return { key, visible: outline || shadow };
    });
    if (!stop) break;
    // A date field takes several presses (day, month, year) without losing the focus.
    if (stops.length > 0 && stops[stops.length - 1].key === stop.key) continue;
    if (stops.some((seen) => seen.key === stop.key)) break;
    stops.push(stop);
  }
  return stops;
}

async function walk(page: Page, path: string) {
  await page.goto(path);
  // Details panels open, so that their forms are on screen too.
  await page.locator("details").evaluateAll((all) => all.forEach((d) => d.setAttribute("open", "")));
  const reachable = await page.locator(FOCUSABLE).evaluateAll((all) => {
    // A group of radio buttons is one stop: its chosen button, or its first.
    const groups = new Set<string>();
    const radioStop = (radio: HTMLInputElement): boolean => {
      if (groups.has(radio.name)) return false;
      const group = Array.from(document.querySelectorAll<HTMLInputElement>(`input[type=radio][name='${radio.name}']`));
      if ((group.find((r) => r.checked) ?? group[0]) !== radio) return false;
      groups.add(radio.name);
      return true;
    };
    return all
      .filter((element) => {
        if (element instanceof HTMLInputElement && element.type === "radio" && !radioStop(element)) return false;
        const box = (element as HTMLElement).getBoundingClientRect();
        const style = getComputedStyle(element);
        const hidden = element.closest("[aria-hidden=true], [inert]") || (element as HTMLInputElement).disabled;
        return box.width > 0 && box.height > 0 && style.visibility !== "hidden" && !hidden &&
          element.getAttribute("tabindex") !== "-1";
      })
      .map((element, index) => {
        element.setAttribute("data-walk", `w${index}`);
        return `w${index}`;
      });
  });
  await page.locator("body").focus();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // A date field takes three presses: the walk may need up to three a stop.
  const stops = await tabThrough(page, reachable.length * 3 + 10);
  expect(stops.length, `${path}: focus stops`).toBeGreaterThan(0);
  const first = await page.locator(`[data-walk='${stops[0].key}']`).getAttribute("class");
  expect(first, `${path}: the first stop is the skip link`).toContain("skip-link");
  const missed = reachable.filter((key) => !stops.some((stop) => stop.key === key));
  const missedNames = await Promise.all(
    missed.map((key) => page.locator(`[data-walk='${key}']`).evaluate((e) => e.outerHTML.slice(0, 120))),
  );
  expect(missedNames, `${path}: not reachable by Tab`).toEqual([]);
  const unseen = stops.filter((stop) => !stop.visible);
  const unseenNames = await Promise.all(
    unseen.map((stop) => page.locator(`[data-walk='${stop.key}']`).evaluate((e) => e.outerHTML.slice(0, 120))),
  );
  expect(unseenNames, `${path}: focus not visible`).toEqual([]);
}

test("a citizen reaches every action by keyboard, and sees where the focus is", async ({ page }) => {
  for (const path of ["/", "/units", "/feedback", "/feedback/track", "/login"]) {
    await walk(page, path);
  }
});

test("an official reaches every action by keyboard, and sees where the focus is", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto("/login?next=/my-work");
  await page.getByLabel("Tên đăng nhập").fill("hanoi.lanhdao");
  await page.getByLabel("Mật khẩu", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const task = await page.locator("main a[href^='/tasks/']").first().getAttribute("href");
  for (const path of ["/my-work", "/dashboard", "/documents", "/documents/new", "/account", task ?? "/my-work"]) {
    await walk(page, path);
  }
});
