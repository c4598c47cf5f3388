import { describe, expect, it } from "vitest";
import type { CompiledIndicator } from "../../src/stats/indicators.ts";
import { cellKey, cellOfKey, cellsOf, statsEventOf, visitsOf, type StatsEvent } from "../../src/stats/stats-cells.ts";
import { StatsError } from "../../src/stats/stats-error.ts";

const event: StatsEvent = {
  kind: "content_delivered",
  occurredAt: new Date("2026-11-26T03:00:00Z"),
  pseudonym: "p-1",
  channel: "telegram",
  locale: "hmn",
  provinceCode: "14",
  communeCode: "14-mau-04",
  topic: "safe-birth",
  teamId: "team-a",
  campaignId: "camp-1",
  groups: { pregnant: "yes" },
  correct: false,
};

const safeBirthPregnant: CompiledIndicator = {
  id: "safe-birth-pregnant",
  matches: (candidate) => candidate.topic === "safe-birth" && candidate.groups["pregnant"] === "yes",
};
const anyQuiz: CompiledIndicator = { id: "quiz-takers", matches: (candidate) => candidate.kind === "quiz_answered" };

const periods = ["d2026-11-26", "m2026-11", "q2026-4", "h2026-2", "y2026"];
const places = [
  ["", ""],
  ["14", ""],
  ["14", "14-mau-04"],
];

