// The one way to read statistics: counts straight from the StatsCount aggregates, so a report reads a few
// rows by primary key however many engagement events there are. Nothing here reads EngagementEvent.
import type { DatabaseTransaction } from "../store/database.ts";
import { isPeriodKey, periodKeys, type PeriodKind } from "./periods.ts";
import { visitsMetric } from "./stats-cells.ts";
import { StatsError } from "./stats-error.ts";

/** Anything that can read the aggregates: the client, or a transaction. */
export type StatsReader = Pick<DatabaseTransaction, "statsCount">;

/**
 * Which counts to read. `periods` are stored keys ("h2026-2"; see `periodKeys`). No `provinceCode` reads the
 * whole country; a `provinceCode` without `communeCode` the whole province; `communeCode: "*"` every commune of
 * the province, one row each. No (or an empty) `dimension` reads totals; a dimension one row per value.
 */
export type CountQuery = {
  periods: readonly string[];
  provinceCode?: string;
  communeCode?: string;
  dimension?: string;
  metrics: readonly string[];
};

/** One stored count; rows that would be zero are absent. */
export type CountRow = { period: string; provinceCode: string; communeCode: string; dimension: string; value: string; metric: string; count: number };

export { visitsMetric };

function checkPeriods(periods: readonly string[]): void {
  const bad = periods.filter((period) => !isPeriodKey(period));
  if (bad.length > 0) {
    throw new StatsError(`Not period keys: ${bad.join(", ")} (pass keys such as h2026-2; periodKeys() builds them)`, "stats:invalid-period", { context: { periods: bad } });
  }
}

/** The place part of the filter: "" is "all" in the aggregates, so the country is province "" and commune "". */
function placeFilter(query: { provinceCode?: string; communeCode?: string }): { provinceCode: string; communeCode: string | { not: string } } {
  if (query.provinceCode === undefined || query.provinceCode === "") {
    if (query.communeCode !== undefined && query.communeCode !== "") {
      throw new StatsError("A commune query needs its province", "stats:invalid-query", { context: { communeCode: query.communeCode } });
    }
    return { provinceCode: "", communeCode: "" };
  }
  if (query.communeCode === "*") return { provinceCode: query.provinceCode, communeCode: { not: "" } };
  return { provinceCode: query.provinceCode, communeCode: query.communeCode ?? "" };
}

/**
 * Reads stored counts for the given periods, place and dimension, ordered by the primary key (period, place,
 * dimension, value, metric). Each filter is an equality on the key's leading columns, so the read is a handful of
 * index range scans whose size depends on the number of places and values, never on the number of events.
 */
export async function readCounts(db: StatsReader, query: CountQuery): Promise<CountRow[]> {
  checkPeriods(query.periods);
  if (query.periods.length === 0 || query.metrics.length === 0) return [];
  return db.statsCount.findMany({
    where: { period: { in: [...query.periods] }, ...placeFilter(query), dimension: query.dimension ?? "", metric: { in: [...query.metrics] } },
    orderBy: [{ period: "asc" }, { provinceCode: "asc" }, { communeCode: "asc" }, { dimension: "asc" }, { value: "asc" }, { metric: "asc" }],
  });
}

/**
 * "Lượt" (visits) for each period: the sum over its days of the unique people reached that day, so a woman who
 * read messages on three days counts three times and twice on one day counts once. Rows carry metric "visits", in
 * the order of `periods` and then of the key. A day's lượt is its people; longer periods store their sum as it
 * grows (see `visitsOf`), so this reads one row per cell, like `readCounts`.
 */
export async function readVisits(db: StatsReader, query: Omit<CountQuery, "metrics">): Promise<CountRow[]> {
  checkPeriods(query.periods);
  const days = query.periods.filter((period) => period.startsWith("d"));
  const longer = query.periods.filter((period) => !period.startsWith("d"));
  const rows = [...(await readCounts(db, { ...query, periods: days, metrics: ["people"] })), ...(await readCounts(db, { ...query, periods: longer, metrics: [visitsMetric] }))];
  const order = new Map(query.periods.map((period, index) => [period, index]));
  return rows
    .map((row) => ({ ...row, metric: visitsMetric }))
    .sort((a, b) => (order.get(a.period) ?? 0) - (order.get(b.period) ?? 0) || compareText(placeKey(a), placeKey(b)));
}

const placeKey = (row: CountRow) => [row.provinceCode, row.communeCode, row.dimension, row.value].join("\u0000");
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One point of a series: a period key and its value for each metric asked for (0 when nothing was counted). */
export type SeriesPoint = { period: string; values: Record<string, number> };

/**
 * A time series for charts: the months (or days) of `within` (a period name or key such as "2026-H2"), each
 * with every metric asked for, zeros included, for one place and no breakdown. "visits" may be asked for with
 * the stored metrics.
 */
export async function readSeries(
  db: StatsReader,
  query: { within: string; step: Extract<PeriodKind, "day" | "month">; provinceCode?: string; communeCode?: string; metrics: readonly string[] },
): Promise<SeriesPoint[]> {
  if (query.communeCode === "*") throw new StatsError("A series is for one place; read every commune with readCounts", "stats:invalid-query");
  const keys = periodKeys(query.step, query.within);
  const place = { ...(query.provinceCode === undefined ? {} : { provinceCode: query.provinceCode }), ...(query.communeCode === undefined ? {} : { communeCode: query.communeCode }) };
  const stored = query.metrics.filter((metric) => metric !== visitsMetric);
  const counts = await readCounts(db, { periods: keys, ...place, metrics: stored });
  const visits = query.metrics.includes(visitsMetric) ? await readVisits(db, { periods: keys, ...place }) : [];
  const points = new Map(keys.map((key) => [key, Object.fromEntries(query.metrics.map((metric) => [metric, 0]))]));
  for (const row of [...counts, ...visits]) {
    const values = points.get(row.period);
    if (values !== undefined) values[row.metric] = row.count;
  }
  return keys.map((period) => ({ period, values: points.get(period) ?? {} }));
}

/** One value of a breakdown with its count. */
export type RankedValue = { value: string; count: number };

/**
 * The `limit` values of a dimension with the highest count of `metric` in one period and place (topics by people
 * reached, campaigns by messages, languages, …), highest first, ties by value. With `communeCode: "*"` the
 * dimension may be "commune": communes of the province ranked by their totals.
 */
export async function readTop(
  db: StatsReader,
  query: { period: string; provinceCode?: string; communeCode?: string; dimension: string; metric: string; limit: number },
): Promise<RankedValue[]> {
  const byCommune = query.dimension === "commune";
  if (byCommune !== (query.communeCode === "*") || (byCommune && query.provinceCode === undefined)) {
    throw new StatsError('Communes are ranked with dimension "commune", a province and communeCode "*", and only so', "stats:invalid-query", {
      context: { dimension: query.dimension, communeCode: query.communeCode },
    });
  }
  const place = { ...(query.provinceCode === undefined ? {} : { provinceCode: query.provinceCode }), ...(query.communeCode === undefined ? {} : { communeCode: query.communeCode }) };
  const rows =
    query.metric === visitsMetric
      ? await readVisits(db, { periods: [query.period], ...place, dimension: byCommune ? "" : query.dimension })
      : await readCounts(db, { periods: [query.period], ...place, dimension: byCommune ? "" : query.dimension, metrics: [query.metric] });
  return rows
    .map((row) => ({ value: byCommune ? row.communeCode : row.value, count: row.count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, query.limit);
}
