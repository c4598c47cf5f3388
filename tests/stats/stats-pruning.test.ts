import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CompiledIndicator } from "../../src/stats/indicators.ts";
import { pruneClosedPeriods } from "../../src/stats/stats-pruning.ts";
import { rebuildStatistics } from "../../src/stats/stats-rebuild.ts";
import { recordEngagement, type EngagementInput } from "../../src/stats/stats-recorder.ts";
import { loadShippedIndicators } from "../support/pipeline-harness.ts";
import { differences, randomEngagement, recount, storedCounts } from "../support/stats-fixture.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

let indicators: CompiledIndicator[];
beforeAll(async () => {
  indicators = await loadShippedIndicators();
});

/** The periods StatsPerson still holds rows for. */
async function periodsHeld(test: TestDatabase): Promise<string[]> {
  const rows = await test.database.client.statsPerson.findMany({ select: { cell: true } });
  return [...new Set(rows.map((row) => row.cell.split("|")[0] ?? ""))].sort();
}

describe.each(databaseKinds)("pruning ended statistics periods on %s", (kind) => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await test?.drop();
  });

  const record = (events: readonly EngagementInput[]) => test.database.client.$transaction((tx) => recordEngagement(tx, events, { indicators }));

  it("forgets who was counted in periods that ended two days ago, keeps the counts, and stays exact afterwards", async () => {
    const db = test.database.client;
    // Events from 25 June to 6 July 2026 (local time).
    for (const batch of randomEngagement(13, 300, 10).batches) await record(batch);
    const counts = await storedCounts(db);
    expect(await periodsHeld(test)).toContain("d2026-07-02");
    // Two days before 5 July 07:00 local is 3 July 07:00: days before 3 July, June, Q2 and H1 have ended.
    const pruned = await pruneClosedPeriods(db, new Date("2026-07-05T00:00:00Z"));
    expect(pruned).toBeGreaterThan(0);
    const held = await periodsHeld(test);
    expect(held.filter((period) => period < "d2026-07-03" && period.startsWith("d"))).toEqual([]);
    expect(held).toEqual(expect.arrayContaining(["d2026-07-03", "d2026-07-06", "m2026-07", "q2026-3", "h2026-2", "y2026"]));
    expect(held.some((period) => ["m2026-06", "q2026-2", "h2026-1"].includes(period))).toBe(false);
    expect(differences(counts, await storedCounts(db))).toEqual([]);
    // New events happen after "now": every open period still knows who it counted.
    const later = randomEngagement(13, 200, 10).batches.flat().map((event) => ({ ...event, occurredAt: new Date(event.occurredAt.getTime() + 11 * 86_400_000) }));
    await record(later);
    expect(differences(await recount(db, indicators), await storedCounts(db))).toEqual([]);
    expect(await pruneClosedPeriods(db, new Date("2026-07-05T00:00:00Z"))).toBe(0);
  });

  it("lets a rebuild prune the periods it has passed and still count exactly", async () => {
    const db = test.database.client;
    const spread = randomEngagement(17, 300, 10).batches.flat().map((event, index) => ({ ...event, occurredAt: new Date(event.occurredAt.getTime() + (index % 6) * 30 * 86_400_000) }));
    await record(spread);
    const counts = await storedCounts(db);
    await rebuildStatistics(test.database, { indicators, now: new Date("2026-12-31T00:00:00Z"), batchSize: 4 });
    expect(differences(counts, await storedCounts(db))).toEqual([]);
    expect(await periodsHeld(test)).toEqual(["h2026-2", "m2026-12", "q2026-4", "y2026"]);
  });
});
