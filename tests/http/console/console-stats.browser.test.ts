// The statistics dashboard in headless Chromium on a 360px phone, against Loa's real HTTP server and database,
// with JavaScript off: a province officer signs in, opens Thống kê, drills down from her province to a commune
// with fewer than 5 people reached, sees "<5", and downloads a table as CSV. Screenshots are kept in
// test-artifacts/screenshots/http/console/console-stats.browser/.
import { readFile } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { consoleText } from "../../../src/console/console-locale.ts";
import { parseCsv } from "../../../src/tables/csv.ts";
import { pageNumber, screenshot, smallTapTargets, useBrowser } from "../../support/browser.ts";
import { recordSampleReach } from "../../support/reach-fixture.ts";
import { startStaffServer, staffTestPassword, type StaffServer } from "../../support/staff-server.ts";

const vi = consoleText("vi");

describe("the statistics dashboard in a browser", () => {
  let loa: StaffServer;
  let base: string;

  beforeEach(async () => {
    loa = await startStaffServer({ now: () => new Date("2026-11-20T03:00:00Z") });
    await loa.staff.accounts.create({ username: "mai", displayName: "Chị Mai", password: staffTestPassword, role: "province", provinces: ["14"] });
    await recordSampleReach(loa.runtime.database.client);
    base = await loa.server.listen({ port: 0, host: "127.0.0.1" });
  });
  afterEach(async () => {
    await loa.stop();
  });
  const browser = useBrowser({ viewport: { width: 360, height: 740 }, locale: "vi-VN", javaScriptEnabled: false, acceptDownloads: true });

  /** The page fits 360px without sideways scrolling, and every control is at least 44px high. */
  async function fitsThePhone(): Promise<void> {
    expect(await pageNumber(browser.page, "document.documentElement.scrollWidth")).toBeLessThanOrEqual(360);
    expect(await smallTapTargets(browser.page)).toEqual([]);
  }

  it("drills down from the province to a commune, hides a small count as <5, and downloads it as CSV", async () => {
    const page = browser.page;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel(vi.signIn.username).fill("mai");
    await page.getByLabel(vi.signIn.password).fill(staffTestPassword);
    await page.getByRole("button", { name: vi.signIn.submit }).click();
    await page.getByText("Chị Mai").first().waitFor();

    await page.getByRole("link", { name: vi.nav.stats }).first().click();
    await page.getByRole("heading", { level: 1, name: "Thống kê: Sơn La" }).waitFor();
    expect(await page.getByLabel(vi.stats.period).inputValue()).toBe("2026-H2");
    expect(await page.getByRole("img", { name: /^Số người theo xã\./ }).count()).toBe(1);
    await fitsThePhone();
    await screenshot(page, "province");

    const communes = page.getByRole("region", { name: vi.stats.byCommune });
    expect(await communes.getByRole("row", { name: /xã Mường La/ }).getByRole("cell").allTextContents()).toEqual(["<5", "<5", vi.stats.withheld]);
    await communes.getByRole("link", { name: "xã Mường La" }).click();
    await page.getByRole("heading", { level: 1, name: "Thống kê: xã Mường La" }).waitFor();
    expect(await page.getByRole("navigation", { name: vi.stats.placeTrail }).getByRole("link").allTextContents()).toEqual(["Sơn La"]);
    const topics = page.getByRole("region", { name: vi.stats.byTopic });
    expect(await topics.getByRole("row", { name: /Tảo hôn/ }).getByRole("cell").allTextContents()).toEqual(["<5", "<5", vi.stats.withheld]);
    await fitsThePhone();
    await screenshot(page, "commune");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: `Tải CSV: ${vi.stats.byTopic}` }).click()]);
    expect(download.suggestedFilename()).toBe("thong-ke-14-mau-05-2026-H2-by-topic.csv");
    const csv = parseCsv(await readFile(await download.path(), "utf8"));
    expect(csv).toEqual([
      [vi.stats.topic, vi.stats.peopleColumn, vi.stats.visitsColumn, vi.stats.messagesColumn],
      ["Tảo hôn", "<5", "<5", vi.stats.withheld],
    ]);

    await page.getByLabel(vi.stats.period).selectOption("2026-08");
    await page.getByRole("button", { name: vi.stats.show }).click();
    await page.getByRole("heading", { level: 2, name: vi.stats.overTimeDays }).waitFor();
    expect(await page.getByRole("region", { name: vi.stats.overTimeDays }).getByRole("row").count()).toBe(32);
    await fitsThePhone();
    await screenshot(page, "commune-august");
  });
});
