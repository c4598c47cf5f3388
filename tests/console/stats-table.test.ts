import { describe, expect, it } from "vitest";
import { consoleText } from "../../src/console/console-locale.ts";
import { htmlText } from "../../src/console/html.ts";
import { renderStatsTable, tableColumn } from "../../src/console/stats-table.ts";
import { byTopicTable } from "./stats-fixtures.ts";
import { startTags } from "./html-inspection.ts";
import { tableCells } from "./table-inspection.ts";

const words = consoleText("vi").stats;

describe("a statistics table", () => {
  const markup = htmlText(renderStatsTable("vi", words, byTopicTable()));

  it("prints every row with its figures as the Vietnamese read them, hidden ones as <5 and ẩn", () => {
    expect(tableCells(markup)).toEqual([
      ["Sinh con an toàn", "1.234", "3.000", "5.120"],
      ["Tảo hôn", "56", "80", "190"],
      ["Hôn nhân cận huyết", "<5", "ẩn", "7"],
    ]);
  });

  it("is captioned, scrolls in its own labelled box, and heads every column and row", () => {
    expect(markup).toContain('<div class="scroll" role="region" aria-labelledby="by-topic-caption" tabindex="0">');
    expect(markup).toContain('<caption id="by-topic-caption">Số người theo chủ đề</caption>');
    expect(startTags(markup, "th").map((header) => header.attributes.get("scope"))).toEqual(["col", "col", "col", "col", "row", "row", "row"]);
  });

  it("explains the hidden figures, and only when some are hidden", () => {
    expect(markup).toContain(`<p class="hint">“&lt;5”: nhỏ hơn 5, không ghi số để bảo vệ người dân. “ẩn”: che thêm để không suy ra được số nhỏ.</p>`);
    const rows = byTopicTable().rows;
    const open = { ...byTopicTable(), rows: rows.slice(0, 2) };
    expect(htmlText(renderStatsTable("vi", words, open))).not.toContain('<p class="hint">');
    const withheldOnly = { ...byTopicTable(), rows: [...rows.slice(0, 2), { label: "Bạo lực gia đình", url: null, figures: [{ kind: "withheld" as const }] }] };
    expect(htmlText(renderStatsTable("vi", words, withheldOnly))).toContain(`<p class="hint">${words.hiddenWithheld}</p>`);
  });

  it("links to its CSV and XLSX, each named with the table for screen readers", () => {
    const links = startTags(markup, "a");
    expect(links.map((link) => link.attributes.get("href"))).toEqual([
      "/console/stats/tables/by-topic.csv?place=14-mau-04&amp;period=2026-H2",
      "/console/stats/tables/by-topic.xlsx?place=14-mau-04&amp;period=2026-H2",
    ]);
    expect(links.map((link) => link.attributes.get("aria-label"))).toEqual(["Tải CSV: Số người theo chủ đề", "Tải Excel: Số người theo chủ đề"]);
  });

  it("says when there is nothing to show", () => {
    const empty = htmlText(renderStatsTable("en", consoleText("en").stats, { ...byTopicTable(), rows: [] }));
    expect(empty).toContain('<tr><td colspan="4">No figures yet.</td></tr>');
  });

  it("gives a chart the figures of one column under the rows' names", () => {
    expect(tableColumn(byTopicTable(), 1).map((point) => [point.label, point.figure.kind])).toEqual([
      ["Sinh con an toàn", "count"],
      ["Tảo hôn", "count"],
      ["Hôn nhân cận huyết", "withheld"],
    ]);
  });
});
