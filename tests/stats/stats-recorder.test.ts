import pg from "pg";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CompiledIndicator } from "../../src/stats/indicators.ts";
import { periodKeyOf } from "../../src/stats/periods.ts";
import { readCounts } from "../../src/stats/stats-query.ts";
import { recordEngagement, teamForCommune, type EngagementInput } from "../../src/stats/stats-recorder.ts";
import { createPipeline, loadShippedIndicators, type Pipeline } from "../support/pipeline-harness.ts";
import { differences, randomEngagement, recount, storedCounts } from "../support/stats-fixture.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

let indicators: CompiledIndicator[];
beforeAll(async () => {
  indicators = await loadShippedIndicators();
});

const delivered = (pseudonym: string, at: string, extra: Partial<EngagementInput> = {}): EngagementInput => ({
  kind: "content_delivered",
  occurredAt: new Date(at),
  pseudonym,
  channel: "telegram",
  locale: "hmn",
  provinceCode: "14",
  communeCode: "14-mau-04",
  topic: "safe-birth",
  groups: {},
  ...extra,
});

describe.each(databaseKinds)("statistics recorder on %s", (kind) => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await test?.drop();
  });

  const record = (events: EngagementInput[]) => test.database.client.$transaction((tx) => recordEngagement(tx, events, { indicators }));
  const people = async (period: string, provinceCode?: string) =>
    (await readCounts(test.database.client, { periods: [period], ...(provinceCode === undefined ? {} : { provinceCode }), metrics: ["people"] }))[0]?.count ?? 0;

  it("writes the events and counts a person once per cell, however many messages she reads", async () => {
    await record([delivered("p1", "2026-11-26T01:00:00Z"), delivered("p1", "2026-11-26T02:00:00Z")]);
    await record([delivered("p1", "2026-11-27T01:00:00Z"), delivered("p2", "2026-11-27T01:00:00Z", { communeCode: "14-mau-05" })]);
    expect(await test.database.client.engagementEvent.count()).toBe(4);
    expect(await people("d2026-11-26", "14")).toBe(1);
    expect(await people("d2026-11-27", "14")).toBe(2);
    expect(await people("m2026-11", "14")).toBe(2);
    expect(await people("y2026")).toBe(2);
    const messages = await readCounts(test.database.client, { periods: ["m2026-11"], provinceCode: "14", communeCode: "*", metrics: ["messages", "people"] });
    expect(messages.map((row) => [row.communeCode, row.metric, row.count])).toEqual([
      ["14-mau-04", "messages", 3],
      ["14-mau-04", "people", 1],
      ["14-mau-05", "messages", 1],
      ["14-mau-05", "people", 1],
    ]);
  });

  it("leaves neither events nor counts behind when the transaction rolls back", async () => {
    const failure = new Error("later write failed");
    await expect(
      test.database.client.$transaction(async (tx) => {
        await recordEngagement(tx, [delivered("p1", "2026-11-26T01:00:00Z")], { indicators });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await test.database.client.engagementEvent.count()).toBe(0);
    expect(await test.database.client.statsCount.count()).toBe(0);
    expect(await test.database.client.statsPerson.count()).toBe(0);
  });

  it("credits a commune's team, the first by id when two teams share it", async () => {
    const db = test.database.client;
    const createdAt = new Date();
    for (const id of ["team-b", "team-a"]) await db.staffTeam.create({ data: { id, name: id, provinceCode: "14", createdAt, communes: { create: [{ communeCode: "14-mau-04" }] } } });
    expect(await teamForCommune(db, "14-mau-04")).toBe("team-a");
    expect(await teamForCommune(db, "14-mau-05")).toBeNull();
    expect(await teamForCommune(db, null)).toBeNull();
  });

  it.each([11, 29, 4242])("agrees with a brute-force recount of every cell for random engagement (seed %i)", async (seed) => {
    const db = test.database.client;
    const random = randomEngagement(seed, 400, 14);
    expect(random.deletions).toBeGreaterThan(3);
    for (const batch of random.batches) await record(batch);
    expect(await db.engagementEvent.count()).toBe(random.events);
    const expected = await recount(db, indicators);
    const stored = await storedCounts(db);
    expect(differences(expected, stored)).toEqual([]);
    expect(stored.size).toBeGreaterThan(1_000);
    // The data can tell exact people from events: counting every event instead would be wrong in many cells.
    expect(differences(await recount(db, indicators, { unique: false }), stored).length).toBeGreaterThan(200);
  });

  it("is caught by the recount when it forgets who it already counted", async () => {
    const db = test.database.client;
    const random = randomEngagement(7, 200, 8);
    for (const batch of random.batches) await record(batch);
    expect(differences(await recount(db, indicators), await storedCounts(db))).toEqual([]);
    // Without the people already counted, the ON CONFLICT check has nothing to find and counts them again.
    await db.statsPerson.deleteMany();
    const again = randomEngagement(7, 40, 8).batches.flat().filter((event) => event.kind === "content_delivered");
    await record(again);
    const wrong = differences(await recount(db, indicators), await storedCounts(db));
    expect(wrong.length).toBeGreaterThan(0);
    expect(wrong.every((line) => / (people|completers|visits): expected \d+, stored \d+$/.test(line))).toBe(true);
  });
});

