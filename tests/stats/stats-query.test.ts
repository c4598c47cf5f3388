import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StatsError } from "../../src/stats/stats-error.ts";
import { readCounts, readSeries, readTop, readVisits } from "../../src/stats/stats-query.ts";
import { recordEngagement, type EngagementInput } from "../../src/stats/stats-recorder.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

/** Local times in Hà Nội, written as UTC+7 so the test reads like the calendar. */
const at = (local: string) => new Date(`${local}+07:00`);

const read = (pseudonym: string, local: string, place: [string | null, string | null], extra: Partial<EngagementInput> = {}): EngagementInput => ({
  kind: "content_delivered",
  occurredAt: at(local),
  pseudonym,
  channel: "telegram",
  locale: "vi",
  provinceCode: place[0],
  communeCode: place[1],
  topic: "safe-birth",
  ...extra,
});

const muongBu: [string, string] = ["14", "14-mau-04"];
const muongChien: [string, string] = ["14", "14-mau-05"];

describe.each(databaseKinds)("statistics queries on %s", (kind) => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    const events = [
      read("an", "2026-07-01T08:00:00", muongBu, { locale: "hmn" }),
      read("an", "2026-07-01T20:00:00", muongBu, { locale: "hmn" }),
      read("an", "2026-07-02T23:59:00", muongBu, { locale: "hmn", topic: "violence" }),
      read("binh", "2026-07-01T09:00:00", muongChien, { channel: "zalo-bot" }),
      read("binh", "2026-07-01T09:05:00", muongChien, { kind: "help_shown", topic: null }),
      read("cuc", "2026-08-15T10:00:00", ["51", "51-tra-01"], { topic: "child-marriage" }),
      read("dung", "2026-07-03T00:00:00", [null, null]),
      read("an", "2026-06-30T23:59:59", muongBu, { locale: "hmn" }),
    ];
    for (const event of events) await test.database.client.$transaction((tx) => recordEngagement(tx, [event], { indicators: [] }));
  });
  afterEach(async () => {
    await test?.drop();
  });

  const db = () => test.database.client;

  it("reads the country, a province, a commune and every commune of a province", async () => {
    const country = await readCounts(db(), { periods: ["h2026-2"], metrics: ["people", "messages"] });
    expect(country.map((row) => [row.provinceCode, row.communeCode, row.metric, row.count])).toEqual([
      ["", "", "messages", 6],
      ["", "", "people", 4],
    ]);
    const province = await readCounts(db(), { periods: ["h2026-1", "h2026-2"], provinceCode: "14", metrics: ["people", "referrals"] });
    expect(province.map((row) => [row.period, row.metric, row.count])).toEqual([
      ["h2026-1", "people", 1],
      ["h2026-2", "people", 2],
      ["h2026-2", "referrals", 1],
    ]);
    const commune = await readCounts(db(), { periods: ["m2026-07"], provinceCode: "14", communeCode: "14-mau-05", metrics: ["people"] });
    expect(commune.map((row) => row.count)).toEqual([1]);
    const communes = await readCounts(db(), { periods: ["m2026-07"], provinceCode: "14", communeCode: "*", metrics: ["messages"] });
    expect(communes.map((row) => [row.communeCode, row.count])).toEqual([
      ["14-mau-04", 3],
      ["14-mau-05", 1],
    ]);
  });

  it("breaks counts down by a dimension, one row per value", async () => {
    const topics = await readCounts(db(), { periods: ["y2026"], provinceCode: "14", dimension: "topic", metrics: ["people"] });
    expect(topics.map((row) => [row.value, row.count])).toEqual([
      ["safe-birth", 2],
      ["violence", 1],
    ]);
    const channels = await readCounts(db(), { periods: ["y2026"], dimension: "channel", metrics: ["people"] });
    expect(channels.map((row) => [row.value, row.count])).toEqual([
      ["telegram", 3],
      ["zalo-bot", 1],
    ]);
  });

  it("adds up daily people as lượt: twice in one day is once, two days are two", async () => {
    const visits = await readVisits(db(), { periods: ["m2026-07", "h2026-2", "y2026"], provinceCode: "14" });
    expect(visits.map((row) => [row.period, row.metric, row.count])).toEqual([
      ["m2026-07", "visits", 3],
      ["h2026-2", "visits", 3],
      ["y2026", "visits", 4],
    ]);
    const byCommune = await readVisits(db(), { periods: ["m2026-07"], provinceCode: "14", communeCode: "*" });
    expect(byCommune.map((row) => [row.communeCode, row.count])).toEqual([
      ["14-mau-04", 2],
      ["14-mau-05", 1],
    ]);
    expect((await readVisits(db(), { periods: ["h2026-2"] }))[0]?.count).toBe(5);
  });

  it("gives a month-by-month series with zeros where nothing happened", async () => {
    const series = await readSeries(db(), { within: "2026-H2", step: "month", provinceCode: "14", metrics: ["people", "visits", "messages"] });
    expect(series).toEqual([
      { period: "m2026-07", values: { people: 2, visits: 3, messages: 4 } },
      ...["m2026-08", "m2026-09", "m2026-10", "m2026-11", "m2026-12"].map((period) => ({ period, values: { people: 0, visits: 0, messages: 0 } })),
    ]);
    const days = await readSeries(db(), { within: "2026-07", step: "day", provinceCode: "14", communeCode: "14-mau-04", metrics: ["visits"] });
    expect(days).toHaveLength(31);
    expect(days.slice(0, 3).map((point) => point.values["visits"])).toEqual([1, 1, 0]);
  });

  it("ranks the values of a dimension and the communes of a province", async () => {
    expect(await readTop(db(), { period: "h2026-2", dimension: "topic", metric: "people", limit: 2 })).toEqual([
      { value: "safe-birth", count: 3 },
      { value: "child-marriage", count: 1 },
    ]);
    expect(await readTop(db(), { period: "h2026-2", provinceCode: "14", communeCode: "*", dimension: "commune", metric: "visits", limit: 5 })).toEqual([
      { value: "14-mau-04", count: 2 },
      { value: "14-mau-05", count: 1 },
    ]);
  });

  it("reads the aggregates only: the figures stay when the events are gone", async () => {
    const before = await readCounts(db(), { periods: ["y2026", "m2026-07"], provinceCode: "14", communeCode: "*", dimension: "locale", metrics: ["people", "messages"] });
    await db().engagementEvent.deleteMany();
    expect(await readCounts(db(), { periods: ["y2026", "m2026-07"], provinceCode: "14", communeCode: "*", dimension: "locale", metrics: ["people", "messages"] })).toEqual(before);
    expect(before.length).toBeGreaterThan(0);
  });

  it("refuses period names where keys are expected, and a commune without its province", async () => {
    await expect(readCounts(db(), { periods: ["2026-H2"], metrics: ["people"] })).rejects.toThrow(StatsError);
    await expect(readCounts(db(), { periods: ["y2026"], communeCode: "14-mau-04", metrics: ["people"] })).rejects.toThrow(/needs its province/);
    await expect(readTop(db(), { period: "y2026", dimension: "commune", metric: "people", limit: 3 })).rejects.toThrow(StatsError);
    expect(await readCounts(db(), { periods: [], metrics: ["people"] })).toEqual([]);
  });
});
