// The figures of the statistics overview for a province (or a commune team's communes) and a period: every reach
// metric, reach by topic, language, channel and commune, the months of the period, and in-person sessions. What the
// API's overview returns and the dashboard can draw; commune-level figures are protected.
import type { DatabaseClient } from "../store/database.ts";
import { readCommuneFigures, shownReach, type CommuneFiguresDeps } from "./commune-figures.ts";
import { findSessions, sessionTotals, type SessionCounts } from "./outreach-sessions.ts";
import { parsePeriod } from "./periods.ts";
import { periodSummary, reportProvince, type PeriodSummary, type ReportScope } from "./period-report.ts";
import { noReach, reachBreakdown, reachLineOf, reachMetrics, reachTotals, type ReachLine, type ReachMetric } from "./reach-figures.ts";
import type { ShownCount } from "./small-cells.ts";
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

/** What the overview reads: the indicators too, since their commune cells are protected with the rest. */
export type OverviewDeps = CommuneFiguresDeps & { db: Pick<DatabaseClient, "statsCount" | "outreachSession" | "indicatorTarget"> };

const count = (value: number): ShownCount => ({ kind: "count", value });

/**
 * Builds the overview. For a province every figure above the communes is exact; for a commune team's communes
 * (`scope.kind === "communes"`) every figure is a sum of commune figures, shown as the province's protected
 * commune figures allow (src/stats/commune-figures.ts), so it hides what the report and the console hide.
 */
export async function buildOverview(deps: OverviewDeps, query: { period: string; provinceCode: string; scope: ReportScope }): Promise<StatsOverview> {
  const period = periodSummary(query.period);
  const province = reportProvince(deps.places, query.provinceCode);
  const { scope } = query;
  const figures = await readCommuneFigures(deps, { period: period.name, provinceCode: query.provinceCode });
  const communeLevel = scope.kind === "communes";
  const communeCodes = scope.kind === "communes" ? [...scope.communeCodes] : [...figures.communeCodes];
  const place = scope.kind === "communes" ? { provinceCode: query.provinceCode, communeCodes } : { provinceCode: query.provinceCode };
  const lineOf = (codes: readonly string[], dimension: string, value: string) => shownReach(figures, codes, dimension, value);
  const breakdown = async (dimension: string): Promise<Array<ReachLine & { value: string }>> =>
    communeLevel
      ? figures.values(dimension, communeCodes).map((value) => ({ value, ...lineOf(communeCodes, dimension, value) }))
      : (await reachBreakdown(deps.db, period.key, place, dimension)).map((row) => ({ value: row.value, ...reachLineOf(row.counts) }));

  const totals = communeLevel ? noReach() : await reachTotals(deps.db, period.key, place);
  const reach = reachMetrics.map((metric) => ({ metric, count: communeLevel ? figures.shown(communeCodes, { dimension: "", value: "", metric }) : count(totals[metric]) }));

  const parsed = parsePeriod(period.name);
  const months = communeLevel
    ? parsed.kind === "day" || parsed.kind === "month"
      ? [{ period: parsed.key, ...lineOf(communeCodes, "", "") }]
      : figures.values("series").map((key) => ({ period: key, ...lineOf(communeCodes, "series", key) }))
    : (await readSeries(deps.db, { within: period.name, step: "month", provinceCode: query.provinceCode, metrics: ["people", "visits"] })).map((point) => ({
        period: point.period,
        people: count(point.values["people"] ?? 0),
        visits: count(point.values["visits"] ?? 0),
      }));

  return {
    province,
    period,
    scope: scope.kind,
    threshold: deps.threshold,
    reach,
    byTopic: await breakdown("topic"),
    byLocale: await breakdown("locale"),
    byChannel: await breakdown("channel"),
    byCommune: communeCodes.map((communeCode) => {
      const found = deps.places.find(communeCode);
      return { communeCode, name: found === undefined ? communeCode : deps.places.displayName(found), ...lineOf([communeCode], "", "") };
    }),
    months: months.map((month) => ({ period: month.period, people: month.people, visits: month.visits })),
    sessions: sessionTotals(await findSessions(deps.db, { period: period.name, provinceCode: query.provinceCode, ...(communeLevel ? { communeCodes } : {}) })).total,
  };
}
