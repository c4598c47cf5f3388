// Every commune-level figure of one province and period, read once from the aggregates and protected once, so
// the periodic report, the API and the console hide exactly the same cells: a count hidden in one of them can
// never be worked out from another.
import type { PlaceLookup } from "../engine/place-lookup.ts";
import type { DatabaseClient } from "../store/database.ts";
import type { Indicator } from "./indicators.ts";
import { parsePeriod, periodKeys, type Period } from "./periods.ts";
import { reachMetrics, type ReachLine } from "./reach-figures.ts";
import { protectCells, protectCount, type CellPosition, type ShownCount } from "./small-cells.ts";
import { readCounts, readVisits, type CountRow } from "./stats-query.ts";

/**
 * Which figure of a commune: a dimension of the aggregates ("" for totals, "topic", "locale", "channel",
 * "campaign", "indicator", or "series" for the months of the period, or the days of a month, by their key), its
 * value, and a metric ("people", "visits", "messages", …).
 */
export type FigureKey = { dimension: string; value: string; metric: string };

/** The dimensions of the aggregates a view breaks a commune's reach down by. */
const breakdowns = ["topic", "locale", "channel", "campaign", "indicator"] as const;

/** Messages are shown or withheld with the people they went to, since they bound that count; every other metric is protected. */
const borrowedMetric = "messages";

/** A province's commune figures for a period, protected together. */
export type CommuneFigures = {
  /** People counts under this are hidden. */
  threshold: number;
  /** Every commune of the province, and any other with counts or targets, in code order: the grid's rows. */
  communeCodes: readonly string[];
  /** The values of a dimension counted in any of the communes, in order ("series": the months or days of the period). */
  values(dimension: string, communeCodes?: readonly string[]): string[];
  /** The raw count of one commune (never show it: for sums and percentages only). */
  valueOf(communeCode: string, key: FigureKey): number;
  /**
   * A commune's figure, or the sum over some communes, as it may be shown. One commune's figure is its cell of
   * the protected grid. A sum is small when it is, and withheld when exactly one of its cells is hidden, or when
   * it has a hidden cell and exactly one other cell of the province's column is hidden (the province total minus
   * this sum would give that one away). Messages are shown exactly when the people they went to are.
   */
  shown(communeCodes: readonly string[], key: FigureKey): ShownCount;
};

/** What reading the figures needs. */
export type CommuneFiguresDeps = {
  db: Pick<DatabaseClient, "statsCount" | "indicatorTarget">;
  places: PlaceLookup;
  indicators: readonly Indicator[];
  threshold: number;
};

const byCode = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });
const columnKey = (key: FigureKey) => `${key.dimension}\u0000${key.value}\u0000${key.metric}`;

/** The keys of a period's steps: the months of a longer period, the days of a month, none for a day. */
function seriesKeys(period: Period): string[] {
  if (period.kind === "day") return [];
  return periodKeys(period.kind === "month" ? "day" : "month", period.key);
}

/** Every stored count of the province's communes that any view of the period can show. */
async function readRows(db: CommuneFiguresDeps["db"], period: Period, provinceCode: string): Promise<CountRow[]> {
  const place = { provinceCode, communeCode: "*" };
  const stored = reachMetrics.filter((metric) => metric !== "visits");
  const rows: CountRow[] = [...(await readCounts(db, { periods: [period.key], ...place, metrics: stored })), ...(await readVisits(db, { periods: [period.key], ...place }))];
  for (const dimension of breakdowns) {
    rows.push(...(await readCounts(db, { periods: [period.key], ...place, dimension, metrics: ["people", borrowedMetric] })), ...(await readVisits(db, { periods: [period.key], ...place, dimension })));
  }
  const steps = seriesKeys(period);
  const series = [...(await readCounts(db, { periods: steps, ...place, metrics: ["people"] })), ...(await readVisits(db, { periods: steps, ...place }))];
  rows.push(...series.map((row) => ({ ...row, dimension: "series", value: row.period })));
  return rows;
}

/**
 * Reads and protects the commune figures of a province for a period name ("2026-H2") or key ("h2026-2"). The
 * grid has a row per commune and a column per figure; the lines a reader can add up are its columns (the
 * province's figure is about their sum), and within each commune its lượt over the months (they add up to the
 * period's), its people and lượt by language and by channel (about its total), and for each indicator with a
 * target population the communes that have one and those that do not (their sum is behind the province's
 * percentage). Each line is then left with no hidden count or at least two (`protectCells`).
 */
