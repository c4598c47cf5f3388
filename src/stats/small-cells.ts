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
 * between a total and the counts shown. The partner is chosen to hide as little as possible: first one that also
 * fixes another line with a lone hidden count and creates none, then one that creates no new lone hidden count,
 * then the smallest non-zero count. This repeats until no line can be fixed. A group of one cell cannot be: its
 * caller must then withhold the group's total. Province and country totals are not commune cells.
 */
export function protectSmallCounts(grid: readonly (readonly (number | null)[])[], threshold: number, groups: readonly (readonly CellPosition[])[] = []): Array<Array<ShownCount | null>> {
  const shown = grid.map((cells) =>
    cells.map((cell): ShownCount | null => (cell === null ? null : protectCount(cell, threshold))),
  );
  const positions = shown.flatMap((cells, row) => cells.flatMap((cell, column) => (cell === null ? [] : [{ row, column }])));
  const byRow = new Map<number, CellPosition[]>();
  const byColumn = new Map<number, CellPosition[]>();
  for (const position of positions) {
    byRow.set(position.row, [...(byRow.get(position.row) ?? []), position]);
    byColumn.set(position.column, [...(byColumn.get(position.column) ?? []), position]);
  }
  const isCount = (position: CellPosition) => (shown[position.row]?.[position.column] ?? null) !== null;
  const lines = [...byRow.values(), ...byColumn.values(), ...groups.map((group) => group.filter(isCount))].filter((line) => line.length >= 2);
  const at = (position: CellPosition) => shown[position.row]?.[position.column] ?? null;
  const hiddenIn = (line: readonly CellPosition[]) => line.filter((position) => { const cell = at(position); return cell !== null && isHidden(cell); }).length;
  const contains = (line: readonly CellPosition[], position: CellPosition) => line.some((other) => other.row === position.row && other.column === position.column);
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      if (hiddenIn(line) !== 1) continue;
      const candidates = line.flatMap((position) => {
        const cell = at(position);
        if (cell?.kind !== "count") return [];
        const crossing = lines.filter((other) => other !== line && contains(other, position));
        const fixes = crossing.some((other) => hiddenIn(other) === 1);
        const creates = crossing.some((other) => hiddenIn(other) === 0);
        return [{ position, order: [(creates ? 2 : 1) - (fixes ? 1 : 0), cell.value > 0 ? 0 : 1, cell.value] }];
      });
      const partner = candidates.reduce<(typeof candidates)[number] | undefined>((best, candidate) => (best === undefined || sortsBefore(candidate.order, best.order) ? candidate : best), undefined);
      const row = partner === undefined ? undefined : shown[partner.position.row];
      if (partner === undefined || row === undefined) continue;
      row[partner.position.column] = { kind: "withheld" };
      changed = true;
    }
  }
  return shown;
}
