import { describe, expect, it } from "vitest";
import { barChart } from "../../../src/console/charts/bar-chart.ts";
import type { ChartPoint } from "../../../src/console/charts/chart-points.ts";
import { consolePalette } from "../../../src/console/console-css.ts";
import { consoleText } from "../../../src/console/console-locale.ts";
import { htmlText } from "../../../src/console/html.ts";
import { startTags } from "../html-inspection.ts";
import { isWellFormed, svgRects, svgTexts } from "./svg-inspection.ts";

const words = consoleText("vi").stats;

const points: ChartPoint[] = [
  { label: "Sinh con an toàn", figure: { kind: "count", value: 12_345 } },
  { label: "Tảo hôn", figure: { kind: "count", value: 6_172 } },
  { label: "Hôn nhân cận huyết", figure: { kind: "small", below: 5 } },
  { label: "Bạo lực gia đình", figure: { kind: "withheld" } },
  { label: "Không thuộc chủ đề nào", figure: { kind: "count", value: 0 } },
];

function draw(chartPoints: readonly ChartPoint[] = points, locale: "vi" | "en" = "vi"): string {
  return htmlText(barChart({ id: "by-topic-chart", title: "Số người theo chủ đề", points: chartPoints, locale, words: consoleText(locale).stats }));
}

describe("the bar chart", () => {
  it("is a well-formed SVG image named by a summary, with its title", () => {
    const svg = draw();
    expect(isWellFormed(svg)).toBe(true);
    const root = startTags(svg, "svg")[0];
    expect(root?.attributes.get("role")).toBe("img");
    expect(root?.attributes.get("aria-label")).toBe("Số người theo chủ đề. 5 mục. Cao nhất: Sinh con an toàn, 12.345. Số liệu đầy đủ ở bảng bên dưới.");
    expect(svg).toContain("<title>Số người theo chủ đề</title>");
  });

  it("writes each name and its figure as the table does: Vietnamese thousands, <5 and ẩn", () => {
    expect(svgTexts(draw())).toEqual([
      "Sinh con an toàn",
      "12.345",
      "Tảo hôn",
      "6.172",
      "Hôn nhân cận huyết",
      "<5",
      "Bạo lực gia đình",
      words.withheld,
      "Không thuộc chủ đề nào",
      "0",
    ]);
    expect(svgTexts(draw(points, "en"))).toContain("12,345");
  });

  it("draws bars in proportion to the largest, an outline up to the threshold (at least 2 units) for a hidden small count, and nothing for a withheld one", () => {
    const rects = svgRects(draw());
    expect(rects).toHaveLength(3);
    const [largest, half, outline] = rects;
    expect(largest?.attributes.get("width")).toBe("320");
    expect(half?.attributes.get("width")).toBe("160");
    expect(largest?.attributes.get("fill")).toBe(consolePalette.brand);
    expect(outline?.attributes.get("fill")).toBe("none");
    expect(outline?.attributes.get("stroke-dasharray")).toBe("3 2");
    expect(outline?.attributes.get("width")).toBe("2");
  });

  it("cuts long names in the drawing only, and escapes what it is given", () => {
    const svg = draw([
      { label: "xã Chiềng Sơn thuộc huyện Mộc Châu cũ, tỉnh Sơn La", figure: { kind: "count", value: 7 } },
      { label: "<script>alert(1)</script>", figure: { kind: "count", value: 1 } },
    ]);
    expect(isWellFormed(svg)).toBe(true);
    expect(svgTexts(svg)[0]).toBe("xã Chiềng Sơn thuộc huyện Mộc…");
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
  });

  it("uses no style or script, which the console's security policy forbids", () => {
    const svg = draw();
    expect(svg).not.toMatch(/style=|<style|<script|\son[a-z]+=/i);
  });

  it("still has a scale and a summary with nothing to draw", () => {
    const svg = draw([]);
    expect(isWellFormed(svg)).toBe(true);
    expect(startTags(svg, "svg")[0]?.attributes.get("aria-label")).toBe("Số người theo chủ đề. 0 mục. Số liệu đầy đủ ở bảng bên dưới.");
  });
});
