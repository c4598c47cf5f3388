import { consoleText, fillText, type ConsoleLocale } from "../../console/console-locale.ts";
import type { StatsFigure } from "../../console/stats-figures.ts";
import type { StatsTable } from "../../console/stats-table.ts";
import type { IndicatorProgressRow } from "../../console/stats-view-models.ts";
import type { PlaceLookup } from "../../engine/place-lookup.ts";
import type { DatabaseClient } from "../../store/database.ts";
import type { CommuneFigures } from "../../stats/commune-figures.ts";
import { countryProgress, indicatorProgress, showProgress, type CountryProgressLine, type ProgressScope } from "../../stats/indicator-progress.ts";
import type { Indicator } from "../../stats/indicators.ts";
import { periodLabel, type Period } from "../../stats/periods.ts";
import type { StatsPlace } from "./console-stats-tables.ts";

/**
 * Indicator progress for the statistics overview, computed and protected as the API and the periodic report do
 * it (src/stats/indicator-progress.ts, from the same protected commune figures): per indicator, the people (or lượt) reached, the target populations
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
  /** The province's protected commune figures for the period; null for the country. */
  figures: CommuneFigures | null;
  fileUrls: { csv: string; xlsx: string };
};

/** A province's progress, or one commune's: its counts and share as the province's protected commune figures show them. */
async function provinceLines(context: IndicatorTableContext, figures: CommuneFigures, provinceCode: string, communeCode?: string): Promise<CountryProgressLine[]> {
  const progress = await indicatorProgress(
    { db: context.db, indicators: context.indicators, places: context.places },
    { period: context.period.key, provinceCode, ...(communeCode === undefined ? {} : { communeCodes: [communeCode] }) },
  );
  const scope: ProgressScope = communeCode === undefined ? { kind: "province" } : { kind: "communes", communeCodes: [communeCode] };
  return showProgress(progress, figures, scope).map(({ indicator, total }) => ({ indicator, line: total, communesWithoutTarget: total.communesWithoutTarget }));
}

/** The indicators table and its progress rows for the overview's place and period. */
export async function readIndicatorTable(context: IndicatorTableContext): Promise<{ rows: IndicatorProgressRow[]; table: StatsTable }> {
  const { place, locale } = context;
  const words = consoleText(locale).stats;
  const lines =
    place.level === "country" || context.figures === null
      ? await countryProgress({ db: context.db, indicators: context.indicators, places: context.places, threshold: context.threshold }, context.period.key)
      : await provinceLines(context, context.figures, place.provinceCode, place.level === "commune" ? place.communeCode : undefined);
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
