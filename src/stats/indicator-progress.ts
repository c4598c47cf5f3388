// How far each indicator has come in a period: the people (or visits) Loa counted toward it, against the target
// population staff entered for each commune, with the plan's target beside it. No figure is made up: a commune
// without an entered population shows "no target entered", never a percentage.
import type { PlaceLookup } from "../engine/place-lookup.ts";
import type { DatabaseClient } from "../store/database.ts";
import type { Indicator } from "./indicators.ts";
import { parsePeriod } from "./periods.ts";
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
    const metric = indicator.unit === "lượt" ? "visits" : "people";
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
