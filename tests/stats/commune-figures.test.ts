import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PlaceIndex } from "../../src/places/place-index.ts";
import { readCommuneFigures, type CommuneFigures, type FigureKey } from "../../src/stats/commune-figures.ts";
import { compileIndicators, indicatorsFile, loadIndicators, type Indicator } from "../../src/stats/indicators.ts";
import type { ShownCount } from "../../src/stats/small-cells.ts";
import { recordEngagement, type EngagementInput } from "../../src/stats/stats-recorder.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";
import { shippedPlaceIndex } from "../support/shipped-place-index.ts";

const contentDir = fileURLToPath(new URL("../../content/", import.meta.url));

/** `count` people of a commune reached on a topic on one day of 2026. */
const reached = (communeCode: string, topic: string, month: number, day: number, count: number, from = 0): EngagementInput[] =>
  Array.from({ length: count }, (_, index) => ({
    kind: "content_delivered",
    occurredAt: new Date(Date.UTC(2026, month - 1, day, 3)),
    pseudonym: `${communeCode}-${from + index}`,
    channel: "telegram",
    locale: "vi",
    provinceCode: "14",
    communeCode,
    topic,
  }));

const text = (count: ShownCount) => (count.kind === "count" ? count.value : count.kind === "small" ? "<5" : "ẩn");
const visits = (value: string): FigureKey => ({ dimension: "series", value, metric: "visits" });
const total = (metric: string): FigureKey => ({ dimension: "", value: "", metric });
const safeBirth: FigureKey = { dimension: "indicator", value: "safe-birth-reach", metric: "people" };

describe.each(databaseKinds)("a province's protected commune figures on %s", (kind) => {
  let test: TestDatabase;
  let places: PlaceIndex;
  let indicators: Indicator[];
  let figures: CommuneFigures;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    places = await shippedPlaceIndex();
    indicators = await loadIndicators(indicatorsFile(contentDir));
    // Mường Bú (04): 3 people on 2 July, 20 others on 5 August. Mường La (05): 30 in August. Chiềng Hoa (06): 10
    // in September, Thuận Châu (07): 12 in September. Only Mường Bú and Mường La have a target population.
    const events = [
      ...reached("14-mau-04", "safe-birth", 7, 2, 3),
      ...reached("14-mau-04", "safe-birth", 8, 5, 20, 3),
      ...reached("14-mau-05", "safe-birth", 8, 6, 30),
      ...reached("14-mau-06", "safe-birth", 9, 6, 10),
      ...reached("14-mau-07", "safe-birth", 9, 7, 12),
    ];
    await test.database.client.$transaction((tx) => recordEngagement(tx, events, { indicators: compileIndicators(indicators) }));
    for (const [communeCode, population] of [["14-mau-04", 40], ["14-mau-05", 60]] as const) {
      await test.database.client.indicatorTarget.create({ data: { indicatorId: "safe-birth-reach", communeCode, provinceCode: "14", year: 2026, population, updatedBy: "test", updatedAt: new Date() } });
    }
    figures = await readCommuneFigures({ db: test.database.client, places, indicators, threshold: 5 }, { period: "2026-H2", provinceCode: "14" });
  });
  afterEach(async () => {
    await test.drop();
  });

  it("lists every commune of the province, in code order, and the months of the period", () => {
    expect(figures.communeCodes.slice(0, 3)).toEqual(["14-mau-01", "14-mau-02", "14-mau-03"]);
    expect(figures.values("series")).toEqual(["m2026-07", "m2026-08", "m2026-09", "m2026-10", "m2026-11", "m2026-12"]);
    expect(figures.values("topic", ["14-mau-04"])).toEqual(["safe-birth"]);
  });

  it("withholds a second lượt of a commune's months, since they add up to the half-year's", () => {
    const months = figures.values("series").map((month) => text(figures.shown(["14-mau-04"], visits(month))));
    const half = text(figures.shown(["14-mau-04"], total("visits")));
    // July's 3 are small; August's 20 and the half-year's 23 would give them back, so one of those is withheld too.
    expect(months[0]).toBe("<5");
    expect([half, ...months].filter((value) => value === "<5" || value === "ẩn").length).toBeGreaterThanOrEqual(2);
    expect([months[1], half]).toContain("ẩn");
  });

  it("takes a hidden indicator count's partner from the communes with a target, so the province's percentage gives nothing away", async () => {
    const db = test.database.client;
    await db.$transaction(async (tx) => recordEngagement(tx, [...reached("14-mau-09", "safe-birth", 10, 1, 3), ...reached("14-mau-10", "safe-birth", 10, 2, 30)], { indicators: compileIndicators(indicators) }));
    for (const communeCode of ["14-mau-09", "14-mau-10"]) {
      await db.indicatorTarget.create({ data: { indicatorId: "safe-birth-reach", communeCode, provinceCode: "14", year: 2026, population: 50, updatedBy: "test", updatedAt: new Date() } });
    }
    const read = await readCommuneFigures({ db, places, indicators, threshold: 5 }, { period: "2026-H2", provinceCode: "14" });
    const shown = Object.fromEntries(["14-mau-04", "14-mau-05", "14-mau-06", "14-mau-07", "14-mau-09", "14-mau-10"].map((code) => [code, text(read.shown([code], safeBirth))]));
    // Sốp Cộp's 3 are small. The smallest other count is Chiềng Hoa's 10, but it has no target: hiding it would
    // leave Sốp Cộp alone hidden among the communes with one, whose sum the province's percentage gives away. So
    // the partner is Mường Bú's 23, the smallest with a target.
    expect(shown).toEqual({ "14-mau-04": "ẩn", "14-mau-05": 30, "14-mau-06": 10, "14-mau-07": 12, "14-mau-09": "<5", "14-mau-10": 30 });
    expect(text(read.shown(["14-mau-04", "14-mau-05", "14-mau-09", "14-mau-10"], safeBirth))).toBe(86);
  });

  it("shows a sum of communes only when it cannot single out a hidden one", () => {
    const july: FigureKey = { dimension: "series", value: "m2026-07", metric: "people" };
    // July: only Mường Bú has anyone (3), so the sum over it and Mường La is small itself.
    expect(text(figures.shown(["14-mau-04", "14-mau-05"], july))).toBe("<5");
    // Visits in the half-year: Mường Bú's 23 are shown, and so is a sum with no hidden cell in it.
    expect(text(figures.shown(["14-mau-06", "14-mau-07"], total("visits")))).toBe(22);
    // Messages go with their people.
    expect(text(figures.shown(["14-mau-06"], total("messages")))).toBe(10);
  });

  it("withholds a sum holding exactly one hidden commune figure", async () => {
    await test.database.client.$transaction((tx) => recordEngagement(tx, reached("14-mau-08", "violence", 10, 1, 2), { indicators: compileIndicators(indicators) }));
    const withSmall = await readCommuneFigures({ db: test.database.client, places, indicators, threshold: 5 }, { period: "2026-H2", provinceCode: "14" });
    const people = total("people");
    const hidden = withSmall.communeCodes.filter((code) => withSmall.shown([code], people).kind !== "count");
    // Sông Mã's 2 are small and one other commune is withheld with them.
    expect(hidden).toHaveLength(2);
    expect(hidden).toContain("14-mau-08");
    const shownCommune = withSmall.communeCodes.find((code) => !hidden.includes(code) && withSmall.valueOf(code, people) > 0) ?? "";
    expect(text(withSmall.shown(["14-mau-08", shownCommune], people))).toBe("ẩn");
    expect(text(withSmall.shown(hidden, people))).not.toBe("ẩn");
  });
});
