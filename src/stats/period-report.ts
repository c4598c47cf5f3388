// The data of the periodic report a provincial office files upward every six months and every year: the bot's
// reach, indicator progress, campaigns and in-person sessions for one province and period, with commune cells
// protected. The workbook and CSV writers, the API and the console all lay out this one object.
import { topicSchema } from "../engine/flow-schema.ts";
import type { PlaceLookup } from "../engine/place-lookup.ts";
import type { DatabaseClient } from "../store/database.ts";
import { indicatorProgress } from "./indicator-progress.ts";
import type { Indicator } from "./indicators.ts";
import { findSessions, sessionTotals, type SessionTotals } from "./outreach-sessions.ts";
import { localDateText, parsePeriod, periodLabel } from "./periods.ts";
import { noReach, reachBreakdown, reachByCommune, reachTotals, type ReachCounts, type ReachPlace } from "./reach-figures.ts";
import { protectSmallCounts, type ShownCount } from "./small-cells.ts";
import { StatsError } from "./stats-error.ts";

/**
 * Whose report: a whole province, or some of its communes (a commune team's). For communes every figure is
 * commune-level, so totals are their sum and protected like the rows, and only the team's campaigns are listed.
 */
export type ReportScope = { kind: "province" } | { kind: "communes"; communeCodes: readonly string[]; teamId: string | null };

/** Reach figures in one line of the report: người, lượt and messages delivered. */
export type ReachLine = { people: ShownCount; visits: ShownCount; messages: ShownCount };

/**
 * One indicator's line: counted, the entered population, the percentage and whether it meets the target. A
 * percentage that would give away a hidden count is null with `percentWithheld`.
 */
export type ReportIndicatorLine = { reached: ShownCount; population: number | null; percent: number | null; percentWithheld: boolean; meetsTarget: boolean | null };

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
  indicators: Array<{ indicator: Indicator; year: number; total: ReportIndicatorLine & { communesWithoutTarget: number }; byCommune: Array<ReportIndicatorLine & { communeCode: string; name: string }> }>;
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

const shown = (value: number): ShownCount => ({ kind: "count", value });

/** A figure worked out from a people count is hidden with it: messages, percentages. */
const withheldWith = (people: ShownCount, value: number): ShownCount => (people.kind === "count" ? shown(value) : { kind: "withheld" });

/** Protects reach lines (people and visits as the grid's columns, plus any extra people columns) and hides messages with people. */
function protectReach(lines: ReadonlyArray<{ counts: ReachCounts; extra?: readonly number[] }>, threshold: number): Array<ReachLine & { extra: ShownCount[] }> {
  const grid = protectSmallCounts(lines.map((line) => [line.counts.people, line.counts.visits, ...(line.extra ?? [])]), threshold);
  return lines.map((line, index) => {
    const [people = shown(0), visits = shown(0), ...extra] = (grid[index] ?? []).map((cell) => cell ?? shown(0));
    return { people, visits, messages: withheldWith(people, line.counts.messages), extra };
  });
}

/**
 * Builds the report for a period name ("2026-H2", "2026", "2026-Q4") and a province. Reads aggregates only, so
 * it costs the same however many events there are. Throws a StatsError for an unknown period or province.
 */