describe.each(databaseKinds)("statistics from conversations on %s", (kind) => {
  let pipeline: Pipeline;

  beforeEach(async () => {
    pipeline = await createPipeline(kind);
  });
  afterEach(async () => {
    await pipeline?.drop();
  });

  it("keeps counting a person who deleted her data, with her commune's team, and keeps no channel id or text", async () => {
    const db = pipeline.database.client;
    await db.staffTeam.create({ data: { id: "team-muong", name: "Tổ Mường Bú", provinceCode: "14", createdAt: pipeline.clock.now(), communes: { create: [{ communeCode: "14-mau-04" }] } } });
    const userId = "chi-channel-user-9911";
    for (const text of ["xin chào", "1", "1", "1", "Muong Bu", "có", "1"]) await pipeline.say(userId, text);
    await pipeline.say(userId, "xoá dữ liệu");
    await pipeline.say(userId, "có");
    expect(await db.contact.count()).toBe(0);
    const year = periodKeyOf("year", pipeline.clock.now());
    const place = { periods: [year], provinceCode: "14", communeCode: "14-mau-04" };
    expect((await readCounts(db, { ...place, metrics: ["people", "deletions"] })).map((row) => [row.metric, row.count])).toEqual([
      ["deletions", 1],
      ["people", 1],
    ]);
    expect((await readCounts(db, { ...place, dimension: "team", metrics: ["people"] })).map((row) => [row.value, row.count])).toEqual([["team-muong", 1]]);
    expect(differences(await recount(db, await loadShippedIndicators()), await storedCounts(db))).toEqual([]);
    const stats = JSON.stringify([await db.statsCount.findMany(), await db.statsPerson.findMany(), await db.engagementEvent.findMany()]);
    expect(stats).not.toContain(userId);
    expect(stats).not.toContain("Muong Bu");
    // She comes back: the link was cut, so she is a new pseudonym and is counted as another person.
    await pipeline.say(userId, "xin chào");
    await pipeline.say(userId, "1");
    const pseudonyms = new Set((await db.engagementEvent.findMany({ select: { pseudonym: true } })).map((row) => row.pseudonym));
    expect(pseudonyms.size).toBe(2);
  });
});

describe("statistics recorder on postgres, two transactions at once", () => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await createTestDatabase("postgres");
  });
  afterEach(async () => {
    await test?.drop();
  });

  /** Waits until some session of this database is blocked on a lock: the second transaction is inside. */
  async function someoneWaitsForALock(url: string): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (let attempt = 0; attempt < 500; attempt += 1) {
        const result = await client.query("SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
        if ((result.rows[0] as { waiting: number }).waiting > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error("the second transaction never waited for the first");
    } finally {
      await client.end();
    }
  }

  it("counts a person once when two transactions record her at the same time", async () => {
    const db = test.database.client;
    const event = delivered("p-same", "2026-11-26T01:00:00Z");
    let releaseFirst: () => void = () => undefined;
    const firstHolds = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstRecorded: () => void = () => undefined;
    const firstInside = new Promise<void>((resolve) => {
      firstRecorded = resolve;
    });
    const first = db.$transaction(
      async (tx) => {
        await recordEngagement(tx, [event], { indicators });
        firstRecorded();
        await firstHolds;
      },
      { timeout: 20_000 },
    );
    await firstInside;
    const second = db.$transaction((tx) => recordEngagement(tx, [{ ...event, occurredAt: new Date("2026-11-26T02:00:00Z") }], { indicators }), { timeout: 20_000 });
    await someoneWaitsForALock(test.url);
    releaseFirst();
    await Promise.all([first, second]);
    const counts = await readCounts(db, { periods: ["d2026-11-26", "y2026"], provinceCode: "14", communeCode: "14-mau-04", metrics: ["people", "messages"] });
    expect(counts.map((row) => [row.period, row.metric, row.count])).toEqual([
      ["d2026-11-26", "messages", 2],
      ["d2026-11-26", "people", 1],
      ["y2026", "messages", 2],
      ["y2026", "people", 1],
    ]);
    expect(differences(await recount(db, indicators), await storedCounts(db))).toEqual([]);
  });
});
