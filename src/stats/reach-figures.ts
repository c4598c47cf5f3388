// The bot's reach in a period, read from the aggregates in the shapes the overview, the dashboard and the periodic
// report show: totals and one breakdown (topic, language, channel, campaign). Commune figures are read and
// protected in commune-figures.ts.
import type { DatabaseClient } from "../store/database.ts";
import type { ShownCount } from "./small-cells.ts";
import { readCounts, readVisits, type CountRow } from "./stats-query.ts";

/** What reach is measured in: người (people), lượt (visits, worked out from daily people) and the counted metrics. */
export const reachMetrics = ["people", "visits", "messages", "modules", "completers", "quiz_answers", "quiz_correct", "referrals", "emergencies", "opt_outs"] as const;

/** One reach metric. */
export type ReachMetric = (typeof reachMetrics)[number];

/** A value for every reach metric, zero when nothing was counted. */
export type ReachCounts = Record<ReachMetric, number>;

/**
 * Where to read: a province as a whole, or some of its communes. With communes, figures are the sum of theirs:
 * someone counted in two of them counts twice, and people who gave only their province are not in any commune.
 */
export type ReachPlace = { provinceCode: string; communeCodes?: readonly string[] };

/** The aggregates as the readers here use them. */
type Reader = Pick<DatabaseClient, "statsCount">;

const storedMetrics = reachMetrics.filter((metric) => metric !== "visits");

/** Zero for every metric: nothing counted. */
export function noReach(): ReachCounts {
  return { people: 0, visits: 0, messages: 0, modules: 0, completers: 0, quiz_answers: 0, quiz_correct: 0, referrals: 0, emergencies: 0, opt_outs: 0 };
}

/** Rows of the period's cells for the place and dimension, visits included. */
async function rowsOf(db: Reader, period: string, place: ReachPlace, dimension: string): Promise<CountRow[]> {
  const where = { periods: [period], provinceCode: place.provinceCode, dimension, ...(place.communeCodes === undefined ? {} : { communeCode: "*" }) };
  const rows = [...(await readCounts(db, { ...where, metrics: storedMetrics })), ...(await readVisits(db, where))];
  if (place.communeCodes === undefined) return rows;
  const communes = new Set(place.communeCodes);
  return rows.filter((row) => communes.has(row.communeCode));
}

function addRow(counts: ReachCounts, row: CountRow): void {
  const metric = reachMetrics.find((known) => known === row.metric);
  if (metric !== undefined) counts[metric] += row.count;
}

/** Every reach metric of a period (a stored key such as "h2026-2") at a place. */
export async function reachTotals(db: Reader, period: string, place: ReachPlace): Promise<ReachCounts> {
  const counts = noReach();
  for (const row of await rowsOf(db, period, place, "")) addRow(counts, row);
  return counts;
}

/** Every reach metric of a period at a place for each value of a dimension ("topic", "locale", "channel", "campaign"), by value. */
export async function reachBreakdown(db: Reader, period: string, place: ReachPlace, dimension: string): Promise<Array<{ value: string; counts: ReachCounts }>> {
  const byValue = new Map<string, ReachCounts>();
  for (const row of await rowsOf(db, period, place, dimension)) {
    const counts = byValue.get(row.value) ?? noReach();
    addRow(counts, row);
    byValue.set(row.value, counts);
  }
  return [...byValue.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([value, counts]) => ({ value, counts }));
}

/** Reach in one line of a view: người, lượt and messages delivered, each as shown. */
export type ReachLine = { people: ShownCount; visits: ShownCount; messages: ShownCount };

/** A province- or country-level line: exact, nothing hidden. */
export function reachLineOf(counts: ReachCounts): ReachLine {
  return { people: { kind: "count", value: counts.people }, visits: { kind: "count", value: counts.visits }, messages: { kind: "count", value: counts.messages } };
}
