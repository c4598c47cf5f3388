import { protectSmallCounts } from "../stats/small-cells.ts";
import { isHidden, type StatsFigure } from "./stats-figures.ts";

/**
 * Small-number protection for the figures of a commune-level table (the rule is src/stats/small-cells.ts, made
 * for people counts). The console applies it to every count marked `protect`: besides người and lượt, the
 * messages, emergency answers and referrals of a commune, since "1 emergency answer" or "2 messages" says as
 * much about a household as "<5 people" hides. Counts are protected together, row by row and column by
 * column, and a share worked out from a hidden count is withheld with it ("2,5 % of 120" gives 3 back).
 */
export function protectPeopleFigures(rows: readonly (readonly StatsFigure[])[], threshold: number): StatsFigure[][] {
  const grid = rows.map((figures) => figures.map((figure) => (figure.kind === "count" && figure.protect === true ? figure.value : null)));
  const shown = protectSmallCounts(grid, threshold);
  const protectedRows = rows.map((figures, row) =>
    figures.map((figure, column): StatsFigure => {
      const count = shown[row]?.[column] ?? null;
      if (count === null) return figure;
      return count.kind === "count" ? { kind: "count", value: count.value, protect: true } : count;
    }),
  );
  return protectedRows.map((figures) =>
    figures.map((figure): StatsFigure => {
      if (figure.kind !== "percent" || figure.basedOn === undefined) return figure;
      const source = figures[figure.basedOn];
      return source !== undefined && isHidden(source) ? { kind: "withheld" } : figure;
    }),
  );
}