export async function buildPeriodReport(deps: PeriodReportDeps, query: { period: string; provinceCode: string; scope?: ReportScope }): Promise<PeriodReport> {
  const period = parsePeriod(query.period);
  const scope = query.scope ?? { kind: "province" };
  const province = deps.places.find(query.provinceCode);
  if (province === undefined || province.provinceCode !== null) {
    throw new StatsError(`"${query.provinceCode}" is not a province code in the place list`, "stats:unknown-province", { context: { provinceCode: query.provinceCode } });
  }
  const nameOf = (code: string) => {
    const place = deps.places.find(code);
    return place === undefined ? code : deps.places.displayName(place);
  };
  const communeCodes = scope.kind === "communes" ? [...scope.communeCodes] : deps.places.communesOf(query.provinceCode).map((commune) => commune.code);
  const place: ReachPlace = scope.kind === "communes" ? { provinceCode: query.provinceCode, communeCodes } : { provinceCode: query.provinceCode };
  const communeLevel = scope.kind === "communes";
  const { threshold } = deps;

  const topics = topicSchema.options;
  const communes = await reachByCommune(deps.db, period.key, query.provinceCode, communeCodes);
  const total = await reachTotals(deps.db, period.key, place);
  const byTopic = new Map((await reachBreakdown(deps.db, period.key, place, "topic")).map((row) => [row.value, row.counts]));
  const communeLines = protectReach(
    [...communes.map((commune) => ({ counts: commune.counts, extra: topics.map((topic) => commune.peopleByTopic[topic] ?? 0) })), ...(communeLevel ? [{ counts: total }] : [])],
    threshold,
  );
  const asLine = (counts: ReachCounts): ReachLine => ({ people: shown(counts.people), visits: shown(counts.visits), messages: shown(counts.messages) });
  const topicCounts = topics.map((topic) => byTopic.get(topic) ?? noReach());
  const topicLines = communeLevel ? protectReach(topicCounts.map((counts) => ({ counts })), threshold) : topicCounts.map(asLine);

  const progress = await indicatorProgress({ db: deps.db, indicators: deps.indicators, places: deps.places }, { period: period.name, provinceCode: query.provinceCode, ...(communeLevel ? { communeCodes } : {}) });
  // The communes with a population are a group: their sum is behind the indicator's overall percentage.
  const targetedRows = progress.map((item) => item.communes.flatMap((commune, row) => (commune.population === null ? [] : [row])));
  const reachedGrid = protectSmallCounts(
    [...communeCodes.map((_, row) => progress.map((item) => item.communes[row]?.reached ?? 0)), ...(communeLevel ? [progress.map((item) => item.total.reached)] : [])],
    threshold,
    targetedRows.map((rows, column) => rows.map((row) => ({ row, column }))),
  );
  const indicatorLine = (target: number | null, reached: ShownCount, population: number | null, percent: number | null, withheld: boolean): ReportIndicatorLine => {
    const hidden = withheld || (reached.kind !== "count" && percent !== null);
    const visiblePercent = hidden ? null : percent;
    return { reached, population, percent: visiblePercent, percentWithheld: hidden, meetsTarget: target === null || visiblePercent === null ? null : visiblePercent >= target };
  };

  const campaignRows = await reachBreakdown(deps.db, period.key, place, "campaign");
  const stored = await deps.db.campaign.findMany({ where: { id: { in: campaignRows.map((row) => row.value) } }, select: { id: true, name: true, status: true, teamId: true } });
  const listedCampaigns = campaignRows.flatMap((row) => {
    const campaign = stored.find((candidate) => candidate.id === row.value);
    if (campaign === undefined || (scope.kind === "communes" && campaign.teamId !== scope.teamId)) return [];
    return [{ campaign, counts: row.counts }];
  });
  const campaignLines = communeLevel ? protectReach(listedCampaigns, threshold) : listedCampaigns.map(({ counts }) => asLine(counts));

  const sessions = sessionTotals(await findSessions(deps.db, { period: period.name, provinceCode: query.provinceCode, ...(communeLevel ? { communeCodes } : {}) }));
  const lastDay = new Date(period.end.getTime() - 1);

  return {
    province: { code: province.code, name: deps.places.displayName(province) },
    period: { name: period.name, key: period.key, label: periodLabel(period), firstDay: localDateText(period.start), lastDay: localDateText(lastDay) },
    madeOn: localDateText(deps.now()),
    scope: scope.kind,
    threshold,
    reach: {
      total: communeLevel ? pick(communeLines.at(-1)) : asLine(total),
      byTopic: topics.map((topic, index) => ({ topic, ...pick(topicLines[index]) })),
      topics,
      byCommune: communes.map((commune, index) => ({ communeCode: commune.communeCode, name: nameOf(commune.communeCode), ...pick(communeLines[index]), peopleByTopic: communeLines[index]?.extra ?? [] })),
    },
    indicators: progress.map((item, column) => {
      const cell = (row: number) => reachedGrid[row]?.[column] ?? shown(0);
      const totalReached = communeLevel ? cell(communeCodes.length) : shown(item.total.reached);
      // A lone hidden count among the communes with a population would be the percentage times their population.
      const loneHidden = (targetedRows[column] ?? []).filter((row) => cell(row).kind !== "count").length === 1;
      return {
        indicator: item.indicator,
        year: item.year,
        total: { ...indicatorLine(item.indicator.target, totalReached, item.total.population, item.total.percent, loneHidden), communesWithoutTarget: item.total.communesWithoutTarget },
        byCommune: item.communes.map((commune, row) => ({ communeCode: commune.communeCode, name: nameOf(commune.communeCode), ...indicatorLine(item.indicator.target, cell(row), commune.population, commune.percent, false) })),
      };
    }),
    campaigns: listedCampaigns.map(({ campaign }, index) => ({ id: campaign.id, name: campaign.name, status: campaign.status, ...pickPeople(campaignLines[index]) })),
    sessions: { ...sessions, communeNames: Object.fromEntries(sessions.byCommune.map((commune) => [commune.communeCode, nameOf(commune.communeCode)])) },
  };
}

function pick(line: ReachLine | undefined): ReachLine {
  return line === undefined ? { people: shown(0), visits: shown(0), messages: shown(0) } : { people: line.people, visits: line.visits, messages: line.messages };
}

function pickPeople(line: ReachLine | undefined): { people: ShownCount; messages: ShownCount } {
  const { people, messages } = pick(line);
  return { people, messages };
}
