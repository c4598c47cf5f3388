// The data of the periodic report a provincial office files upward every six months and every year: the bot's
// reach, indicator progress, campaigns and in-person sessions for one province and period, with commune cells
// protected. The workbook and CSV writers, the API and the console all lay out this one object.
import { topicSchema } from "../engine/flow-schema.ts";
import type { PlaceLookup } from "../engine/place-lookup.ts";
import type { DatabaseClient } from "../store/database.ts";
import { readCommuneFigures, shownReach } from "./commune-figures.ts";
import { indicatorProgress, showProgress, type ShownProgressLine } from "./indicator-progress.ts";
import type { Indicator } from "./indicators.ts";
import { findSessions, sessionTotals, type SessionTotals } from "./outreach-sessions.ts";
import { localDateText, parsePeriod, periodLabel } from "./periods.ts";
import { noReach, reachBreakdown, reachLineOf, reachTotals, type ReachLine, type ReachPlace } from "./reach-figures.ts";
import type { ShownCount } from "./small-cells.ts";
import { StatsError } from "./stats-error.ts";

/**
 * Whose report: a whole province, or some of its communes (a commune team's). For communes every figure is
 * commune-level, so totals are their sum and protected like the rows, and only the team's campaigns are listed.
 */
export type ReportScope = { kind: "province" } | { kind: "communes"; communeCodes: readonly string[]; teamId: string | null };

/** Everything the periodic report shows. Counts are `ShownCount`s: a hidden one never carries its value. */
export type PeriodReport = {
  province: { code: string; name: string };
  period: { name: string; key: string; label: string; firstDay: string; lastDay: string };
  /** The local date the report was made. */
  madeOn: string;
  scope: ReportScope["kind"];
  /** Commune people counts under this are hidden. */
  threshold: number;
  reach: {
    total: ReachLine;
    byTopic: Array<ReachLine & { topic: string }>;
    /** The topics of the per-commune columns, in the programme's order. */
    topics: readonly string[];
    byCommune: Array<ReachLine & { communeCode: string; name: string; peopleByTopic: ShownCount[] }>;
  };
  indicators: Array<{ indicator: Indicator; year: number; total: ShownProgressLine & { communesWithoutTarget: number }; byCommune: Array<ShownProgressLine & { communeCode: string; name: string }> }>;
  campaigns: Array<{ id: string; name: string; status: string; people: ShownCount; messages: ShownCount }>;
  /** In-person sessions (cuộc), recorded by staff; counted apart from the bot and not hidden (they name no one). */
  sessions: SessionTotals & { communeNames: Record<string, string> };
};

/** What the report reads. */
export type PeriodReportDeps = {
  db: Pick<DatabaseClient, "statsCount" | "indicatorTarget" | "outreachSession" | "campaign">;
  indicators: readonly Indicator[];
  places: PlaceLookup;
  threshold: number;
  now: () => Date;
};

/** A period as reports and the overview describe it: its name, key, Vietnamese label and first and last days. */
export type PeriodSummary = PeriodReport["period"];

/** Reads a period name ("2026-H2") into its summary; a StatsError for anything else. */
export function periodSummary(name: string): PeriodSummary {
  const period = parsePeriod(name);
  return { name: period.name, key: period.key, label: periodLabel(period), firstDay: localDateText(period.start), lastDay: localDateText(new Date(period.end.getTime() - 1)) };
}

/** The province of a code, for a report's heading; a StatsError when the code is not a province of the place list. */
export function reportProvince(places: PlaceLookup, provinceCode: string): { code: string; name: string } {
  const province = places.find(provinceCode);
  if (province === undefined || province.provinceCode !== null) {
    throw new StatsError(`"${provinceCode}" is not a province code in the place list`, "stats:unknown-province", { context: { provinceCode } });
  }
  return { code: province.code, name: places.displayName(province) };
}

