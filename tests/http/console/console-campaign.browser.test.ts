// A commune team drafts a campaign in headless Chromium against Loa's real HTTP server and database: she
// picks a calendar template and her commune, previews the recipient count (a server round trip, no
// JavaScript), saves the draft and submits it. A province officer of two provinces chooses the province
// first (a GET form), then writes the message herself and previews it. Screenshots are kept in
// test-artifacts/screenshots/http/console/console-campaign.browser/.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { consoleText } from "../../../src/console/console-locale.ts";
import { screenshot, useBrowser } from "../../support/browser.ts";
import { startStaffServer, staffTestPassword, type StaffServer } from "../../support/staff-server.ts";

const vi = consoleText("vi");

describe("campaigns in a browser", () => {
  let loa: StaffServer;
  let base: string;

  beforeEach(async () => {
    loa = await startStaffServer();
    const team = await loa.staff.accounts.createTeam({ name: "Tổ truyền thông Mường Bú", provinceCode: "14", communeCodes: ["14-mau-04"] });
    await loa.staff.accounts.create({ username: "lan", displayName: "Chị Lan", password: staffTestPassword, role: "commune", teamId: team });
    await loa.staff.accounts.create({ username: "hoa", displayName: "Chị Hoa", password: staffTestPassword, role: "province", provinces: ["14", "20"] });
    const now = loa.runtime.now();
    for (const id of ["p1", "p2", "p3"]) {
      await loa.runtime.database.client.contact.create({
        data: { id, channel: "telegram", channelUserId: `user-${id}`, pseudonym: `pseudonym-${id}`, locale: "vi", provinceCode: "14", communeCode: "14-mau-04", groups: "{}", consentedAt: now, createdAt: now, lastSeenAt: now },
      });
    }
    base = await loa.server.listen({ port: 0, host: "127.0.0.1" });
  });
  afterEach(async () => {
    await loa.stop();
  });
  const browser = useBrowser({ viewport: { width: 390, height: 800 }, locale: "vi-VN", javaScriptEnabled: false });

  async function signIn(username: string, displayName: string): Promise<void> {
    const page = browser.page;
    await page.goto(`${base}/console/sign-in`);
    await page.getByLabel(vi.signIn.username).fill(username);
    await page.getByLabel(vi.signIn.password).fill(staffTestPassword);
    await page.getByRole("button", { name: vi.signIn.submit }).click();
    await page.getByText(displayName).first().waitFor();
  }

  it("creates a campaign from a template, previews the recipients, saves and submits it", async () => {
    const page = browser.page;
    await signIn("lan", "Chị Lan");

    await page.getByRole("link", { name: vi.nav.campaigns }).first().click();
    await page.getByRole("heading", { name: vi.campaigns.title }).waitFor();
    await page.getByRole("link", { name: vi.campaigns.newCampaign }).click();
    await page.getByLabel(vi.campaigns.name).fill("Tháng hành động vì trẻ em, Mường Bú");
    await page.getByLabel(vi.campaigns.template).selectOption("action-month-children");
    await page.getByLabel("xã Mường Bú").check();
    await page.getByRole("button", { name: vi.campaigns.preview }).click();
    await page.getByText("Số người nhận lúc này: 3").waitFor();
    expect(await page.getByLabel(vi.campaigns.name).inputValue()).toBe("Tháng hành động vì trẻ em, Mường Bú");
    await screenshot(page, "preview");

    await page.getByRole("button", { name: vi.campaigns.saveDraft }).click();
    await page.getByRole("heading", { name: "Tháng hành động vì trẻ em, Mường Bú" }).waitFor();
    await page.getByRole("button", { name: vi.campaigns.submit }).click();
    await page.getByText(vi.campaigns.done.submit).waitFor();
    expect(await page.getByText(vi.campaigns.statuses.submitted).count()).toBeGreaterThan(0);
    expect(await page.locator("progress#campaign-progress").count()).toBe(1);
    await screenshot(page, "submitted");
  });

  it("chooses the province first, then writes the message, previews it and saves it", async () => {
    const page = browser.page;
    await signIn("hoa", "Chị Hoa");
    await page.goto(`${base}/console/campaigns/new`);
    expect(await page.locator('input[name="communes"]').count()).toBe(0);
    await page.getByLabel(vi.campaigns.province, { exact: true }).selectOption("14");
    await page.getByRole("button", { name: vi.campaigns.chooseProvince }).click();
    await page.getByLabel("xã Mường Bú (3 người nhận được)").waitFor();
    expect(await page.locator('input[name="communes"]').count()).toBe(10);

    await page.getByLabel(vi.campaigns.name).fill("Ngày Gia đình Việt Nam");
    await page.getByLabel(vi.campaigns.messageIn.replace("{language}", "Tiếng Việt")).fill("Ngày 28/6: nói không với bạo lực gia đình.\nGọi 111 khi cần giúp.");
    await page.getByLabel(`${vi.campaigns.topic} ${vi.campaigns.optional}`).selectOption("violence");
    await page.getByLabel("xã Mường Bú (3 người nhận được)").check();
    await page.getByRole("button", { name: vi.campaigns.preview }).click();
    await page.getByText("Số người nhận lúc này: 3").waitFor();
    expect(await page.getByRole("status").getByText("Gọi 111 khi cần giúp.").count()).toBe(1);
    await screenshot(page, "written-preview");

    await page.getByRole("button", { name: vi.campaigns.saveDraft }).click();
    await page.getByRole("heading", { name: "Ngày Gia đình Việt Nam" }).waitFor();
    expect(await page.getByText("Ngày 28/6: nói không với bạo lực gia đình.").count()).toBe(1);
    await page.getByRole("button", { name: vi.campaigns.submit }).click();
    await page.getByText(vi.campaigns.done.submit).waitFor();
    await screenshot(page, "written-submitted");
  });
});
