// Random engagement for statistics tests, and an independent brute-force recount of every aggregate cell from the
// stored EngagementEvent rows, written the plain way (sets of pseudonyms, running sums) to check the recorder by.
import type { CompiledIndicator } from "../../src/stats/indicators.ts";
import { parsePeriod, periodKeysOf } from "../../src/stats/periods.ts";
import type { EngagementInput } from "../../src/stats/stats-recorder.ts";
import type { DatabaseClient } from "../../src/store/database.ts";

/** A small seeded PRNG (mulberry32), so a failing random case can be run again from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const kinds = [
  "content_delivered",
  "content_delivered",
  "content_delivered",
  "content_delivered",
  "campaign_delivered",
  "campaign_delivered",
  "module_completed",
  "quiz_answered",
  "quiz_answered",
  "help_shown",
  "emergency_answered",
  "opted_out",
  "blocked_bot",
  "consent_recorded",
  "session_expired",
];
const places: Array<[string | null, string | null]> = [
  ["14", "14-mau-04"],
  ["14", "14-mau-05"],
  ["14", null],
  ["51", "51-tra-01"],
  ["51", "51-tra-02"],
  [null, null],
];
const topics = ["safe-birth", "child-marriage", "consanguinity", "violence", null];
const campaigns: Array<{ id: string; teamId: string | null }> = [
  { id: "camp-1", teamId: "team-a" },
  { id: "camp-2", teamId: "team-b" },
  { id: "camp-3", teamId: null },
];

/** A person across deletions: after she deletes her data she comes back under a new pseudonym. */
type Person = { pseudonym: string; place: [string | null, string | null]; locale: string | null; channel: string; groups: Record<string, string> };

/** Events of the random set, in the order and transactions they are recorded in. */
export type RandomEngagement = { batches: EngagementInput[][]; events: number; deletions: number };

/**
 * `count` random events of `people` people over the days around 1 July 2026 (local midnight crossings included),
 * split into batches of 1–6 events (one transaction each). About one event in thirty is a deletion, after which
 * that person writes on under a new pseudonym, as a returning person would.
 */
export function randomEngagement(seed: number, count: number, people: number): RandomEngagement {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  let pseudonyms = 0;
  const newPerson = (): Person => ({
    pseudonym: `ps-${seed}-${(pseudonyms += 1)}`,
    place: pick(places),
    locale: pick(["vi", "hmn", "tha", null]),
    channel: pick(["telegram", "zalo-bot"]),
    groups: random() < 0.4 ? { pregnant: "yes" } : random() < 0.5 ? { pregnant: "no" } : {},
  });
  const everyone = Array.from({ length: people }, newPerson);
  // 25 June to 6 July local time; a quarter of the events fall within a minute of a local midnight.
  const start = Date.parse("2026-06-24T17:00:00Z");
  const instant = () => {
    const day = Math.floor(random() * 12);
    const nearMidnight = random() < 0.25;
    const offset = nearMidnight ? (random() < 0.5 ? 60_000 * random() : 86_400_000 - 60_000 * random()) : 86_400_000 * random();
    return new Date(start + day * 86_400_000 + Math.floor(offset));
  };
  const batches: EngagementInput[][] = [];
  let deletions = 0;
  let events = 0;
  while (events < count) {
    const size = Math.min(count - events, 1 + Math.floor(random() * 6));
    const batch: EngagementInput[] = [];
    for (let index = 0; index < size; index += 1) {
      const slot = Math.floor(random() * everyone.length);
      const person = everyone[slot] as Person;
      const deletes = random() < 1 / 30;
      const kind = deletes ? "data_deleted" : pick(kinds);
      const campaign = kind === "campaign_delivered" ? pick(campaigns) : undefined;
      const topic = pick(topics);
      batch.push({
        kind,
        occurredAt: instant(),
        pseudonym: person.pseudonym,
        channel: person.channel,
        locale: person.locale,
        provinceCode: person.place[0],
        communeCode: person.place[1],
        topic: kind === "help_shown" || kind === "data_deleted" ? null : topic,
        detail: kind === "quiz_answered" ? { quizId: "q1", correct: random() < 0.5 } : {},
        teamId: campaign === undefined ? pick(["team-a", "team-b", null]) : campaign.teamId,
        campaignId: campaign?.id ?? null,
        groups: person.groups,
      });
      if (deletes) {
        deletions += 1;
        everyone[slot] = newPerson();
      }
    }
    events += batch.length;
    batches.push(batch);
  }
  return { batches, events, deletions };
}

/** A cell and metric as one map key. */
const keyOf = (period: string, provinceCode: string, communeCode: string, dimension: string, value: string, metric: string) =>
  [period, provinceCode, communeCode, dimension, value, metric].join("\u0001");