/**
 * Builds the report for a period name ("2026-H2", "2026", "2026-Q4") and a province. Reads aggregates only, so
 * it costs the same however many events there are. Throws a StatsError for an unknown period or province.
 */
export async function buildPeriodReport(deps: PeriodReportDeps, query: { period: string; provinceCode: string; scope?: ReportScope }): Promise<PeriodReport> {
  const period = periodSummary(query.period);
  const scope = query.scope ?? { kind: "province" };
  const province = reportProvince(deps.places, query.provinceCode);
  const nameOf = (code: string) => {
    const place = deps.places.find(code);
    return place === undefined ? code : deps.places.displayName(place);
  };
  const figures = await readCommuneFigures({ db: deps.db, places: deps.places, indicators: deps.indicators, threshold: deps.threshold }, { period: period.name, provinceCode: query.provinceCode });
  const communeCodes = scope.kind === "communes" ? [...scope.communeCodes] : [...figures.communeCodes];
  const place: ReachPlace = scope.kind === "communes" ? { provinceCode: query.provinceCode, communeCodes } : { provinceCode: query.provinceCode };
  const communeLevel = scope.kind === "communes";
  const lineOf = (codes: readonly string[], dimension: string, value: string) => shownReach(figures, codes, dimension, value);

  const topics = topicSchema.options;
  const byTopic = new Map((await reachBreakdown(deps.db, period.key, place, "topic")).map((row) => [row.value, row.counts]));
  const progress = showProgress(
    await indicatorProgress({ db: deps.db, indicators: deps.indicators, places: deps.places }, { period: period.name, provinceCode: query.provinceCode, ...(communeLevel ? { communeCodes } : {}) }),
    figures,
    communeLevel ? { kind: "communes", communeCodes } : { kind: "province" },
  );

  const campaignRows = await reachBreakdown(deps.db, period.key, place, "campaign");
  const stored = await deps.db.campaign.findMany({ where: { id: { in: campaignRows.map((row) => row.value) } }, select: { id: true, name: true, status: true, teamId: true } });
  const listedCampaigns = campaignRows.flatMap((row) => {
    const campaign = stored.find((candidate) => candidate.id === row.value);
    if (campaign === undefined || (scope.kind === "communes" && campaign.teamId !== scope.teamId)) return [];
    return [{ campaign, line: communeLevel ? lineOf(communeCodes, "campaign", campaign.id) : reachLineOf(row.counts) }];
  });

  const sessions = sessionTotals(await findSessions(deps.db, { period: period.name, provinceCode: query.provinceCode, ...(communeLevel ? { communeCodes } : {}) }));

  return {
    province,
    period,
    madeOn: localDateText(deps.now()),
    scope: scope.kind,
    threshold: deps.threshold,
    reach: {
      total: communeLevel ? lineOf(communeCodes, "", "") : reachLineOf(await reachTotals(deps.db, period.key, place)),
      byTopic: topics.map((topic) => ({ topic, ...(communeLevel ? lineOf(communeCodes, "topic", topic) : reachLineOf(byTopic.get(topic) ?? noReach())) })),
      topics,
      byCommune: communeCodes.map((communeCode) => ({
        communeCode,
        name: nameOf(communeCode),
        ...lineOf([communeCode], "", ""),
        peopleByTopic: topics.map((topic) => figures.shown([communeCode], { dimension: "topic", value: topic, metric: "people" })),
      })),
    },
    indicators: progress.map((item) => ({
      indicator: item.indicator,
      year: item.year,
      total: item.total,
      byCommune: item.communes.map((line) => ({ ...line, name: nameOf(line.communeCode) })),
    })),
    campaigns: listedCampaigns.map(({ campaign, line }) => ({ id: campaign.id, name: campaign.name, status: campaign.status, people: line.people, messages: line.messages })),
    sessions: { ...sessions, communeNames: Object.fromEntries(sessions.byCommune.map((commune) => [commune.communeCode, nameOf(commune.communeCode)])) },
  };
}
