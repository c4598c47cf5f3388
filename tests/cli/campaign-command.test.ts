import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { progressBar, runCampaign } from "../../src/cli/campaign-command.ts";
import { createCampaignService, type CampaignService } from "../../src/campaigns/campaign-service.ts";
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
    campaigns = createCampaignService({ db: test.database.client, places: () => assets.setup.places, audit: createAuditLog(test.database.client, now), now });
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

  it("draws the progress bar from the delivery counts", () => {
    const results = { byStatus: { pending: 3, sending: 1, sent: 5, failed: 0, skipped: 1 }, byReason: {}, reach: { people: 5, byCommune: {}, byLocale: {} }, followedUp: 0 };
    expect(progressBar(results, 10)).toBe("[██████░░░░] 60% 6/10  sent 5, skipped 1, failed 0, waiting 4");
  });

  it("prints its usage for an unknown action", async () => {
    expect(await run("launch", undefined, {})).toBe(2);
    expect(lines[0]).toContain("usage: loa campaign list");
  });
});
