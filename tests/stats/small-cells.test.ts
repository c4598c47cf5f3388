import { describe, expect, it } from "vitest";
import { isHidden, protectSmallCounts, type ShownCount } from "../../src/stats/small-cells.ts";

const text = (cell: ShownCount | null) => (cell === null ? "·" : cell.kind === "count" ? String(cell.value) : cell.kind === "small" ? `<${cell.below}` : "ẩn");

describe("small-cell protection", () => {
  it("hides counts under the threshold, keeps zeros, and withholds partners where one count alone is hidden, fixing two lines at once where it can", () => {
    const grid = [
      [null, 40, 3, 12],
      [null, 25, 0, 9],
      [null, 60, 18, 30],
    ];
    expect(protectSmallCounts(grid, 5).map((row) => row.map(text))).toEqual([
      ["·", "40", "<5", "ẩn"],
      ["·", "25", "0", "9"],
      ["·", "60", "ẩn", "ẩn"],
    ]);
  });

  it("treats a group of cells whose sum is shown elsewhere as one more line", () => {
    const grid = [
      [3, 20],
      [60, 30],
      [50, 70],
    ];
    // Alone, the column hides its smallest other count (50); when the first two rows' sum is shown elsewhere,
    // the partner must come from that group, or the 3 would be the sum minus 60.
    expect(protectSmallCounts(grid, 5).map((row) => row.map(text))).toEqual([
      ["<5", "ẩn"],
      ["60", "30"],
      ["ẩn", "ẩn"],
    ]);
    const group = [{ row: 0, column: 0 }, { row: 1, column: 0 }];
    expect(protectSmallCounts(grid, 5, [group]).map((row) => row.map(text))).toEqual([
      ["<5", "ẩn"],
      ["ẩn", "ẩn"],
      ["50", "70"],
    ]);
  });

  it("leaves a table without small counts as it is", () => {
    expect(protectSmallCounts([[5, 0, 7], [100, 8, 0]], 5).map((row) => row.map(text))).toEqual([["5", "0", "7"], ["100", "8", "0"]]);
  });

  it("never leaves a row or a column with exactly one hidden count, on random tables", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let round = 0; round < 300; round += 1) {
      const rows = 1 + Math.floor(random() * 6);
      const columns = 1 + Math.floor(random() * 6);
      const grid = Array.from({ length: rows }, () => Array.from({ length: columns }, () => (random() < 0.4 ? Math.floor(random() * 5) : Math.floor(random() * 40))));
      const shown = protectSmallCounts(grid, 5);
      const hiddenIn = (cells: Array<ShownCount | null>) => cells.filter((cell) => cell !== null && isHidden(cell)).length;
      for (const row of shown) if (row.length >= 2) expect(hiddenIn(row)).not.toBe(1);
      for (let column = 0; column < columns; column += 1) if (rows >= 2) expect(hiddenIn(shown.map((row) => row[column] ?? null))).not.toBe(1);
      grid.forEach((cells, row) =>
        cells.forEach((value, column) => {
          const cell = shown[row]?.[column];
          if (value > 0 && value < 5) expect(cell).toEqual({ kind: "small", below: 5 });
          else expect(cell?.kind === "count" ? cell.value : "hidden").toSatisfy((shownValue) => shownValue === value || shownValue === "hidden");
        }),
      );
    }
  });
});
