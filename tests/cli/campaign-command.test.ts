import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { progressBar, runCampaign } from "../../src/cli/campaign-command.ts";
import { createCampaignService, type CampaignService } from "../../src/campaigns/campaign-service.ts";
import { WrittenTextError } from "../../src/campaigns/written-text-check.ts";
import { createAuditLog } from "../../src/staff/audit-log.ts";
import type { StaffPrincipal } from "../../src/staff/staff-principal.ts";
import { loadShippedAssets } from "../support/pipeline-harness.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const base = { username: "hoa", displayName: "Hoa", locale: "vi" as const, provinces: ["14"], communes: [], teamId: null, teamProvinceCode: null };
const officer: StaffPrincipal = { ...base, accountId: "hoa", role: "province" };

function parsed(action: string, id: string | undefined, values: Record<string, string>, watch = false) {
  return { action, id, values: new Map(Object.entries(values)), watch };
}

describe("loa campaign", () => {
  let test: TestDatabase;
  let campaigns: CampaignService;
  let lines: string[];
  let rewrites: string[];

  beforeEach(async () => {
    test = await createTestDatabase("sqlite");
    const assets = await loadShippedAssets();
    const now = () => new Date("2026-11-26T03:00:00Z");
    campaigns = createCampaignService({ db: test.database.client, places: () => assets.setup.places, audit: createAuditLog(test.database.client, now), now, locales: assets.catalog.locales, fileHelp: assets.directory });
    lines = [];
    rewrites = [];
  });
  afterEach(async () => {
    await test.drop();
  });

  const run = (action: string, id: string | undefined, values: Record<string, string>, watch = false) =>
    runCampaign(parsed(action, id, values, watch), { campaigns, db: test.database.client, principal: officer, write: (line) => lines.push(line), rewrite: (line) => rewrites.push(line), wait: async () => undefined });

  it("drafts, submits, approves and schedules a campaign, and shows its status with a progress bar", async () => {
    expect(await run("create", undefined, { name: "Ngày Quốc tế trẻ em gái", keys: "child-marriage:intro", communes: "14-mau-04,14-mau-05" })).toBe(0);
    const id = /Campaign (\S+) drafted/.exec(lines.at(-1) ?? "")?.[1] ?? "";
    for (const action of ["submit", "approve"]) expect(await run(action, id, {})).toBe(0);
    expect(await run("schedule", id, { at: "2027-10-11T01:00:00Z" })).toBe(0);
    expect(lines.at(-1)).toBe(`Campaign ${id} starts 2027-10-11T01:00:00.000Z.`);
    expect(await run("status", id, {})).toBe(0);
    expect(rewrites.at(-1)).toContain("0% 0/0");
    expect(await run("cancel", id, {})).toBe(0);
    expect(lines.at(-1)).toBe(`Campaign ${id} is now cancelled.`);
  });

  it("drafts a campaign with text written per language, from options or a file, with its topic", async () => {
    const drafted = async (name: string) => (await campaigns.list(officer)).find((campaign) => campaign.name === name)?.content;
    expect(await run("create", undefined, { name: "Ngày Gia đình", "text-vi": "Gọi 111 khi cần giúp.", "text-en": "Call 111 for help.", topic: "violence", communes: "14-mau-04" })).toBe(0);
    expect(await drafted("Ngày Gia đình")).toEqual({ texts: { vi: "Gọi 111 khi cần giúp.", en: "Call 111 for help." }, topic: "violence" });

    const folder = await mkdtemp(join(tmpdir(), "loa-campaign-text-"));
    try {
      const file = join(folder, "texts.yaml");
      await writeFile(file, "vi: |\n  Ngày 28/6.\n  Gọi 111.\nen: Family Day.\n");
      expect(await run("create", undefined, { name: "Từ tệp", "text-file": file, "text-en": "Vietnamese Family Day.", communes: "14-mau-04" })).toBe(0);
      expect(await drafted("Từ tệp")).toEqual({ texts: { vi: "Ngày 28/6.\nGọi 111.", en: "Vietnamese Family Day." } });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("refuses written text that is too long, names a number outside the help directory, or comes with keys too", async () => {
    expect(await run("create", undefined, { name: "Dài", "text-vi": "a".repeat(401), communes: "14-mau-04" })).toBe(1);
    expect(lines.at(-1)).toBe("error: texts.vi: Too big: expected string to have <=400 characters");
    await expect(run("create", undefined, { name: "Số lạ", "text-vi": "Gọi 0912 345 678", communes: "14-mau-04" })).rejects.toBeInstanceOf(WrittenTextError);
    expect(await run("create", undefined, { name: "Cả hai", keys: "violence:intro", "text-vi": "Chào", communes: "14-mau-04" })).toBe(2);
    expect(lines.at(-1)).toContain("--text-vi");
    expect(await campaigns.list(officer)).toEqual([]);
  });

  it("draws the progress bar from the delivery counts", () => {
    const results = { byStatus: { pending: 3, sending: 1, sent: 5, failed: 0, skipped: 1 }, byReason: {}, reach: { people: 5, byCommune: {}, byLocale: {} }, followedUp: 0 };
    expect(progressBar(results, 10)).toBe("[██████░░░░] 60% 6/10  sent 5, skipped 1, failed 0, waiting 4");
  });

  it("prints its usage for an unknown action", async () => {
    expect(await run("launch", undefined, {})).toBe(2);
    expect(lines[0]).toContain("usage: loa campaign list");
  });
});
