import { describe, expect, it } from "vitest";
import type { StatsFigure } from "../../src/console/stats-figures.ts";
import { protectPeopleFigures } from "../../src/console/stats-suppression.ts";

const people = (value: number): StatsFigure => ({ kind: "count", value, protect: true });
const count = (value: number): StatsFigure => ({ kind: "count", value });

describe("protecting a commune table's people counts", () => {
  it("hides people counts under the threshold, keeps zero and leaves other counts alone", () => {
    expect(protectPeopleFigures([[people(3), count(2)], [people(0), count(40)], [people(4), count(1)]], 5)).toEqual([
      [{ kind: "small", below: 5 }, count(2)],
      [people(0), count(40)],
      [{ kind: "small", below: 5 }, count(1)],
    ]);
  });

  it("withholds a second people count, not a zero, when one alone is hidden in a column", () => {
    const shown = protectPeopleFigures([[people(300)], [people(2)], [people(40)]], 5);
    expect(shown).toEqual([[people(300)], [{ kind: "small", below: 5 }], [{ kind: "withheld" }]]);
  });

  it("withholds a share worked out from a hidden count, and keeps the others", () => {
    const rows: StatsFigure[][] = [
      [people(3), count(120), { kind: "percent", share: 0.025, basedOn: 0 }],
      [people(0), count(80), { kind: "percent", share: 0, basedOn: 0 }],
      [people(60), count(100), { kind: "percent", share: 0.6, basedOn: 0 }],
    ];
    const shown = protectPeopleFigures(rows, 5);
    expect(shown.map((row) => row[0])).toEqual([{ kind: "small", below: 5 }, people(0), { kind: "withheld" }]);
    expect(shown.map((row) => row[2])).toEqual([{ kind: "withheld" }, { kind: "percent", share: 0, basedOn: 0 }, { kind: "withheld" }]);
    expect(shown.map((row) => row[1])).toEqual([count(120), count(80), count(100)]);
  });

  it("follows the configured threshold", () => {
    expect(protectPeopleFigures([[people(7)], [people(9)]], 10)).toEqual([[{ kind: "small", below: 10 }], [{ kind: "small", below: 10 }]]);
    expect(protectPeopleFigures([[people(7)], [people(9)]], 5)).toEqual([[people(7)], [people(9)]]);
  });
});
