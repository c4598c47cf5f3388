// Headless Chromium for browser tests: Debian's package `chromium`, driven by playwright-core (which never
// downloads a browser of its own). One browser per test file, a fresh context (cookies, storage) per test,
// screenshots under test-artifacts/screenshots/<test file>/ and one taken automatically when a test fails.
import { constants } from "node:fs";
import { access, mkdir, rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";

/** Where Debian's package puts Chromium; the tests use no other browser. */
export const chromiumPath = "/usr/bin/chromium";

/**
 * Flags for a closed network: without the background-networking ones, Chromium's own calls to Google are
 * refused, many at a time. Playwright adds an empty, temporary `--user-data-dir` and deletes it on close.
 */
const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** How long a page action or wait may take before the test fails: pages here are local and small. */
const actionTimeoutMs = 5_000;

const testsFolder = fileURLToPath(new URL("..", import.meta.url));
const screenshotsFolder = fileURLToPath(new URL("../../test-artifacts/screenshots/", import.meta.url));

/** The browser of one test file and the context and page of the running test. */
export interface BrowserHarness {
  /** The test file's browser, launched for its first test and closed after its last. */
  readonly browser: Browser;
  /** The running test's own context: no cookie or storage is shared between tests. */
  readonly context: BrowserContext;
  /** A page in the running test's context, opened before the test starts. */
  readonly page: Page;
}

/**
 * Registers hooks in the calling test file: launches Chromium once for the file (failing every test with
 * the apt command when it is missing, never skipping), opens a new context and page for each test, takes a
 * `failed-<test name>` screenshot when a test fails, fails a test whose page threw an uncaught error, and
 * closes everything afterwards. Call it at the top of a test file or `describe` block, after the hooks that
 * start the server under test: vitest runs `afterEach` hooks last-registered first, so each test's page then
 * closes (and its failure screenshot is taken) before the server stops.
 */
export function useBrowser(contextOptions: BrowserContextOptions = {}): BrowserHarness {
  let launching: Promise<Browser> | undefined;
  let browser: Browser | undefined;
  let current: { context: BrowserContext; page: Page; pageErrors: Error[] } | undefined;

  beforeAll(async ({}, suite) => {
    await rm(screenshotFolderFor(suite.file.filepath), { recursive: true, force: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    // Launched by the file's first test, so that a missing Chromium fails each test with the reason.
    launching ??= launchChromium();
    browser = await launching;
    const context = await browser.newContext(contextOptions);
    context.setDefaultTimeout(actionTimeoutMs);
    const page = await context.newPage();
    const pageErrors: Error[] = [];
    page.on("pageerror", (error) => pageErrors.push(error));
    current = { context, page, pageErrors };
  });
  afterEach(async ({ task }) => {
    if (current === undefined) return;
    const { context, page, pageErrors } = current;
    current = undefined;
    try {
      if (task.result?.state === "fail") await screenshot(page, `failed-${slug(task.name)}`);
    } finally {
      await context.close();
    }
    if (pageErrors.length > 0) {
      throw new Error(`The page threw ${pageErrors.length} uncaught error(s): ${pageErrors.map((error) => error.message).join("; ")}`);
    }
  });

  function running(): NonNullable<typeof current> {
    if (current === undefined) throw new Error("The browser page exists only while a test runs (inside it(), not at file level).");
    return current;
  }
  return {
    get browser() {
      if (browser === undefined) throw new Error("Chromium has not started: use the browser inside a test.");
      return browser;
    },
    get context() {
      return running().context;
    },
    get page() {
      return running().page;
    },
  };
}

/**
 * Saves a full-page PNG of `page` as `test-artifacts/screenshots/<test file>/<name>.png`, the test file being
 * its path under `tests/` without `.test.ts`, and returns the file's path. `name` is lower-case words joined
 * by hyphens, so artifacts have plain, portable names.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(name)) {
    throw new Error(`Screenshot name "${name}" must be lower-case letters and digits joined by hyphens.`);
  }
  const testPath = expect.getState().testPath;
  if (testPath === undefined) throw new Error("screenshot() works only while a test runs.");
  const path = join(screenshotFolderFor(testPath), `${name}.png`);
  await mkdir(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Controls of the page lower than 44px (the console's tap-target rule), each by a short description; a
 * checkbox or radio counts with the row its label fills.
 */
export async function smallTapTargets(page: Page): Promise<string[]> {
  const small: string[] = [];
  for (const control of await page.locator("main a, header a:not(.skip), button, select, input:not([type=hidden])").all()) {
    const isBox = ["checkbox", "radio"].includes((await control.getAttribute("type")) ?? "");
    const target = isBox ? control.locator("xpath=ancestor::div[contains(@class, 'choice')][1]") : control;
    const box = await target.boundingBox();
    if (box !== null && box.height < 44) small.push(`${(await control.textContent())?.trim().slice(0, 40) ?? ""} ${Math.round(box.height)}px`);
  }
  return small;
}

/** A number the page computes from a script expression, such as its scroll width. */
export async function pageNumber(page: Page, expression: string): Promise<number> {
  const value: unknown = await page.evaluate(expression);
  if (typeof value !== "number") throw new Error(`${expression} gave ${String(value)}, not a number`);
  return value;
}

/** Launches Debian's Chromium headless, or fails with the command that installs it. */
async function launchChromium(): Promise<Browser> {
  try {
    await access(chromiumPath, constants.X_OK);
  } catch {
    throw new Error(
      `Browser tests need Chromium at ${chromiumPath}, from Debian's package chromium. Install it with ` +
        "`apt-get install chromium` (as root; .ci/run does this), then run the tests again.",
    );
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
}

/** `tests/http/chat-page.browser.test.ts` → `test-artifacts/screenshots/http/chat-page.browser`. */
function screenshotFolderFor(testPath: string): string {
  return join(screenshotsFolder, relative(testsFolder, testPath).replace(/\.test\.ts$/, ""));
}

/** A test name as a file name: no accents, lower case, words joined by hyphens. */
function slug(text: string): string {
  const plain = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  return plain.replace(/[^a-z0-9]+/g, "-").slice(0, 80).replace(/^-+|-+$/g, "") || "test";
}
