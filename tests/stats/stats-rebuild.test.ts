import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CompiledIndicator } from "../../src/stats/indicators.ts";
import { StatsError } from "../../src/stats/stats-error.ts";
import { readCounts } from "../../src/stats/stats-query.ts";
import { rebuildStatistics, rebuildStatisticsIfNeeded, statisticsNeedRebuild } from "../../src/stats/stats-rebuild.ts";
import { recordEngagement } from "../../src/stats/stats-recorder.ts";
import { createLogCapture } from "../support/log-capture.ts";
import { loadShippedIndicators } from "../support/pipeline-harness.ts";
import { differences, randomEngagement, recount, storedCounts } from "../support/stats-fixture.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

let indicators: CompiledIndicator[];
/** A "now" before the test events (late June to early July 2026), so nothing is pruned unless a test asks. */
const beforeTheEvents = new Date("2026-06-01T00:00:00Z");
beforeAll(async () => {
  indicators = await loadShippedIndicators();
});

describe.each(databaseKinds)("statistics rebuild on %s", (kind) => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await test?.drop();
  });

  const db = () => test.database.client;
  const people = async () => (await db().statsPerson.findMany({ orderBy: [{ cell: "asc" }, { pseudonym: "asc" }] })).map((row) => `${row.cell} ${row.pseudonym}`);

  it("ends with exactly what recording as it happened stored", async () => {
    for (const batch of randomEngagement(5, 300, 10).batches) await db().$transaction((tx) => recordEngagement(tx, batch, { indicators }));
    const counts = await storedCounts(db());
    const persons = await people();
    const progress: number[] = [];
    const result = await rebuildStatistics(test.database, { indicators, now: beforeTheEvents, batchSize: 37, onProgress: (done) => progress.push(done) });
    expect(differences(counts, await storedCounts(db()))).toEqual([]);
    expect(await people()).toEqual(persons);
    expect(result).toEqual({ events: 300, counts: counts.size, people: persons.length });
    expect(progress.at(0)).toBe(37);
    expect(progress.at(-1)).toBe(300);
  });

  it("builds figures for events stored before the aggregates, taking their campaign from detail", async () => {
    const occurredAt = new Date("2026-11-26T03:00:00Z");
    const base = { occurredAt, channel: "zalo-bot", locale: "vi", provinceCode: "14", communeCode: "14-mau-04", topic: "safe-birth" };
    await db().engagementEvent.createMany({
      data: [
        { ...base, kind: "campaign_delivered", pseudonym: "ps-legacy-1", detail: JSON.stringify({ campaignId: "camp-old", run: 1 }) },
        { ...base, kind: "campaign_delivered", pseudonym: "ps-legacy-2", detail: JSON.stringify({ campaignId: "camp-old", run: 1 }) },
        { ...base, kind: "content_delivered", pseudonym: "ps-legacy-1" },
      ],
    });
    expect(await statisticsNeedRebuild(test.database)).toBe("empty");
    const logs = createLogCapture();
    expect(await rebuildStatisticsIfNeeded(test.database, { indicators, clock: () => beforeTheEvents, logger: logs.logger })).toMatchObject({ events: 3 });
    expect(logs.lines.join("\n")).toContain("building statistics from stored engagement events");
    expect(logs.lines.join("\n")).not.toContain("ps-legacy");
    const campaigns = await readCounts(db(), { periods: ["m2026-11"], provinceCode: "14", dimension: "campaign", metrics: ["people", "messages"] });
    expect(campaigns.map((row) => [row.value, row.metric, row.count])).toEqual([
      ["camp-old", "messages", 2],
      ["camp-old", "people", 2],
    ]);
    expect(differences(await recount(db(), indicators), await storedCounts(db()))).toEqual([]);
    expect(await statisticsNeedRebuild(test.database)).toBeNull();
    expect(await rebuildStatisticsIfNeeded(test.database, { indicators, clock: () => beforeTheEvents, logger: logs.logger })).toBeNull();
  });

  it("needs nothing on a database without events", async () => {
    expect(await statisticsNeedRebuild(test.database)).toBeNull();
  });

  it("notices a rebuild cut short, hides its marker from readers, and finishes it at the next start", async () => {
    for (const batch of randomEngagement(9, 120, 6).batches) await db().$transaction((tx) => recordEngagement(tx, batch, { indicators }));
    const cut = new Error("interrupted");
    await expect(
      rebuildStatistics(test.database, {
        indicators,
        now: beforeTheEvents,
        batchSize: 50,
        onProgress: () => {
          throw cut;
        },
      }),
    ).rejects.toBe(cut);
    expect(await statisticsNeedRebuild(test.database)).toBe("unfinished");
    // The marker's period "" is no period key, so the query API cannot be asked for it.
    await expect(readCounts(db(), { periods: [""], metrics: ["rebuild_unfinished"] })).rejects.toThrow(StatsError);
    // Its claim lapses two minutes after the last batch renewed it; until then a starting process waits.
    const logs = createLogCapture();
    let minutesLater = 0;
    const clock = () => new Date(beforeTheEvents.getTime() + minutesLater * 60_000);
    const restart = rebuildStatisticsIfNeeded(test.database, { indicators, clock, logger: logs.logger, pollMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logs.lines.join("\n")).toContain("waiting for another process to finish building statistics");
    expect(await statisticsNeedRebuild(test.database)).toBe("unfinished");
    minutesLater = 3;
    await restart;
    expect(differences(await recount(db(), indicators), await storedCounts(db()))).toEqual([]);
    expect(await statisticsNeedRebuild(test.database)).toBeNull();
  });

  it("lets one of several processes starting together build the statistics while the others wait", async () => {
    const base = { occurredAt: new Date("2026-07-02T03:00:00Z"), channel: "zalo-bot", locale: "vi", provinceCode: "14", communeCode: "14-mau-04", topic: "safe-birth" };
    await db().engagementEvent.createMany({ data: Array.from({ length: 40 }, (_, index) => ({ ...base, kind: "content_delivered", pseudonym: `ps-start-${index % 7}` })) });
    const logs = createLogCapture();
    const starts = await Promise.all(
      [1, 2, 3].map(() => rebuildStatisticsIfNeeded(test.database, { indicators, clock: () => beforeTheEvents, logger: logs.logger, pollMs: 20 })),
    );
    expect(starts.filter((result) => result !== null)).toEqual([{ events: 40, counts: expect.any(Number), people: expect.any(Number) }]);
    expect(differences(await recount(db(), indicators), await storedCounts(db()))).toEqual([]);
    expect(await statisticsNeedRebuild(test.database)).toBeNull();
  });

  it("follows a change of indicators: an indicator removed from the file loses its figures", async () => {
    for (const batch of randomEngagement(3, 150, 8).batches) await db().$transaction((tx) => recordEngagement(tx, batch, { indicators }));
    const indicatorRows = () => db().statsCount.count({ where: { dimension: "indicator" } });
    expect(await indicatorRows()).toBeGreaterThan(0);
    const kept = indicators.filter((indicator) => indicator.id !== "safe-birth-reach");
    await rebuildStatistics(test.database, { indicators: kept, now: beforeTheEvents });
    expect(await db().statsCount.count({ where: { dimension: "indicator", value: "safe-birth-reach" } })).toBe(0);
    expect(differences(await recount(db(), kept), await storedCounts(db()))).toEqual([]);
  });
});
