// How far each indicator has come in a period: the people (or visits) Loa counted toward it, against the target
// population staff entered for each commune, with the plan's target beside it. No figure is made up: a commune
// without an entered population shows "no target entered", never a percentage.
import type { PlaceLookup } from "../engine/place-lookup.ts";
import type { DatabaseClient } from "../store/database.ts";
import type { Indicator } from "./indicators.ts";
import { parsePeriod } from "./periods.ts";
import { readCommuneFigures, type CommuneFigures, type CommuneFiguresDeps, type FigureKey } from "./commune-figures.ts";
import type { ShownCount } from "./small-cells.ts";
import { readCounts, readVisits, type CountRow } from "./stats-query.ts";

/** Which progress to compute: a period name ("2026-H2", "2026"), a province, and optionally some of its communes. */
export type ProgressQuery = { period: string; provinceCode: string; communeCodes?: readonly string[] };

/** One commune's progress on one indicator. */
export type CommuneProgress = {
  communeCode: string;
  /** People (or, for an indicator in lượt, visits) counted toward it in the period. */
  reached: number;
  /** The target population entered for the period's year, or null: no target entered. */
  population: number | null;
  /** `reached` as a percentage of `population`, or null without a population. May pass 100. */
  percent: number | null;
};

/** Progress on one indicator in a province or a set of its communes. */
export type IndicatorProgress = {
  indicator: Indicator;
  /** The year whose target populations are used: the period's year. */
  year: number;
  communes: CommuneProgress[];
  total: {
    /**
     * Counted in the whole province (exact: someone counted in two communes counts once), or, when some communes
     * were asked for, the sum over them.
     */
    reached: number;
    /** The entered populations added up, or null when no commune has one. */
    population: number | null;
    /** Counted in the communes that have a population, as a percentage of their populations; null without any. */
    percent: number | null;
    /** How many of the communes have no target entered, so a reader knows what the percentage leaves out. */
    communesWithoutTarget: number;
  };
};

const percentOf = (reached: number, population: number | null) => (population === null || population === 0 ? null : (reached * 100) / population);

const byCode = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/**
 * Progress of every indicator for a period and a province. Numerators come from the aggregates (dimension
 * "indicator": people, or lượt summed from days for an indicator in lượt), so the cost does not grow with the
 * number of events; denominators from the targets of the period's year. Without `communeCodes` every commune of
 * the province is listed (and any other with counts or targets); with them, only those.
 */
export async function indicatorProgress(
  deps: { db: Pick<DatabaseClient, "statsCount" | "indicatorTarget">; indicators: readonly Indicator[]; places: PlaceLookup },
  query: ProgressQuery,
): Promise<IndicatorProgress[]> {
  const period = parsePeriod(query.period);
  const year = Number(period.key.slice(1, 5));
  const place = { periods: [period.key], provinceCode: query.provinceCode, dimension: "indicator" };
  const communeRows = [...(await readCounts(deps.db, { ...place, communeCode: "*", metrics: ["people"] })), ...(await readVisits(deps.db, { ...place, communeCode: "*" }))];
  const provinceRows = [...(await readCounts(deps.db, { ...place, metrics: ["people"] })), ...(await readVisits(deps.db, place))];
  const targets = await deps.db.indicatorTarget.findMany({ where: { provinceCode: query.provinceCode, year } });
  const listed = query.communeCodes === undefined ? undefined : new Set(query.communeCodes);
  const communeCodes =
    listed !== undefined
      ? [...listed].sort(byCode)
      : [...new Set([...deps.places.communesOf(query.provinceCode).map((commune) => commune.code), ...communeRows.map((row) => row.communeCode), ...targets.map((target) => target.communeCode)])].sort(byCode);

  return deps.indicators.map((indicator) => {
    const { metric } = indicatorKey(indicator);
    const countOf = (rows: readonly CountRow[], communeCode: string) => rows.find((row) => row.value === indicator.id && row.metric === metric && row.communeCode === communeCode)?.count ?? 0;
    const populations = new Map(targets.filter((target) => target.indicatorId === indicator.id).map((target) => [target.communeCode, target.population]));
    const communes = communeCodes.map((communeCode): CommuneProgress => {
      const reached = countOf(communeRows, communeCode);
      const population = indicator.denominator === null ? null : (populations.get(communeCode) ?? null);
      return { communeCode, reached, population, percent: percentOf(reached, population) };
    });
    const targeted = communes.filter((commune) => commune.population !== null);
    const population = targeted.length === 0 ? null : targeted.reduce((sum, commune) => sum + (commune.population ?? 0), 0);
    return {
      indicator,
      year,
      communes,
      total: {
        reached: listed === undefined ? countOf(provinceRows, "") : communes.reduce((sum, commune) => sum + commune.reached, 0),
        population,
        percent: percentOf(targeted.reduce((sum, commune) => sum + commune.reached, 0), population),
        communesWithoutTarget: indicator.denominator === null ? 0 : communes.length - targeted.length,
      },
    };
  });
}