export async function readCommuneFigures(deps: CommuneFiguresDeps, query: { period: string; provinceCode: string }): Promise<CommuneFigures> {
  const period = parsePeriod(query.period);
  const year = Number(period.key.slice(1, 5));
  const rows = await readRows(deps.db, period, query.provinceCode);
  const targets = await deps.db.indicatorTarget.findMany({ where: { provinceCode: query.provinceCode, year }, select: { indicatorId: true, communeCode: true } });
  const communeCodes = [...new Set([...deps.places.communesOf(query.provinceCode).map((commune) => commune.code), ...rows.map((row) => row.communeCode), ...targets.map((target) => target.communeCode)])].sort(byCode);
  const rowOf = new Map(communeCodes.map((code, index) => [code, index]));

  const raw = new Map<string, number>();
  const columns = new Map<string, FigureKey>();
  const valuesOf = new Map<string, Set<string>>();
  for (const row of rows) {
    const key = { dimension: row.dimension, value: row.value, metric: row.metric };
    raw.set(`${row.communeCode}\u0000${columnKey(key)}`, row.count);
    if (row.metric !== borrowedMetric) columns.set(columnKey(key), key);
    valuesOf.set(row.dimension, (valuesOf.get(row.dimension) ?? new Set()).add(row.value));
  }
  const steps = seriesKeys(period);
  for (const step of steps) for (const metric of ["people", "visits"]) columns.set(columnKey({ dimension: "series", value: step, metric }), { dimension: "series", value: step, metric });
  for (const metric of reachMetrics) if (metric !== borrowedMetric) columns.set(columnKey({ dimension: "", value: "", metric }), { dimension: "", value: "", metric });
  for (const indicator of deps.indicators) for (const metric of ["people", "visits"]) columns.set(columnKey({ dimension: "indicator", value: indicator.id, metric }), { dimension: "indicator", value: indicator.id, metric });
  const columnKeys = [...columns.keys()].sort();
  const columnOf = new Map(columnKeys.map((key, index) => [key, index]));
  const valueOf = (communeCode: string, key: FigureKey) => raw.get(`${communeCode}\u0000${columnKey(key)}`) ?? 0;

  const grid = communeCodes.map((communeCode) => columnKeys.map((key) => raw.get(`${communeCode}\u0000${key}`) ?? 0));
  const cell = (row: number, key: FigureKey): CellPosition[] => {
    const column = columnOf.get(columnKey(key));
    return column === undefined ? [] : [{ row, column }];
  };
  const lines: CellPosition[][] = columnKeys.map((_, column) => communeCodes.map((_, row) => ({ row, column })));
  communeCodes.forEach((_, row) => {
    lines.push([...cell(row, { dimension: "", value: "", metric: "visits" }), ...steps.flatMap((step) => cell(row, { dimension: "series", value: step, metric: "visits" }))]);
    for (const dimension of ["locale", "channel"]) {
      for (const metric of ["people", "visits"]) {
        lines.push([...cell(row, { dimension: "", value: "", metric }), ...[...(valuesOf.get(dimension) ?? [])].flatMap((value) => cell(row, { dimension, value, metric }))]);
      }
    }
  });
  const targeted = new Map<string, Set<string>>();
  for (const target of targets) targeted.set(target.indicatorId, (targeted.get(target.indicatorId) ?? new Set()).add(target.communeCode));
  for (const indicator of deps.indicators) {
    if (indicator.denominator === null) continue;
    const key = { dimension: "indicator", value: indicator.id, metric: indicator.unit === "lượt" ? "visits" : "people" };
    const withTarget = targeted.get(indicator.id) ?? new Set<string>();
    lines.push(communeCodes.flatMap((code, row) => (withTarget.has(code) ? cell(row, key) : [])), communeCodes.flatMap((code, row) => (withTarget.has(code) ? [] : cell(row, key))));
  }
  const protectedGrid = protectCells(grid, deps.threshold, lines);

  const cellShown = (communeCode: string, key: FigureKey): ShownCount | undefined => {
    const row = rowOf.get(communeCode);
    const column = columnOf.get(columnKey(key));
    return row === undefined || column === undefined ? undefined : (protectedGrid[row]?.[column] ?? undefined);
  };
  const isHiddenCell = (communeCode: string, key: FigureKey) => (cellShown(communeCode, key)?.kind ?? "count") !== "count";

  const shown = (codes: readonly string[], key: FigureKey): ShownCount => {
    if (key.metric === borrowedMetric) {
      const people = shown(codes, { ...key, metric: "people" });
      return people.kind === "count" ? { kind: "count", value: codes.reduce((sum, code) => sum + valueOf(code, key), 0) } : { kind: "withheld" };
    }
    const unique = [...new Set(codes)];
    const only = unique[0];
    if (unique.length === 1 && only !== undefined) return cellShown(only, key) ?? protectCount(valueOf(only, key), deps.threshold);
    const total = unique.reduce((sum, code) => sum + valueOf(code, key), 0);
    const inside = new Set(unique);
    const hiddenInside = unique.filter((code) => isHiddenCell(code, key)).length;
    const hiddenOutside = communeCodes.filter((code) => !inside.has(code) && isHiddenCell(code, key)).length;
    const small = protectCount(total, deps.threshold);
    if (small.kind !== "count") return small;
    return hiddenInside === 1 || (hiddenInside > 0 && hiddenOutside === 1) ? { kind: "withheld" } : small;
  };

  return {
    threshold: deps.threshold,
    communeCodes,
    values: (dimension, codes) => {
      if (dimension === "series") return steps;
      const within = codes === undefined ? undefined : new Set(codes);
      const found = new Set<string>();
      for (const row of rows) if (row.dimension === dimension && (within === undefined || within.has(row.communeCode))) found.add(row.value);
      return [...found].sort();
    },
    valueOf,
    shown,
  };
}

/** People, lượt and messages of some communes (one, or a team's) for one value of a dimension, as they may be shown. */
export function shownReach(figures: CommuneFigures, communeCodes: readonly string[], dimension: string, value: string): ReachLine {
  return {
    people: figures.shown(communeCodes, { dimension, value, metric: "people" }),
    visits: figures.shown(communeCodes, { dimension, value, metric: "visits" }),
    messages: figures.shown(communeCodes, { dimension, value, metric: "messages" }),
  };
}
