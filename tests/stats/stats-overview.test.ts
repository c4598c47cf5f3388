import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PlaceIndex } from "../../src/places/place-index.ts";
import { compileIndicators, indicatorsFile, loadIndicators, type Indicator } from "../../src/stats/indicators.ts";
import type { ShownCount } from "../../src/stats/small-cells.ts";
import { buildOverview } from "../../src/stats/stats-overview.ts";
import { recordEngagement, type EngagementInput } from "../../src/stats/stats-recorder.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";
import { shippedPlaceIndex } from "../support/shipped-place-index.ts";

const contentDir = fileURLToPath(new URL("../../content/", import.meta.url));

const event = (pseudonym: string, day: string, values: Partial<EngagementInput> = {}): EngagementInput => ({
  kind: "content_delivered",
  occurredAt: new Date(`${day}T03:00:00Z`),
  pseudonym,
  channel: "zalo-oa",
  locale: "hmn",
  provinceCode: "14",
  communeCode: "14-mau-04",
  topic: "violence",
  ...values,
});

const text = (count: ShownCount | undefined) => (count === undefined ? undefined : count.kind === "count" ? count.value : count.kind === "small" ? "<5" : "ẩn");

describe.each(databaseKinds)("the statistics overview on %s", (kind) => {
  let test: TestDatabase;
  let places: PlaceIndex;
  let indicators: Indicator[];

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    places = await shippedPlaceIndex();
    indicators = await loadIndicators(indicatorsFile(contentDir));
    const events = [
      ...Array.from({ length: 8 }, (_, index) => event(`bu${index}`, "2026-07-10")),
      ...Array.from({ length: 6 }, (_, index) => event(`bu${index}`, "2026-09-10", { locale: "vi", channel: "telegram" })),
      event("bu0", "2026-09-10", { kind: "emergency_answered", topic: null }),
      ...Array.from({ length: 12 }, (_, index) => event(`la${index}`, "2026-08-10", { communeCode: "14-mau-05", locale: "vi" })),
    ];
    await test.database.client.$transaction((tx) => recordEngagement(tx, events, { indicators: compileIndicators(indicators) }));
  });
  afterEach(async () => {
    await test.drop();
  });

  const overviewOf = (scope: Parameters<typeof buildOverview>[1]["scope"]) => buildOverview({ db: test.database.client, places, indicators, threshold: 5 }, { period: "2026-H2", provinceCode: "14", scope });
  const metric = (overview: Awaited<ReturnType<typeof overviewOf>>, name: string) => text(overview.reach.find((item) => item.metric === name)?.count);

  it("gives a province every reach metric exactly, with its months, languages and channels", async () => {
    const overview = await overviewOf({ kind: "province" });
    expect([metric(overview, "people"), metric(overview, "visits"), metric(overview, "messages"), metric(overview, "emergencies")]).toEqual([20, 26, 26, 1]);
    expect(overview.months.map((month) => [month.period, text(month.people)])).toEqual([
      ["m2026-07", 8],
      ["m2026-08", 12],
      ["m2026-09", 6],
      ["m2026-10", 0],
      ["m2026-11", 0],
      ["m2026-12", 0],
    ]);
    expect(overview.byLocale.map((line) => [line.value, text(line.people)])).toEqual([
      ["hmn", 8],
      ["vi", 18],
    ]);
    expect(overview.byChannel.map((line) => [line.value, text(line.people)])).toEqual([
      ["telegram", 6],
      ["zalo-oa", 20],
    ]);
    expect(overview.byCommune.filter((line) => line.people.kind === "count" && line.people.value > 0).map((line) => line.name)).toEqual(["xã Mường Bú", "xã Mường La"]);
  });

  it("gives a commune team only its communes, and hides its small counts, an emergency among them", async () => {
    const overview = await overviewOf({ kind: "communes", communeCodes: ["14-mau-04"], teamId: "team-bu" });
    expect(overview.scope).toBe("communes");
    expect([metric(overview, "people"), metric(overview, "visits"), metric(overview, "emergencies")]).toEqual([8, 14, "<5"]);
    expect(overview.byCommune.map((line) => line.communeCode)).toEqual(["14-mau-04"]);
    expect(overview.byLocale.map((line) => [line.value, text(line.people)])).toEqual([
      ["hmn", 8],
      ["vi", 6],
    ]);
    expect(overview.months.map((month) => text(month.people))).toEqual([8, 0, 6, 0, 0, 0]);
  });
});
