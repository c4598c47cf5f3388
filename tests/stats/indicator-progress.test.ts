import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PlaceIndex } from "../../src/places/place-index.ts";
import { indicatorProgress, type IndicatorProgress } from "../../src/stats/indicator-progress.ts";
import { compileIndicators, indicatorsFile, loadIndicators, type Indicator } from "../../src/stats/indicators.ts";
import { recordEngagement, type EngagementInput } from "../../src/stats/stats-recorder.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";
import { shippedPlaceIndex } from "../support/shipped-place-index.ts";

const contentDir = fileURLToPath(new URL("../../content/", import.meta.url));

/** An event in Sơn La on a local day of 2026 (10:00 in Viet Nam). */
const event = (pseudonym: string, day: string, values: Partial<EngagementInput> = {}): EngagementInput => ({
  kind: "content_delivered",
  occurredAt: new Date(`${day}T03:00:00Z`),
  pseudonym,
  channel: "zalo-bot",
  locale: "vi",
  provinceCode: "14",
  communeCode: "14-mau-04",
  topic: "safe-birth",
  ...values,
});

describe.each(databaseKinds)("indicator progress on %s", (kind) => {
  let test: TestDatabase;
  let places: PlaceIndex;
  let indicators: Indicator[];

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    places = await shippedPlaceIndex();
    indicators = await loadIndicators(indicatorsFile(contentDir));
  });
  afterEach(async () => {
    await test.drop();
  });

  const record = (events: EngagementInput[], declared: readonly Indicator[] = indicators) =>
    test.database.client.$transaction((tx) => recordEngagement(tx, events, { indicators: compileIndicators(declared) }));
  const target = (indicatorId: string, communeCode: string, year: number, population: number) =>
    test.database.client.indicatorTarget.create({ data: { indicatorId, communeCode, provinceCode: "14", year, population, updatedBy: "son-la", updatedAt: new Date() } });
  const progressOf = (all: IndicatorProgress[], id: string) => {
    const found = all.find((progress) => progress.indicator.id === id);
    if (found === undefined) throw new Error(`no progress for ${id}`);
    return found;
  };
  const commune = (progress: IndicatorProgress, code: string) => progress.communes.find((item) => item.communeCode === code);

  it("counts people toward each indicator per commune, against the population entered for the period's year", async () => {
    await record([
      ...["a", "b", "c", "d", "e", "f"].map((pseudonym) => event(pseudonym, "2026-08-03")),
      event("a", "2026-09-10", { kind: "quiz_answered", detail: { correct: true } }),
      event("g", "2026-08-03", { communeCode: "14-mau-05", kind: "campaign_delivered" }),
      event("h", "2026-08-03", { communeCode: "14-mau-05" }),
      event("i", "2026-08-04", { communeCode: null }),
      event("j", "2026-05-04"),
      event("k", "2026-08-04", { topic: "child-marriage" }),
    ]);
    await target("safe-birth-reach", "14-mau-04", 2026, 10);
    await target("safe-birth-reach", "14-mau-05", 2025, 40);

    const all = await indicatorProgress({ db: test.database.client, indicators, places }, { period: "2026-H2", provinceCode: "14" });
    const safeBirth = progressOf(all, "safe-birth-reach");
    expect(safeBirth.year).toBe(2026);
    expect(commune(safeBirth, "14-mau-04")).toEqual({ communeCode: "14-mau-04", reached: 6, population: 10, percent: 60 });
    expect(commune(safeBirth, "14-mau-05")).toEqual({ communeCode: "14-mau-05", reached: 2, population: null, percent: null });
    expect(commune(safeBirth, "14-mau-08")).toEqual({ communeCode: "14-mau-08", reached: 0, population: null, percent: null });
    expect(safeBirth.communes.map((item) => item.communeCode)).toEqual(places.communesOf("14").map((item) => item.code));
    // The province figure counts "i", who gave no commune; the percentage only the communes with a target.
    expect(safeBirth.total).toEqual({ reached: 9, population: 10, percent: 60, communesWithoutTarget: 9 });

    const childMarriage = progressOf(all, "child-marriage-consanguinity-reach");
    expect(commune(childMarriage, "14-mau-04")).toEqual({ communeCode: "14-mau-04", reached: 1, population: null, percent: null });
    expect(childMarriage.total).toEqual({ reached: 1, population: null, percent: null, communesWithoutTarget: 0 });

    const nextYear = progressOf(await indicatorProgress({ db: test.database.client, indicators, places }, { period: "2027", provinceCode: "14" }), "safe-birth-reach");
    expect(nextYear.total).toEqual({ reached: 0, population: null, percent: null, communesWithoutTarget: 10 });
  });

  it("counts an indicator in lượt as daily people added up over the period's days", async () => {
    await record([
      event("a", "2026-10-01", { kind: "help_shown", topic: null }),
      event("a", "2026-10-01", { kind: "help_shown", topic: null, occurredAt: new Date("2026-10-01T09:00:00Z") }),
      event("a", "2026-10-02", { kind: "help_shown", topic: null }),
      event("b", "2026-10-02", { kind: "help_shown", topic: null }),
      event("c", "2026-10-02", { kind: "emergency_answered", topic: null }),
    ]);
    const referrals = progressOf(await indicatorProgress({ db: test.database.client, indicators, places }, { period: "2026-Q4", provinceCode: "14" }), "trusted-address-referrals");
    expect(commune(referrals, "14-mau-04")?.reached).toBe(3);
    expect(referrals.total.reached).toBe(3);
  });

  it("lists only the communes asked for, and totals over them", async () => {
    await record([event("a", "2026-08-03"), event("b", "2026-08-03", { communeCode: "14-mau-05" })]);
    await target("safe-birth-reach", "14-mau-04", 2026, 4);
    const safeBirth = progressOf(await indicatorProgress({ db: test.database.client, indicators, places }, { period: "2026", provinceCode: "14", communeCodes: ["14-mau-04"] }), "safe-birth-reach");
    expect(safeBirth.communes).toEqual([{ communeCode: "14-mau-04", reached: 1, population: 4, percent: 25 }]);
    expect(safeBirth.total).toEqual({ reached: 1, population: 4, percent: 25, communesWithoutTarget: 0 });
  });

  it("counts toward a province's own indicator added to a copy of the indicators file, from events to progress", async () => {
    const folder = await mkdtemp(join(tmpdir(), "loa-own-indicator-"));
    try {
      const file = join(folder, "indicators.yaml");
      await writeFile(
        file,
        `${await readFile(indicatorsFile(contentDir), "utf8")}
  pregnant-women-safe-birth:
    name: { vi: Phụ nữ mang thai được tuyên truyền về sinh đẻ an toàn, en: Pregnant women reached on safe childbirth }
    description: { vi: Người tự cho biết đang mang thai và đã nhận nội dung về sinh đẻ an toàn., en: People who said they are pregnant and received safe-childbirth content. }
    numerator: { kinds: [content_delivered, campaign_delivered], topics: [safe-birth], groups: { pregnant: "yes" } }
    unit: người
    denominator: { vi: Số phụ nữ mang thai, en: Pregnant women }
    target: 90
    sources: [{ plan: Kế hoạch của tỉnh, quote: "90% phụ nữ mang thai được tuyên truyền về sinh đẻ an toàn." }]
`,
      );
      const own = await loadIndicators(file);
      await record(
        [event("a", "2026-08-03", { groups: { pregnant: "yes" } }), event("b", "2026-08-03", { groups: { pregnant: "no" } }), event("c", "2026-08-03")],
        own,
      );
      await target("pregnant-women-safe-birth", "14-mau-04", 2026, 2);
      const progress = progressOf(await indicatorProgress({ db: test.database.client, indicators: own, places }, { period: "2026-H2", provinceCode: "14" }), "pregnant-women-safe-birth");
      expect(progress.indicator.target).toBe(90);
      expect(commune(progress, "14-mau-04")).toEqual({ communeCode: "14-mau-04", reached: 1, population: 2, percent: 50 });
      expect(commune(progressOf(await indicatorProgress({ db: test.database.client, indicators: own, places }, { period: "2026-H2", provinceCode: "14" }), "safe-birth-reach"), "14-mau-04")?.reached).toBe(3);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
