import { consoleText, fillText, type ConsoleLocale } from "../../console/console-locale.ts";
import type { StatsFigure } from "../../console/stats-figures.ts";
import type { StatsTable } from "../../console/stats-table.ts";
import type { IndicatorProgressRow } from "../../console/stats-view-models.ts";
import type { PlaceLookup } from "../../engine/place-lookup.ts";
import type { DatabaseClient } from "../../store/database.ts";
import { indicatorProgress, protectProgress, type ShownProgressLine } from "../../stats/indicator-progress.ts";
import type { Indicator } from "../../stats/indicators.ts";
import { periodLabel, type Period } from "../../stats/periods.ts";
import { readCounts, readVisits } from "../../stats/stats-query.ts";
import type { StatsPlace } from "./console-stats-tables.ts";

/**
 * Indicator progress for the statistics overview, computed and protected as the API and the periodic report do
 * it (src/stats/indicator-progress.ts): per indicator, the people (or lượt) reached, the target populations
 * entered for the period's year, the share reached in the communes that have one, and the plan's target. The
 * same rows make the progress bars and the downloadable table.
 */

/** What reading progress needs. */
export type IndicatorTableContext = {
  db: Pick<DatabaseClient, "statsCount" | "indicatorTarget">;
  indicators: readonly Indicator[];
  places: PlaceLookup;
  place: StatsPlace;
  period: Period;
  locale: ConsoleLocale;
  threshold: number;
  fileUrls: { csv: string; xlsx: string };
};

/** One indicator's line before it is named: as shown, with the communes left out of its share. */
type Line = { indicator: Indicator; line: ShownProgressLine; communesWithoutTarget: number };

/** A province's progress, or one commune's (its own figures, protected as commune figures). */
async function provinceLines(context: IndicatorTableContext, provinceCode: string, communeCode?: string): Promise<Line[]> {
  const progress = await indicatorProgress(
    { db: context.db, indicators: context.indicators, places: context.places },
    { period: context.period.key, provinceCode, ...(communeCode === undefined ? {} : { communeCodes: [communeCode] }) },
  );
  return protectProgress(progress, { threshold: context.threshold, totalIsCommuneLevel: communeCode !== undefined }).map(({ indicator, total }) => ({
    indicator,
    line: total,
    communesWithoutTarget: total.communesWithoutTarget,
  }));
}

/**
 * The whole country: the country's own count; the populations of the provinces with targets for the year added
 * up, and the share over their targeted communes, withheld when any province's share is (it would give a hidden
 * commune away through the others).
 */
async function countryLines(context: IndicatorTableContext): Promise<Line[]> {
  const year = Number(context.period.key.slice(1, 5));
  const provinces = (await context.db.indicatorTarget.findMany({ where: { year }, select: { provinceCode: true }, distinct: ["provinceCode"] })).map((row) => row.provinceCode);
  const perProvince = await Promise.all(
    provinces.map(async (provinceCode) => {
      const progress = await indicatorProgress({ db: context.db, indicators: context.indicators, places: context.places }, { period: context.period.key, provinceCode });
      const shown = protectProgress(progress, { threshold: context.threshold, totalIsCommuneLevel: false });
      return progress.map((item, index) => ({
        id: item.indicator.id,
        targetedReached: item.communes.reduce((sum, commune) => sum + (commune.population === null ? 0 : commune.reached), 0),
        population: item.total.population,
        communesWithoutTarget: item.total.communesWithoutTarget,
        withheld: shown[index]?.total.percentWithheld ?? true,
      }));
    }),
  );
  const periods = [context.period.key];
  const country = [...(await readCounts(context.db, { periods, dimension: "indicator", metrics: ["people"] })), ...(await readVisits(context.db, { periods, dimension: "indicator" }))];
  return context.indicators.map((indicator) => {
    const metric = indicator.unit === "lượt" ? "visits" : "people";
    const reached = country.find((row) => row.value === indicator.id && row.metric === metric)?.count ?? 0;
    const targeted = perProvince.flatMap((lines) => lines.filter((line) => line.id === indicator.id && line.population !== null));
    const population = targeted.length === 0 ? null : targeted.reduce((sum, line) => sum + (line.population ?? 0), 0);
    const withheld = targeted.some((line) => line.withheld);
    const percent = population === null || population === 0 || withheld ? null : (targeted.reduce((sum, line) => sum + line.targetedReached, 0) * 100) / population;
    return {
      indicator,
      line: { reached: { kind: "count", value: reached }, population, percent, percentWithheld: withheld, meetsTarget: null },
      communesWithoutTarget: targeted.reduce((sum, line) => sum + line.communesWithoutTarget, 0),
    };
  });
}

/** The indicators table and its progress rows for the overview's place and period. */
export async function readIndicatorTable(context: IndicatorTableContext): Promise<{ rows: IndicatorProgressRow[]; table: StatsTable }> {
  const { place, locale } = context;
  const words = consoleText(locale).stats;
  const lines =
    place.level === "country" ? await countryLines(context) : await provinceLines(context, place.provinceCode, place.level === "commune" ? place.communeCode : undefined);
  const rows = lines.map(({ indicator, line, communesWithoutTarget }): IndicatorProgressRow => {
    const share: StatsFigure = line.percentWithheld ? { kind: "withheld" } : line.percent === null ? { kind: "text", value: "–" } : { kind: "percent", share: line.percent / 100 };
    return {
      name: indicator.name[locale],
      unit: words.units[indicator.unit],
      reached: line.reached,
      takesTarget: indicator.denominator !== null,
      population: line.population,
      share,
      target: indicator.target,
      communesWithoutTarget,
    };
  });
  const table: StatsTable = {
    id: "indicators",
    caption: fillText(words.indicatorsCaption, { period: periodLabel(context.period, locale) }),
    headings: [words.indicator, words.reached, words.population, words.share, words.target, words.withoutTarget],
    rows: rows.map((row) => ({
      label: row.name,
      url: null,
      figures: [
        row.reached,
        row.population === null ? { kind: "text", value: row.takesTarget ? words.noTarget : "–" } : { kind: "count", value: row.population },
        row.share,
        row.target === null ? { kind: "text", value: "–" } : { kind: "percent", share: row.target / 100 },
        { kind: "count", value: row.communesWithoutTarget },
      ],
    })),
    files: context.fileUrls,
  };
  return { rows, table };
}