const addedMetrics: Record<string, string> = {
  content_delivered: "messages",
  campaign_delivered: "messages",
  module_completed: "modules",
  quiz_answered: "quiz_answers",
  help_shown: "referrals",
  emergency_answered: "emergencies",
  opted_out: "opt_outs",
  blocked_bot: "opt_outs",
  data_deleted: "deletions",
  consent_recorded: "consents",
};

/**
 * Every cell's expected count, recounted from the stored events: unique metrics as the size of a set of
 * pseudonyms, the others as sums. `unique: false` counts every event instead of every person, which is what a
 * recorder without its uniqueness check would store; tests use it to show the data can tell the two apart.
 */
export async function recount(db: DatabaseClient, indicators: readonly CompiledIndicator[], options: { unique: boolean } = { unique: true }): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  const people = new Map<string, Set<string>>();
  const addPerson = (key: string, pseudonym: string, eventId: number) => {
    const set = people.get(key) ?? new Set<string>();
    set.add(options.unique ? pseudonym : `${pseudonym}#${eventId}`);
    people.set(key, set);
  };
  for (const row of await db.engagementEvent.findMany({ orderBy: { id: "asc" } })) {
    const detail = JSON.parse(row.detail) as { correct?: boolean; campaignId?: string };
    const groups = JSON.parse(row.groups) as Record<string, string>;
    const campaignId = row.campaignId ?? detail.campaignId ?? null;
    const rowPlaces: Array<[string, string]> = [["", ""]];
    if (row.provinceCode !== null) rowPlaces.push([row.provinceCode, ""]);
    if (row.provinceCode !== null && row.communeCode !== null) rowPlaces.push([row.provinceCode, row.communeCode]);
    const breakdowns: Array<[string, string | null]> = [
      ["", ""],
      ["channel", row.channel],
      ["topic", row.topic],
      ["locale", row.locale],
      ["team", row.teamId],
      ["campaign", campaignId],
    ];
    const matching = indicators.filter((indicator) => indicator.matches({ kind: row.kind, topic: row.topic, channel: row.channel, locale: row.locale, groups }));
    for (const period of periodKeysOf(row.occurredAt)) {
      for (const [provinceCode, communeCode] of rowPlaces) {
        for (const [dimension, value] of breakdowns) {
          if (value === null) continue;
          const key = (metric: string) => keyOf(period, provinceCode, communeCode, dimension, value, metric);
          const added = addedMetrics[row.kind];
          if (added !== undefined) sums.set(key(added), (sums.get(key(added)) ?? 0) + 1);
          if (row.kind === "quiz_answered" && detail.correct === true) sums.set(key("quiz_correct"), (sums.get(key("quiz_correct")) ?? 0) + 1);
          if (row.kind === "content_delivered" || row.kind === "campaign_delivered") addPerson(key("people"), row.pseudonym, row.id);
          if (row.kind === "module_completed") addPerson(key("completers"), row.pseudonym, row.id);
        }
        for (const indicator of matching) addPerson(keyOf(period, provinceCode, communeCode, "indicator", indicator.id, "people"), row.pseudonym, row.id);
      }
    }
  }
  for (const [key, set] of people) {
    sums.set(key, set.size);
    // Lượt of a month, quarter, half-year and year: the day's people added up.
    const [period = "", provinceCode = "", communeCode = "", dimension = "", value = "", metric = ""] = key.split("\u0001");
    if (!period.startsWith("d") || metric !== "people") continue;
    for (const longer of periodKeysOf(parsePeriod(period).start).slice(1)) {
      const visits = keyOf(longer, provinceCode, communeCode, dimension, value, "visits");
      sums.set(visits, (sums.get(visits) ?? 0) + set.size);
    }
  }
  return sums;
}

/** Every stored StatsCount row as a map key → count (the unfinished-rebuild marker excluded: it is not a cell). */
export async function storedCounts(db: DatabaseClient): Promise<Map<string, number>> {
  const rows = await db.statsCount.findMany({ where: { period: { not: "" } } });
  return new Map(rows.map((row) => [keyOf(row.period, row.provinceCode, row.communeCode, row.dimension, row.value, row.metric), row.count]));
}

/** The cells where two counts differ, readable in a failure message; empty when they agree. */
export function differences(expected: ReadonlyMap<string, number>, actual: ReadonlyMap<string, number>): string[] {
  const keys = new Set([...expected.keys(), ...actual.keys()]);
  return [...keys].filter((key) => (expected.get(key) ?? 0) !== (actual.get(key) ?? 0)).map((key) => `${key.split("\u0001").join(" ")}: expected ${expected.get(key) ?? 0}, stored ${actual.get(key) ?? 0}`);
}