/**
 * One line of progress as a view shows it: the count (hidden when small), the population, and the percentage
 * and judgement, left out with `percentWithheld` when they would give away a hidden count.
 */
export type ShownProgressLine = { reached: ShownCount; population: number | null; percent: number | null; percentWithheld: boolean; meetsTarget: boolean | null };

/** Progress on one indicator as a view shows it, commune counts protected. */
export type ShownIndicatorProgress = {
  indicator: Indicator;
  year: number;
  total: ShownProgressLine & { communesWithoutTarget: number };
  communes: Array<ShownProgressLine & { communeCode: string }>;
};

function shownLine(target: number | null, reached: ShownCount, population: number | null, percent: number | null, withheld: boolean): ShownProgressLine {
  const hidden = withheld || (reached.kind !== "count" && percent !== null);
  const visible = hidden ? null : percent;
  return { reached, population, percent: visible, percentWithheld: hidden, meetsTarget: target === null || visible === null ? null : visible >= target };
}

/** Which communes a view of progress covers: a province as a whole, or some of its communes (a team's, or one). */
export type ProgressScope = { kind: "province" } | { kind: "communes"; communeCodes: readonly string[] };

/** The aggregate cell an indicator counts in: people, or lượt for an indicator in lượt. */
export function indicatorKey(indicator: Indicator): FigureKey {
  return { dimension: "indicator", value: indicator.id, metric: indicator.unit === "lượt" ? "visits" : "people" };
}

/**
 * Progress as a view shows it. Commune counts are the province's protected commune figures, so they hide the
 * same cells as every other view. A province's total is its own exact count; the total of some communes is
 * their sum, shown as `CommuneFigures.shown` allows. A percentage is withheld with the count it comes from, and
 * the overall one when the sum over the communes with a target population is hidden.
 */
export function showProgress(progress: readonly IndicatorProgress[], figures: CommuneFigures, scope: ProgressScope): ShownIndicatorProgress[] {
  return progress.map((item) => {
    const key = indicatorKey(item.indicator);
    const target = item.indicator.target;
    const targeted = item.communes.filter((commune) => commune.population !== null).map((commune) => commune.communeCode);
    const base = targeted.length === 0 ? null : figures.shown(targeted, key);
    const total: ShownCount = scope.kind === "province" ? { kind: "count", value: item.total.reached } : figures.shown(scope.communeCodes, key);
    return {
      indicator: item.indicator,
      year: item.year,
      total: { ...shownLine(target, total, item.total.population, item.total.percent, base !== null && base.kind !== "count"), communesWithoutTarget: item.total.communesWithoutTarget },
      communes: item.communes.map((commune) => ({ communeCode: commune.communeCode, ...shownLine(target, figures.shown([commune.communeCode], key), commune.population, commune.percent, false) })),
    };
  });
}

/** One indicator's progress in the whole country: its count, and the share over every targeted commune. */
export type CountryProgressLine = { indicator: Indicator; line: ShownProgressLine; communesWithoutTarget: number };

/**
 * Progress in the whole country: the country's own count; the populations entered in every province for the
 * period's year added up, and the share over their targeted communes, withheld when any province's share is
 * (the others' shares would give its hidden communes away).
 */
export async function countryProgress(deps: CommuneFiguresDeps, periodName: string): Promise<CountryProgressLine[]> {
  const period = parsePeriod(periodName);
  const year = Number(period.key.slice(1, 5));
  const provinces = (await deps.db.indicatorTarget.findMany({ where: { year }, select: { provinceCode: true }, distinct: ["provinceCode"] })).map((row) => row.provinceCode);
  const perProvince: Array<Array<{ id: string; targetedReached: number; population: number | null; communesWithoutTarget: number; withheld: boolean }>> = [];
  for (const provinceCode of provinces) {
    const progress = await indicatorProgress(deps, { period: period.key, provinceCode });
    const shown = showProgress(progress, await readCommuneFigures(deps, { period: period.key, provinceCode }), { kind: "province" });
    perProvince.push(
      progress.map((item, index) => ({
        id: item.indicator.id,
        targetedReached: item.communes.reduce((sum, commune) => sum + (commune.population === null ? 0 : commune.reached), 0),
        population: item.total.population,
        communesWithoutTarget: item.total.communesWithoutTarget,
        withheld: shown[index]?.total.percentWithheld ?? true,
      })),
    );
  }
  const periods = [period.key];
  const country = [...(await readCounts(deps.db, { periods, dimension: "indicator", metrics: ["people"] })), ...(await readVisits(deps.db, { periods, dimension: "indicator" }))];
  return deps.indicators.map((indicator) => {
    const reached = country.find((row) => row.value === indicator.id && row.metric === indicatorKey(indicator).metric)?.count ?? 0;
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
