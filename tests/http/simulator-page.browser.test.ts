// The simulator's chat page in headless Chromium, against Loa's real HTTP server, pipeline and content:
// a first conversation by mouse and by keyboard only. Expected words come from the content catalog.
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import { afterEach, beforeEach, describe, it } from "vitest";
import { parseConfig } from "../../src/config.ts";
import { createHttpServer, type HttpServer } from "../../src/http/http-server.ts";
import { createRuntime, type Runtime } from "../../src/runtime.ts";
import { screenshot, useBrowser } from "../support/browser.ts";
import { createLogCapture } from "../support/log-capture.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("the simulator chat page in a browser", () => {
  let test: TestDatabase;
  let runtime: Runtime;
  let server: HttpServer;
  let chatUrl: string;

  beforeEach(async () => {
    test = await createTestDatabase("sqlite");
    await test.database.close();
    const logs = createLogCapture();
    runtime = await createRuntime({ config: parseConfig({ DATABASE_URL: test.url, POLL_INTERVAL_MS: "10" }), logger: logs.logger, projectRoot: root });
    server = createHttpServer({ runtime, logger: logs.logger, simulator: true });
    runtime.start();
    chatUrl = `${await server.listen({ port: 0, host: "127.0.0.1" })}/chat`;
  });
  afterEach(async () => {
    await server.close();
    await runtime.stop();
    await test.drop();
  });
  // After the server's hooks, so each test's page closes before the server it talks to.
  const browser = useBrowser({ viewport: { width: 390, height: 760 }, locale: "vi-VN" });

  /** The Vietnamese text of a content key, as the bot sends it. */
  function vietnamese(key: string): string {
    return runtime.assets.catalog.render(key, "vi").text;
  }

  function messageBox(page: Page): Locator {
    return page.getByRole("textbox", { name: "Tin nhắn" });
  }

  function option(page: Page, key: string): Locator {
    return page.getByRole("button", { name: vietnamese(key) });
  }

  it("greets, asks for consent with buttons, and asks for the language after a tap on Đồng ý", async () => {
    const page = browser.page;
    await page.goto(chatUrl);
    await messageBox(page).fill("xin chào");
    await page.getByRole("button", { name: "Gửi", exact: true }).click();

    await page.getByText(vietnamese("common:welcome")).waitFor();
    await page.getByText(vietnamese("common:consent.prompt")).waitFor();
    await option(page, "common:consent.agree").waitFor();
    await option(page, "common:consent.not_now").waitFor();
    await screenshot(page, "welcome-and-consent");

    await option(page, "common:consent.agree").click();
    await page.getByText(vietnamese("common:language.prompt")).waitFor();
    await screenshot(page, "language-question");
  });

  it("can be used with the keyboard only: reach the message box, send, and answer a menu", async () => {
    const page = browser.page;
    await page.goto(chatUrl);
    await pressUntilFocused(page, "Tab", messageBox(page));
    await page.keyboard.type("xin chào");
    await page.keyboard.press("Enter");

    const agree = option(page, "common:consent.agree");
    await agree.waitFor();
    await pressUntilFocused(page, "Shift+Tab", agree);
    await page.keyboard.press("Enter");
    await page.getByText(vietnamese("common:language.prompt")).waitFor();
    await screenshot(page, "keyboard-language-question");
  });
});

/** Presses `key` until `target` has the focus; fails naming where the focus went when it never does. */
async function pressUntilFocused(page: Page, key: "Tab" | "Shift+Tab", target: Locator, maxPresses = 15): Promise<void> {
  const focused = page.locator(":focus");
  const visited: string[] = [];
  for (let presses = 0; presses < maxPresses; presses += 1) {
    await page.keyboard.press(key);
    if ((await target.and(focused).count()) === 1) return;
    visited.push((await focused.count()) === 0 ? "(the page)" : ((await focused.ariaSnapshot()).trim().split("\n")[0] ?? ""));
  }
  throw new Error(`${key} never reached the element in ${maxPresses} presses; the focus went to: ${visited.join(", ")}`);
}
