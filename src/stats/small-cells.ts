/**
 * A people count as a commune-level view may show it. In a commune, "3 people read about child marriage" can
 * point at a household, so counts under the threshold (STATS_SUPPRESS_BELOW, default 5) are `small` and shown as
 * "<5"; a count hidden so that a small one cannot be worked out from the rest of its row or column is `withheld`.
 */
export type ShownCount = { kind: "count"; value: number } | { kind: "small"; below: number } | { kind: "withheld" };

type Position = { row: number; column: number };

/** Whether `a` sorts before `b`, comparing item by item. */
function sortsBefore(a: readonly number[], b: readonly number[]): boolean {
  const index = a.findIndex((value, at) => value !== b[at]);
  return index >= 0 && (a[index] ?? 0) < (b[index] ?? 0);
}

/** Whether a shown count hides its value. */
export function isHidden(count: ShownCount): boolean {
  return count.kind !== "count";
}

/**
 * Protects a commune-level table of people counts (null marks a cell that is not one, such as a name). Counts
 * from 1 to `threshold - 1` become `small`; zero stays, as it names nobody. Where a row or a column then has
 * exactly one hidden count, one more count of that line is `withheld`, so no hidden count is the difference
 * between a total and the counts shown: preferably one whose crossing line also has a lone hidden count (fixing
 * both), then the smallest non-zero one. This repeats until no line has a lone hidden count. Province and
 * country totals are not commune cells and are not passed here.
 */
export function protectSmallCounts(grid: readonly (readonly (number | null)[])[], threshold: number): Array<Array<ShownCount | null>> {
  const shown = grid.map((cells) =>
    cells.map((cell): ShownCount | null => (cell === null ? null : cell > 0 && cell < threshold ? { kind: "small", below: threshold } : { kind: "count", value: cell })),
  );
  const positions = shown.flatMap((cells, row) => cells.flatMap((cell, column) => (cell === null ? [] : [{ row, column }])));
  const rowOf = (position: Position) => positions.filter((other) => other.row === position.row);
  const columnOf = (position: Position) => positions.filter((other) => other.column === position.column);
  const lines = [...new Map(positions.map((position) => [`r${position.row}`, rowOf(position)])).values(), ...new Map(positions.map((position) => [`c${position.column}`, columnOf(position)])).values()];
  const at = (position: Position) => shown[position.row]?.[position.column] ?? null;
  const hiddenIn = (line: readonly Position[]) => line.filter((position) => { const cell = at(position); return cell !== null && isHidden(cell); }).length;
  const hasLoneHidden = (line: readonly Position[]) => line.length >= 2 && hiddenIn(line) === 1;
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      if (!hasLoneHidden(line)) continue;
      const alongRow = line.every((position) => position.row === line[0]?.row);
      const candidates = line.flatMap((position) => {
        const cell = at(position);
        if (cell?.kind !== "count") return [];
        const fixesCrossing = hasLoneHidden(alongRow ? columnOf(position) : rowOf(position));
        return [{ position, order: [fixesCrossing ? 0 : 1, cell.value > 0 ? 0 : 1, cell.value] }];
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
