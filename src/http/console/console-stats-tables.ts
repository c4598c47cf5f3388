import { consoleText, fillText, type ConsoleLocale } from "../../console/console-locale.ts";
import type { StatsFigure } from "../../console/stats-figures.ts";
import type { StatsRow, StatsTable } from "../../console/stats-table.ts";
import type { PlaceLookup } from "../../engine/place-lookup.ts";
import { sessionTotals, type OutreachSession, type SessionCounts, type SessionFilter } from "../../stats/outreach-sessions.ts";
import { periodKeys, periodLabel, type Period } from "../../stats/periods.ts";
import { shownReach, type CommuneFigures } from "../../stats/commune-figures.ts";
import { noReach, reachBreakdown, reachLineOf, reachTotals, type ReachCounts, type ReachLine, type ReachPlace } from "../../stats/reach-figures.ts";
import { readSeries, type StatsReader } from "../../stats/stats-query.ts";

/**
 * The tables of the statistics overview, read from the aggregates with the reach figures the API and the
 * periodic report use. Commune figures come from the province's protected commune figures
 * (src/stats/commune-figures.ts), so a commune's figures hide the same cells wherever they are read. Each table is built once and then shown, charted and downloaded as it is.
 */

/** Where the figures are for: the whole country, one province, or one commune of a province. */
export type StatsPlace = { level: "country" } | { level: "province"; provinceCode: string } | { level: "commune"; provinceCode: string; communeCode: string };

/** The plain tables of the overview (the indicators have their own module). */
export type StatsTableId = "summary" | "over-time" | "by-topic" | "by-place" | "by-language" | "campaigns" | "sessions";

/** Every plain table of a place's overview; a commune has no table of communes. */
export type StatsTables = Record<Exclude<StatsTableId, "by-place">, StatsTable> & { "by-place": StatsTable | null };

/** What reading the tables needs: the place and period, the reader's language, and where things link to. */
export type StatsTableContext = {
  db: StatsReader;
  place: StatsPlace;
  period: Period;
  locale: ConsoleLocale;
  /** The province's protected commune figures for the period; null for the country, which shows none. */
  figures: CommuneFigures | null;
  places: PlaceLookup;
  languageName: (code: string) => string;
  /** The campaigns by id: their names, and their page when she may open it. */
  campaigns: ReadonlyMap<string, { name: string; url: string | null }>;
  /** The in-person sessions she may see that match a filter. */
  sessions: (filter: SessionFilter) => Promise<OutreachSession[]>;
  placeUrl: (place: StatsPlace) => string;
  fileUrls: (table: string) => { csv: string; xlsx: string };
};

/** The reach figures' place: "" is the whole country in the aggregates. */
function reachPlaceOf(place: StatsPlace): ReachPlace {
  if (place.level === "country") return { provinceCode: "" };
  if (place.level === "province") return { provinceCode: place.provinceCode };
  return { provinceCode: place.provinceCode, communeCodes: [place.communeCode] };
}

const count = (value: number): StatsFigure => ({ kind: "count", value });

/** The commune of a commune place with its figures, or null for a country or province place. */
function communeOf(context: StatsTableContext): { figures: CommuneFigures; communeCode: string } | null {
  return context.place.level === "commune" && context.figures !== null ? { figures: context.figures, communeCode: context.place.communeCode } : null;
}

/** Rows by their first figure as shown, largest first, hidden ones after the shown ones, then by name: never by a hidden value. */
function byShownSize(rows: StatsRow[]): StatsRow[] {
  const size = (row: StatsRow) => (row.figures[0]?.kind === "count" ? row.figures[0].value : -1);
  return [...rows].sort((a, b) => size(b) - size(a) || a.label.localeCompare(b.label, "vi"));
}