describe("cells of an event", () => {
  it("counts delivered content in every place level × breakdown × period, as messages and as a person", () => {
    const cells = cellsOf(event, []);
    const breakdowns = [
      ["", ""],
      ["channel", "telegram"],
      ["topic", "safe-birth"],
      ["locale", "hmn"],
      ["team", "team-a"],
      ["campaign", "camp-1"],
    ];
    const expected = places.flatMap(([provinceCode, communeCode]) =>
      periods.flatMap((period) => breakdowns.map(([dimension, value]) => ({ period, provinceCode, communeCode, dimension, value }))),
    );
    expect(cells.counted).toHaveLength(90);
    expect(cells.counted.map(({ key: _key, ...cell }) => cell)).toEqual(expect.arrayContaining(expected.map((cell) => ({ ...cell, metric: "messages", count: 1 }))));
    expect(cells.people.map(({ key: _key, ...cell }) => cell)).toEqual(expect.arrayContaining(expected.map((cell) => ({ ...cell, metric: "people" }))));
    expect([...cells.counted, ...cells.people].every((cell) => cell.key === cellKey(cell, cell.metric))).toBe(true);
    expect(cells.people).toHaveLength(90);
    expect(new Set(cells.people.map((cell) => cell.key)).size).toBe(90);
    expect(cells.people).toContainEqual(expect.objectContaining({ key: "y2026|14|14-mau-04|topic|safe-birth", metric: "people" }));
  });

  it("counts her once in each matching indicator, as people only", () => {
    const cells = cellsOf(event, [safeBirthPregnant, anyQuiz]);
    const indicatorCells = cells.people.filter((cell) => cell.dimension === "indicator");
    expect(indicatorCells).toHaveLength(15);
    expect(new Set(indicatorCells.map((cell) => cell.value))).toEqual(new Set(["safe-birth-pregnant"]));
    expect(cells.counted.some((cell) => cell.dimension === "indicator")).toBe(false);
    expect(cellsOf({ ...event, groups: {} }, [safeBirthPregnant]).people.some((cell) => cell.dimension === "indicator")).toBe(false);
  });

  it("counts an event without a commune down to its province, and one without a province in the country only", () => {
    const province = cellsOf({ ...event, communeCode: null }, []);
    expect(new Set(province.counted.map((cell) => `${cell.provinceCode}/${cell.communeCode}`))).toEqual(new Set(["/", "14/"]));
    const country = cellsOf({ ...event, provinceCode: null }, []);
    expect(new Set(country.counted.map((cell) => `${cell.provinceCode}/${cell.communeCode}`))).toEqual(new Set(["/"]));
  });

  it("leaves out the breakdowns an event has no value for, but always counts its channel", () => {
    const bare = cellsOf({ ...event, topic: null, locale: null, teamId: null, campaignId: null }, []);
    expect(new Set(bare.counted.map((cell) => cell.dimension))).toEqual(new Set(["", "channel"]));
  });

  it("adds quiz_correct only for a right answer, and counts nobody as reached by a quiz", () => {
    const wrong = cellsOf({ ...event, kind: "quiz_answered" }, []);
    expect(new Set(wrong.counted.map((cell) => cell.metric))).toEqual(new Set(["quiz_answers"]));
    expect(wrong.people).toEqual([]);
    const right = cellsOf({ ...event, kind: "quiz_answered", correct: true }, [anyQuiz]);
    expect(right.counted.filter((cell) => cell.metric === "quiz_correct")).toHaveLength(90);
    expect(right.people.every((cell) => cell.dimension === "indicator" && cell.value === "quiz-takers")).toBe(true);
  });

  it("counts a completed module as a module and its completer, under a key of its own", () => {
    const cells = cellsOf({ ...event, kind: "module_completed" }, []);
    expect(new Set(cells.counted.map((cell) => cell.metric))).toEqual(new Set(["modules"]));
    expect(new Set(cells.people.map((cell) => cell.metric))).toEqual(new Set(["completers"]));
    expect(cells.people).toContainEqual(expect.objectContaining({ key: "d2026-11-26|||channel|telegram|completers" }));
  });

  it.each([
    ["help_shown", "referrals"],
    ["emergency_answered", "emergencies"],
    ["opted_out", "opt_outs"],
    ["blocked_bot", "opt_outs"],
    ["data_deleted", "deletions"],
    ["consent_recorded", "consents"],
    ["campaign_delivered", "messages"],
  ])("counts %s as %s", (kind, metric) => {
    expect(new Set(cellsOf({ ...event, kind }, []).counted.map((cell) => cell.metric))).toEqual(new Set([metric]));
  });

  it("adds a lượt to the month, quarter, half-year and year when she is first counted on a day", () => {
    const day = cellsOf(event, [safeBirthPregnant]).people.find((cell) => cell.period === "d2026-11-26" && cell.dimension === "topic" && cell.communeCode !== "");
    if (day === undefined) throw new Error("the event has a day cell by topic in its commune");
    const visits = visitsOf(day);
    expect(visits.map(({ period, metric, value, communeCode }) => [period, metric, value, communeCode])).toEqual([
      ["m2026-11", "visits", "safe-birth", "14-mau-04"],
      ["q2026-4", "visits", "safe-birth", "14-mau-04"],
      ["h2026-2", "visits", "safe-birth", "14-mau-04"],
      ["y2026", "visits", "safe-birth", "14-mau-04"],
    ]);
    expect(visits.every((visit) => visit.count === 1 && visit.key === cellKey(visit, "visits"))).toBe(true);
    const longer = cellsOf(event, []).people.filter((cell) => cell.period !== "d2026-11-26");
    expect(longer.flatMap(visitsOf)).toEqual([]);
    expect(cellsOf({ ...event, kind: "module_completed" }, []).people.flatMap(visitsOf)).toEqual([]);
  });

  it("counts nothing for kinds statistics do not report", () => {
    expect(cellsOf({ ...event, kind: "session_expired" }, [])).toEqual({ counted: [], people: [] });
  });

  it("keeps distinct cells apart in StatsPerson keys even when a value holds the separator", () => {
    const a = { period: "y2026", provinceCode: "14", communeCode: "", dimension: "team", value: "a|b" };
    const b = { ...a, value: "a", dimension: "team" };
    expect(cellKey(a, "people")).not.toBe(cellKey({ ...b, value: "a" }, "people"));
    expect(cellKey(a, "people")).not.toBe(cellKey(b, "b"));
    expect(cellKey({ ...a, value: "x%7Cy" }, "people")).not.toBe(cellKey({ ...a, value: "x|y" }, "people"));
  });

  it("reads a key back into its cell and metric", () => {
    const cell = { period: "h2026-2", provinceCode: "14", communeCode: "14-mau-04", dimension: "team", value: "tổ|100%" };
    expect(cellOfKey(cellKey(cell, "people"))).toEqual({ ...cell, metric: "people" });
    expect(cellOfKey(cellKey(cell, "completers"))).toEqual({ ...cell, metric: "completers" });
    expect(() => cellOfKey("y2026|14")).toThrow(StatsError);
  });
});

describe("reading a stored event", () => {
  const row = {
    id: 7,
    kind: "campaign_delivered",
    occurredAt: new Date("2026-07-01T00:00:00Z"),
    pseudonym: "p-7",
    channel: "zalo-bot",
    locale: "vi",
    provinceCode: "14",
    communeCode: "14-mau-04",
    topic: "violence",
    teamId: null,
    campaignId: null,
    detail: JSON.stringify({ campaignId: "camp-old", run: 1 }),
    groups: JSON.stringify({ pregnant: "yes", age: 30 }),
  };

  it("takes the campaign from detail for events stored before the campaign column, and keeps text groups only", () => {
    expect(statsEventOf(row)).toMatchObject({ campaignId: "camp-old", groups: { pregnant: "yes" }, correct: false });
    expect(statsEventOf({ ...row, campaignId: "camp-new" }).campaignId).toBe("camp-new");
    expect(statsEventOf({ ...row, kind: "quiz_answered", detail: '{"quizId":"q1","correct":true}' }).correct).toBe(true);
  });

  it("refuses unreadable JSON with a StatsError naming the row", () => {
    expect(() => statsEventOf({ ...row, detail: "{" })).toThrow(StatsError);
    expect(() => statsEventOf({ ...row, groups: "[]" })).toThrow(/Engagement event 7/);
  });
});
