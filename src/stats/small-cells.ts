/**
 * A people count as a commune-level view may show it. In a commune, "3 people read about child marriage" can
 * point at a household, so counts under the threshold (STATS_SUPPRESS_BELOW, default 5) are `small` and shown as
 * "<5"; a count hidden so that a small one cannot be worked out from the rest of its row or column is `withheld`.
 */
export type ShownCount = { kind: "count"; value: number } | { kind: "small"; below: number } | { kind: "withheld" };

/** A cell of a table: its row and column, from 0. */
export type CellPosition = { row: number; column: number };

/** Whether `a` sorts before `b`, comparing item by item. */
function sortsBefore(a: readonly number[], b: readonly number[]): boolean {
  const index = a.findIndex((value, at) => value !== b[at]);
  return index >= 0 && (a[index] ?? 0) < (b[index] ?? 0);
}

/** A commune-level figure standing alone, in no table with a total: hidden only when it is small itself. */
export function protectCount(value: number, threshold: number): ShownCount {
  return value > 0 && value < threshold ? { kind: "small", below: threshold } : { kind: "count", value };
}

/** Whether a shown count hides its value. */
export function isHidden(count: ShownCount): boolean {
  return count.kind !== "count";
}

/**
 * Protects a commune-level table of people counts (null marks a cell that is not one, such as a name). Counts
 * from 1 to `threshold - 1` become `small`; zero stays, as it names nobody. Where a row, a column or one of the
 * `groups` (other sets of cells whose sum is shown somewhere, such as the communes behind a percentage) then has
 * exactly one hidden count, one more count of that line is `withheld`, so no hidden count is the difference
 * between a total and the counts shown (see `protectCells`). A group of one cell cannot be fixed: its caller must
 * then withhold the group's total. Province and country totals are not commune cells.
 */
export function protectSmallCounts(grid: readonly (readonly (number | null)[])[], threshold: number, groups: readonly (readonly CellPosition[])[] = []): Array<Array<ShownCount | null>> {
  const rows = grid.map((cells, row) => cells.map((_, column) => ({ row, column })));
  const columns = Array.from({ length: Math.max(0, ...grid.map((cells) => cells.length)) }, (_, column) => grid.flatMap((cells, row) => (column < cells.length ? [{ row, column }] : [])));
  return protectCells(grid, threshold, [...rows, ...columns, ...groups]);
}

/**
 * Protects the counts of a grid against the sums shown of the given `lines` (sets of cells whose total, or whose
 * relation to one another, a reader can see). Counts from 1 to `threshold - 1` become `small`; then, while a line
 * has exactly one hidden count, one more of its counts is `withheld`. The partner is chosen to hide as little as
 * possible: first one that also fixes another line with a lone hidden count and creates none, then one that
 * creates no new lone hidden count, then the smallest non-zero count. Lines are visited in order, again and again
 * until none can be fixed, so the same grid and lines always hide the same cells. Null cells and lines of fewer
 * than two counts are left out.
 */
export function protectCells(grid: readonly (readonly (number | null)[])[], threshold: number, lines: readonly (readonly CellPosition[])[]): Array<Array<ShownCount | null>> {
  const shown = grid.map((cells) => cells.map((cell): ShownCount | null => (cell === null ? null : protectCount(cell, threshold))));
  const at = (position: CellPosition) => shown[position.row]?.[position.column] ?? null;
  const keyOf = (position: CellPosition) => `${position.row}:${position.column}`;
  const kept = lines.map((line) => line.filter((position) => at(position) !== null)).filter((line) => line.length >= 2);
  const linesOf = new Map<string, number[]>();
  kept.forEach((line, index) => {
    for (const position of line) linesOf.set(keyOf(position), [...(linesOf.get(keyOf(position)) ?? []), index]);
  });
  const hidden = kept.map((line) => line.filter((position) => { const cell = at(position); return cell !== null && isHidden(cell); }).length);
  let changed = true;
  while (changed) {
    changed = false;
    kept.forEach((line, index) => {
      if (hidden[index] !== 1) return;
      let best: { position: CellPosition; order: number[] } | undefined;
      for (const position of line) {
        const cell = at(position);
        if (cell?.kind !== "count") continue;
        const crossing = (linesOf.get(keyOf(position)) ?? []).filter((other) => other !== index);
        const fixes = crossing.some((other) => hidden[other] === 1);
        const creates = crossing.some((other) => hidden[other] === 0);
        const order = [(creates ? 2 : 1) - (fixes ? 1 : 0), cell.value > 0 ? 0 : 1, cell.value];
        if (best === undefined || sortsBefore(order, best.order)) best = { position, order };
      }
      const row = best === undefined ? undefined : shown[best.position.row];
      if (best === undefined || row === undefined) return;
      row[best.position.column] = { kind: "withheld" };
      for (const other of linesOf.get(keyOf(best.position)) ?? []) hidden[other] = (hidden[other] ?? 0) + 1;
      changed = true;
    });
  }
  return shown;
}