/** Reads the tables of the overview for one place and period. */
export async function readStatsTables(context: StatsTableContext): Promise<StatsTables> {
  const { db, place, period, locale } = context;
  const words = consoleText(locale).stats;
  const reachPlace = reachPlaceOf(place);
  const commune = communeOf(context);
  const periodName = periodLabel(period, locale);
  const table = (id: StatsTableId, caption: string, headings: string[], rows: StatsRow[]): StatsTable => ({ id, caption, headings, rows, files: context.fileUrls(id) });
  const reachHeadings = (first: string) => [first, words.peopleColumn, words.visitsColumn, words.messagesColumn];
  const reachRow = (label: string, url: string | null, line: ReachLine): StatsRow => ({ label, url, figures: [line.people, line.visits, line.messages] });

  /** People, lượt and messages for each value of a dimension, named by `name`, linked by `url`. */
  const breakdown = async (dimension: string, name: (value: string) => string, url: (value: string) => string | null = () => null): Promise<StatsRow[]> => {
    const lines =
      commune === null
        ? (await reachBreakdown(db, period.key, reachPlace, dimension)).map((row) => ({ value: row.value, line: reachLineOf(row.counts) }))
        : commune.figures.values(dimension, [commune.communeCode]).map((value) => ({ value, line: shownReach(commune.figures, [commune.communeCode], dimension, value) }));
    return byShownSize(lines.map(({ value, line }) => reachRow(name(value), url(value), line)));
  };
  const topicNames = new Map<string, string>(Object.entries(consoleText(locale).topics));

  return {
    summary: table("summary", fillText(words.summaryCaption, { period: periodName }), [words.figure, words.value], summaryRows(context, await reachTotals(db, period.key, reachPlace))),
    "over-time": await overTimeTable(context, table),
    "by-topic": table("by-topic", words.byTopic, reachHeadings(words.topic), await breakdown("topic", (value) => topicNames.get(value) ?? value)),
    "by-place": await placeTable(context, table, reachHeadings, reachRow),
    "by-language": table("by-language", words.byLanguage, reachHeadings(words.language), await breakdown("locale", context.languageName)),
    campaigns: table(
      "campaigns",
      fillText(words.campaignsCaption, { period: periodName }),
      reachHeadings(words.campaign),
      await breakdown(
        "campaign",
        (id) => context.campaigns.get(id)?.name ?? id,
        (id) => context.campaigns.get(id)?.url ?? null,
      ),
    ),
    sessions: table(
      "sessions",
      fillText(words.sessionsCaption, { period: periodName }),
      [place.level === "commune" ? words.topic : place.level === "province" ? words.commune : words.province, words.sessionCount, words.women, words.men, words.participants],
      await sessionRows(context),
    ),
  };
}

/**
 * The key figures. In a commune they are its protected figures, and the share of right answers is withheld
 * with the answers or the right ones it comes from.
 */
function summaryRows(context: StatsTableContext, totals: ReachCounts): StatsRow[] {
  const words = consoleText(context.locale).stats;
  const commune = communeOf(context);
  const figure = (metric: keyof ReachCounts): StatsFigure => (commune === null ? count(totals[metric]) : commune.figures.shown([commune.communeCode], { dimension: "", value: "", metric }));
  const answers = figure("quiz_answers");
  const correct = figure("quiz_correct");
  const share: StatsFigure =
    answers.kind !== "count" || correct.kind !== "count" ? { kind: "withheld" } : { kind: "percent", share: answers.value === 0 ? null : correct.value / answers.value };
  return [
    { label: words.people, url: null, figures: [figure("people")] },
    { label: words.visits, url: null, figures: [figure("visits")] },
    { label: words.messages, url: null, figures: [figure("messages")] },
    { label: words.modules, url: null, figures: [figure("modules")] },
    { label: words.quizCorrect, url: null, figures: [share] },
    { label: words.referrals, url: null, figures: [figure("referrals")] },
    { label: words.emergencies, url: null, figures: [figure("emergencies")] },
    { label: words.optOuts, url: null, figures: [figure("opt_outs")] },
  ];
}

/** People and lượt in each month of the period, or each day of a month, protected as one table in a commune. */
async function overTimeTable(context: StatsTableContext, table: (id: StatsTableId, caption: string, headings: string[], rows: StatsRow[]) => StatsTable): Promise<StatsTable> {
  const { place, period, locale } = context;
  const words = consoleText(locale).stats;
  const step = period.kind === "month" ? "day" : "month";
  const series = await readSeries(context.db, {
    within: period.key,
    step,
    ...(place.level === "country" ? {} : { provinceCode: place.provinceCode }),
    ...(place.level === "commune" ? { communeCode: place.communeCode } : {}),
    metrics: ["people", "visits"],
  });
  const commune = communeOf(context);
  const rows = series.map((point): StatsRow => {
    const shown = commune === null ? reachLineOf({ ...noReach(), people: point.values["people"] ?? 0, visits: point.values["visits"] ?? 0 }) : shownReach(commune.figures, [commune.communeCode], "series", point.period);
    return { label: periodLabel(point.period, locale), url: null, figures: [shown.people, shown.visits] };
  });
  return table("over-time", step === "day" ? words.overTimeDays : words.overTimeMonths, [step === "day" ? words.day : words.month, words.peopleColumn, words.visitsColumn], rows);
}

