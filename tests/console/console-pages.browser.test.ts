// Every console page in headless Chromium on a phone-sized screen, with the real stylesheet: nothing wider
// than the screen, tap targets at least 44px high, the skip link first for the keyboard with a visible focus
// ring, and a screenshot of each page kept under test-artifacts/ for people to look at.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { consoleCss, consoleCssPath } from "../../src/console/console-css.ts";
import { pageNumber, screenshot, smallTapTargets, useBrowser } from "../support/browser.ts";
import { renderEveryPage } from "./console-fixtures.ts";

const origin = "http://loa.test";
const pages = renderEveryPage("vi");

/** Shows `document` as if Loa served it, with the stylesheet at its real path and nothing else reachable. */
async function show(page: Page, document: string): Promise<void> {
  await page.route("**/*", async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === consoleCssPath) await route.fulfill({ contentType: "text/css", body: consoleCss });
    else if (path === "/page") await route.fulfill({ contentType: "text/html; charset=utf-8", body: document });
    else await route.abort();
  });
  await page.goto(`${origin}/page`);
}

// One browser for the file: each useBrowser clears the file's screenshot folder when it starts.
const browser = useBrowser({ viewport: { width: 360, height: 740 }, locale: "vi-VN" });

describe("console pages on a phone", () => {

  it.each(pages.map((page) => [page.name, page.html] as const))("%s: fits the screen and has tap targets of 44px", async (name, document) => {
    await show(browser.page, document);
    expect(await pageNumber(browser.page, "document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    expect(await smallTapTargets(browser.page)).toEqual([]);
    await screenshot(browser.page, `phone-${name.replace(/[^a-z0-9]+/g, "-")}`);
  });

  it.each(pages.map((page) => [page.name, page.html] as const))("%s: starts with a visible skip link that moves to the content", async (_name, document) => {
    await show(browser.page, document);
    await browser.page.keyboard.press("Tab");
    const focused = browser.page.locator(":focus");
    expect(await focused.getAttribute("class")).toBe("skip");
    expect((await focused.boundingBox())?.y).toBeGreaterThanOrEqual(0);
    expect(await pageNumber(browser.page, "parseFloat(getComputedStyle(document.activeElement).outlineWidth)")).toBe(3);
    await browser.page.keyboard.press("Enter");
    expect(await browser.page.locator(":focus").getAttribute("id")).toBe("main");
  });
});

describe("console pages on a wide screen", () => {
  it.each(pages.filter((page) => ["directory list", "edit entry", "overview"].includes(page.name)).map((page) => [page.name, page.html] as const))(
    "%s: keeps tap targets of 44px",
    async (name, document) => {
      await browser.page.setViewportSize({ width: 1280, height: 800 });
      await show(browser.page, document);
      expect(await smallTapTargets(browser.page)).toEqual([]);
      await screenshot(browser.page, `wide-${name.replace(/[^a-z0-9]+/g, "-")}`);
    },
  );
});
