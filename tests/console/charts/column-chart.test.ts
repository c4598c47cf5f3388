import { describe, expect, it } from "vitest";
import type { ChartPoint } from "../../../src/console/charts/chart-points.ts";
import { columnChart, roundScaleTop } from "../../../src/console/charts/column-chart.ts";
import { consolePalette } from "../../../src/console/console-css.ts";
import { consoleText } from "../../../src/console/console-locale.ts";
import { htmlText } from "../../../src/console/html.ts";
import { startTags } from "../html-inspection.ts";
import { isWellFormed, svgRects, svgTexts } from "./svg-inspection.ts";

const words = consoleText("vi").stats;

const months: ChartPoint[] = [
  { label: "Tháng 7/2026", axisLabel: "T7", figure: { kind: "count", value: 800 } },
  { label: "Tháng 8/2026", axisLabel: "T8", figure: { kind: "count", value: 400 } },
  { label: "Tháng 9/2026", axisLabel: "T9", figure: { kind: "small", below: 5 } },
  { label: "Tháng 10/2026", axisLabel: "T10", figure: { kind: "withheld" } },
  { label: "Tháng 11/2026", axisLabel: "T11", figure: { kind: "count", value: 0 } },
  { label: "Tháng 12/2026", axisLabel: "T12", figure: { kind: "count", value: 1_000 } },
];

function draw(points: readonly ChartPoint[] = months): string {
  return htmlText(columnChart({ id: "over-time-chart", title: "Số người theo tháng", points, locale: "vi", words }));
}

describe("the column chart", () => {
  it("rounds the top of its scale up to 1, 2 or 5 times a power of ten", () => {
    expect([0, 1, 3, 7, 10, 11, 820, 1_000, 12_345].map(roundScaleTop)).toEqual([1, 1, 5, 10, 10, 20, 1_000, 1_000, 20_000]);
  });

  it("is a well-formed SVG image named by a summary", () => {
    const svg = draw();
    expect(isWellFormed(svg)).toBe(true);
    expect(startTags(svg, "svg")[0]?.attributes.get("role")).toBe("img");
    expect(startTags(svg, "svg")[0]?.attributes.get("aria-label")).toBe("Số người theo tháng. 6 mục. Cao nhất: Tháng 12/2026, 1.000. Số liệu đầy đủ ở bảng bên dưới.");
    expect(svg).not.toMatch(/style=|<style|<script/);
  });

  it("labels the scale in Vietnamese numbers and each month under its column", () => {
    expect(svgTexts(draw())).toEqual(["0", "500", "1.000", "T7", "T8", "T9", "T10", "T11", "T12"]);
  });

  it("draws each visible count to scale, an outline for a hidden small one, and nothing for zero or a withheld one", () => {
    const rects = svgRects(draw());
    expect(rects.map((rect) => rect.attributes.get("fill"))).toEqual([consolePalette.brand, consolePalette.brand, "none", consolePalette.brand]);
    const heights = rects.map((rect) => Number(rect.attributes.get("height")));
    expect(heights[0]).toBeCloseTo(heights[3]! * 0.8, 0);
    expect(heights[1]).toBeCloseTo(heights[3]! * 0.4, 0);
    const bottoms = rects.map((rect) => Number(rect.attributes.get("y")) + Number(rect.attributes.get("height")));
    expect(new Set(bottoms.map((bottom) => Math.round(bottom))).size).toBe(1);
  });

  it("names only every fifth day of a month under the axis, and every day in the table", () => {
    const days: ChartPoint[] = Array.from({ length: 30 }, (_, index) => ({ label: `Ngày ${index + 1}/11/2026`, axisLabel: String(index + 1), figure: { kind: "count", value: index } }));
    const texts = svgTexts(draw(days));
    expect(texts.slice(3)).toEqual(["1", "5", "10", "15", "20", "25", "30"]);
    expect(svgRects(draw(days))).toHaveLength(29);
  });
});
