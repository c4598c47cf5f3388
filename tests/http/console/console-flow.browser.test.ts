// The staff console in headless Chromium against Loa's real HTTP server and database: a commune team member
// signs in, browses, imports a help directory CSV and sees her entry, then signs out. Screenshots are kept in
// test-artifacts/screenshots/http/console/console-flow.browser/.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { consoleText } from "../../../src/console/console-locale.ts";
import { helpEntryHeaderRow } from "../../../src/directory/help-entry-columns.ts";
import { writeCsv } from "../../../src/tables/csv.ts";
import { screenshot, useBrowser } from "../../support/browser.ts";
import { startStaffServer, staffTestPassword, type StaffServer } from "../../support/staff-server.ts";

const password = staffTestPassword;
const vi = consoleText("vi");

describe("the staff console in a browser", () => {
  let loa: StaffServer;
  let base: string;
  let folder: string;

  beforeEach(async () => {
    loa = await startStaffServer();
    const { staff } = loa;
    const team = await staff.accounts.createTeam({ name: "Tổ truyền thông Mường Bú", provinceCode: "14", communeCodes: ["14-mau-04"] });
    await staff.accounts.create({ username: "lan", displayName: "Chị Lan", password, role: "commune", teamId: team });
    base = await loa.server.listen({ port: 0, host: "127.0.0.1" });
    folder = await mkdtemp(join(tmpdir(), "loa-console-browser-"));
  });
  afterEach(async () => {
    await loa.stop();
    await rm(folder, { recursive: true, force: true });
  });
  const browser = useBrowser({ viewport: { width: 390, height: 800 }, locale: "vi-VN" });

  it("signs in, browses, imports a directory CSV, sees the new entry, and signs out", async () => {
    const page = browser.page;
    await page.goto(`${base}/console`);
    await page.getByRole("heading", { name: vi.signIn.title }).waitFor();
    await page.getByLabel(vi.signIn.username).fill("lan");
    await page.getByLabel(vi.signIn.password).fill("sai mật khẩu rồi");
    await page.getByRole("button", { name: vi.signIn.submit }).click();
    await page.getByText(vi.signIn.wrongCredentials).waitFor();
    await screenshot(page, "sign-in-refused");
    await page.getByLabel(vi.signIn.password).fill(password);
    await page.getByRole("button", { name: vi.signIn.submit }).click();
    await page.getByText("Chị Lan").first().waitFor();
    await screenshot(page, "overview");

    await page.getByRole("link", { name: vi.nav.directory }).first().click();
    await page.waitForURL(/\/console\/directory/);
    expect(await page.getByText("0212 3800 021").count()).toBe(0);

    const file = join(folder, "dia-chi-tin-cay.csv");
    const header = helpEntryHeaderRow();
    const row = header.map((column) => ({ loại: "trusted-address", tên: "Địa chỉ tin cậy xã Mường Bú", "điện thoại": "0212 3800 021", "mã tỉnh": "14", "mã xã": "14-mau-04", "chủ đề": "violence", "ngày xác minh": "2026-10-01", nguồn: "Hội LHPN xã, 10/2026" })[column] ?? "");
    await writeFile(file, writeCsv([header, row]));
    await page.getByLabel(vi.importForm.file).setInputFiles(file);
    await page.getByRole("button", { name: vi.importForm.submit }).click();
    await page.waitForURL(/\/console\/directory\/import/);
    await screenshot(page, "import-result");

    await page.getByRole("link", { name: vi.nav.directory }).first().click();
    await page.getByText("0212 3800 021").waitFor();
    await page.getByText("Địa chỉ tin cậy xã Mường Bú").first().waitFor();
    await screenshot(page, "directory-with-new-entry");

    await page.getByRole("button", { name: vi.layout.signOut }).click();
    await page.getByRole("link", { name: vi.signedOut.signInAgain }).waitFor();
    await screenshot(page, "signed-out");
    await page.goto(`${base}/console/directory`);
    await page.getByRole("heading", { name: vi.signIn.title }).waitFor();
  });
});
