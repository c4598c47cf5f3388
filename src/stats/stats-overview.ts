// The figures of the statistics overview for a province (or a commune team's communes) and a period: every reach
// metric, reach by topic, language, channel and commune, the months of the period, and in-person sessions. What the
// API's overview returns and the dashboard can draw; commune-level figures are protected.
import type { PlaceLookup } from "../engine/place-lookup.ts";
import type { DatabaseClient } from "../store/database.ts";
import { findSessions, sessionTotals, type SessionCounts } from "./outreach-sessions.ts";
import { periodSummary, reportProvince, type PeriodSummary, type ReportScope } from "./period-report.ts";
import { noReach, protectReachLines, reachBreakdown, reachByCommune, reachLineOf, reachMetrics, reachTotals, type ReachCounts, type ReachLine, type ReachMetric } from "./reach-figures.ts";
import { protectCount, type ShownCount } from "./small-cells.ts";
import { readSeries } from "./stats-query.ts";

/** The overview of one place and period. */
export type StatsOverview = {
  province: { code: string; name: string };
  period: PeriodSummary;
  scope: ReportScope["kind"];
  threshold: number;
  /** Every reach metric, in `reachMetrics` order. */
  reach: Array<{ metric: ReachMetric; count: ShownCount }>;
  byTopic: Array<ReachLine & { value: string }>;
  byLocale: Array<ReachLine & { value: string }>;
  byChannel: Array<ReachLine & { value: string }>;
  byCommune: Array<ReachLine & { communeCode: string; name: string }>;
  /** The months of the period (its one month, for a month), people and visits in each. */
  months: Array<{ period: string; people: ShownCount; visits: ShownCount }>;
  /** In-person sessions (cuộc) and their participants, counted apart from the bot. */
  sessions: SessionCounts;
};

/** What the overview reads. */
export type OverviewDeps = { db: Pick<DatabaseClient, "statsCount" | "outreachSession">; places: PlaceLookup; threshold: number };

/**
 * Builds the overview. For a province every figure above the communes is exact; for a commune team's communes
 * (`scope.kind === "communes"`) every figure is commune-level, so small ones are hidden there too.
 */
export async function buildOverview(deps: OverviewDeps, query: { period: string; provinceCode: string; scope: ReportScope }): Promise<StatsOverview> {
  const period = periodSummary(query.period);
  const province = reportProvince(deps.places, query.provinceCode);
  const { scope } = query;
  const { threshold } = deps;
  const communeCodes = scope.kind === "communes" ? [...scope.communeCodes] : deps.places.communesOf(query.provinceCode).map((commune) => commune.code);
  const place = scope.kind === "communes" ? { provinceCode: query.provinceCode, communeCodes } : { provinceCode: query.provinceCode };
  const communeLevel = scope.kind === "communes";
  const lines = (rows: ReadonlyArray<{ value: string; counts: ReachCounts }>) => {
    const shown = communeLevel ? protectReachLines(rows, threshold) : rows.map((row) => reachLineOf(row.counts));
    return rows.map((row, index) => ({ value: row.value, ...(shown[index] ?? reachLineOf(noReach())) }));
  };

  const totals = await reachTotals(deps.db, period.key, place);
  // Each metric stands alone (they do not add up to anything shown), so only small ones are hidden.
  const reach = reachMetrics.map((metric) => ({ metric, count: communeLevel ? protectCount(totals[metric], threshold) : { kind: "count" as const, value: totals[metric] } }));

  const communes = await reachByCommune(deps.db, period.key, query.provinceCode, communeCodes);
  const communeLines = protectReachLines(communes, threshold);

  const monthKeys: string[] = [];
  const monthly = new Map<string, ReachCounts>();
  for (const commune of communeLevel ? communeCodes : [undefined]) {
    const series = await readSeries(deps.db, { within: period.name, step: "month", provinceCode: query.provinceCode, ...(commune === undefined ? {} : { communeCode: commune }), metrics: ["people", "visits"] });
    for (const point of series) {
      if (!monthly.has(point.period)) monthKeys.push(point.period);
      const counts = monthly.get(point.period) ?? noReach();
      counts.people += point.values.people ?? 0;
      counts.visits += point.values.visits ?? 0;
      monthly.set(point.period, counts);
    }
  }
  const months = lines(monthKeys.map((key) => ({ value: key, counts: monthly.get(key) ?? noReach() })));

  return {
    province,
    period,
    scope: scope.kind,
    threshold,
    reach,
    byTopic: lines(await reachBreakdown(deps.db, period.key, place, "topic")),
    byLocale: lines(await reachBreakdown(deps.db, period.key, place, "locale")),
    byChannel: lines(await reachBreakdown(deps.db, period.key, place, "channel")),
    byCommune: communes.map((commune, index) => {
      const place = deps.places.find(commune.communeCode);
      const line = communeLines[index] ?? reachLineOf(noReach());
      return { communeCode: commune.communeCode, name: place === undefined ? commune.communeCode : deps.places.displayName(place), people: line.people, visits: line.visits, messages: line.messages };
    }),
    months: months.map((month) => ({ period: month.value, people: month.people, visits: month.visits })),
    sessions: sessionTotals(await findSessions(deps.db, { period: period.name, provinceCode: query.provinceCode, ...(communeLevel ? { communeCodes } : {}) })).total,
  };
}