/**
 * People, lượt and messages of each province (on the country page), or of each commune of the province, protected
 * over all its communes as the API's overview protects them; communes with nothing counted are left out.
 */
async function placeTable(
  context: StatsTableContext,
  table: (id: StatsTableId, caption: string, headings: string[], rows: StatsRow[]) => StatsTable,
  headings: (first: string) => string[],
  reachRow: (label: string, url: string | null, line: ReachLine) => StatsRow,
): Promise<StatsTable | null> {
  const { db, place, period, places } = context;
  const words = consoleText(context.locale).stats;
  if (place.level === "commune") return null;
  if (place.level === "country") {
    const rows: StatsRow[] = [];
    for (const province of places.provinces) {
      const totals = await reachTotals(db, period.key, { provinceCode: province.code });
      if (totals.people + totals.messages > 0) rows.push(reachRow(province.name, context.placeUrl({ level: "province", provinceCode: province.code }), reachLineOf(totals)));
    }
    return table("by-place", words.byProvince, headings(words.province), byShownSize(rows));
  }
  const { provinceCode } = place;
  const { figures } = context;
  if (figures === null) return null;
  const rows = figures.communeCodes.flatMap((communeCode) => {
    const counted = ["people", "visits", "messages"].some((metric) => figures.valueOf(communeCode, { dimension: "", value: "", metric }) > 0);
    if (!counted) return [];
    const found = places.find(communeCode);
    return [reachRow(found === undefined ? communeCode : places.displayName(found), context.placeUrl({ level: "commune", provinceCode, communeCode }), shownReach(figures, [communeCode], "", ""))];
  });
  return table("by-place", words.byCommune, headings(words.commune), byShownSize(rows));
}

/**
 * In-person sessions (cuộc) and their participants by sex: by topic in a commune, by commune in a province, by
 * province in the country, with a total row. They are meetings staff recorded, not people Loa reached, so
 * they are counted apart and not hidden under the threshold.
 */
async function sessionRows(context: StatsTableContext): Promise<StatsRow[]> {
  const { place, period, places } = context;
  const words = consoleText(context.locale);
  const figures = (counts: SessionCounts): StatsFigure[] => [count(counts.sessions), count(counts.female), count(counts.male), count(counts.total)];
  const held = await context.sessions({
    period: period.key,
    ...(place.level === "country" ? {} : { provinceCode: place.provinceCode }),
    ...(place.level === "commune" ? { communeCodes: [place.communeCode] } : {}),
  });
  const rows: StatsRow[] = [];
  if (place.level === "country") {
    for (const province of places.provinces) {
      const inProvince = held.filter((session) => session.provinceCode === province.code);
      if (inProvince.length > 0) rows.push({ label: province.name, url: null, figures: figures(sessionTotals(inProvince).total) });
    }
  } else if (place.level === "province") {
    for (const commune of sessionTotals(held).byCommune) {
      const found = places.find(commune.communeCode);
      rows.push({ label: found === undefined ? commune.communeCode : places.displayName(found), url: null, figures: figures(commune) });
    }
  } else {
    const topicNames = new Map<string, string>([...Object.entries(words.topics), ...Object.entries(words.stats.sessionTopics)]);
    for (const topic of sessionTotals(held).byTopic) rows.push({ label: topicNames.get(topic.topic) ?? topic.topic, url: null, figures: figures(topic) });
  }
  return rows.length > 1 ? [...rows, { label: words.stats.allSessions, url: null, figures: figures(sessionTotals(held).total) }] : rows;
}

/** Short names for the time axis: "T7" for July, "5" for the fifth day. */
export function axisLabels(locale: ConsoleLocale, period: Period): string[] {
  const words = consoleText(locale).stats;
  if (period.kind === "month") return periodKeys("day", period.key).map((key) => String(Number(key.slice(-2))));
  return periodKeys("month", period.key).map((key) => fillText(words.monthAxis, { month: Number(key.slice(-2)) }));
}
