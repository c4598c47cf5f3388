import { describe, expect, it } from "vitest";
import { consoleText } from "../../src/console/console-locale.ts";
import { renderStatsOverviewPage, renderStatsPlacesPage } from "../../src/console/stats-page.ts";
import { firstSvg, isWellFormed, svgTexts } from "./charts/svg-inspection.ts";
import { formsOf, startTags, textOfId } from "./html-inspection.ts";
import { statsOverviewView, statsPlacesView } from "./stats-fixtures.ts";
import { tableCells } from "./table-inspection.ts";

const vi = consoleText("vi").stats;
const page = renderStatsOverviewPage(statsOverviewView("vi"));

/** A bar chart's (name, figure) pairs, in the order drawn. */
function barPairs(svg: string): string[][] {
  const texts = svgTexts(svg);
  return Array.from({ length: texts.length / 2 }, (_, index) => [texts[index * 2] ?? "", texts[index * 2 + 1] ?? ""]);
}

describe("the statistics overview", () => {
  it("is titled with the place, shows the period and the trail to the place, the current one unlinked", () => {
    expect(page).toContain("<title>Thống kê: xã Mường Bú – Loa</title>");
    expect(page).toContain("<p><strong>6 tháng cuối năm 2026</strong></p>");
    expect(page).toContain(`<nav class="trail" aria-label="${vi.placeTrail}"><ol><li><a href="/console/stats/14?period=2026-H2">Sơn La</a></li><li aria-current="page">xã Mường Bú</li></ol></nav>`);
  });

  it("chooses the period with a GET form of grouped periods, the current one selected", () => {
    const form = formsOf(page).find((candidate) => candidate.tag.attributes.get("action") === "/console/stats/14/14-mau-04");
    expect(form?.tag.attributes.get("method")).toBe("get");
    expect(form?.inside).toContain('<optgroup label="6 tháng"><option value="2026-H2" selected>6 tháng cuối năm 2026</option><option value="2026-H1">6 tháng đầu năm 2026</option></optgroup>');
    expect(form?.inside).toContain(`<label for="stats-period">${vi.period}</label>`);
  });

  it("shows the key figures as cards, in Vietnamese numbers and percentages", () => {
    expect(page).toContain(`<div><dt>${vi.people}</dt><dd>12.345</dd></div>`);
    expect(page).toContain(`<div><dt>${vi.quizCorrect}</dt><dd>80,5\u00a0%</dd></div>`);
  });

  it("draws every chart from its table: the same names and figures, hidden ones hidden in both", () => {
    for (const id of ["by-topic", "by-place"]) {
      const svg = firstSvg(page, `${id}-chart`);
      expect(isWellFormed(svg), id).toBe(true);
      const rows = tableCells(page, `${id}-caption`).map((cells) => [cells[0] ?? "", cells[1] ?? ""]);
      expect(barPairs(svg), id).toEqual(rows);
    }
    const overTime = firstSvg(page, "over-time-chart");
    expect(tableCells(page, "over-time-caption").map((cells) => cells[1])).toEqual(["12.345", "820", "<5", "ẩn", "0", "37"]);
    expect(svgTexts(overTime).slice(-6)).toEqual(["T7", "T8", "T9", "T10", "T11", "T12"]);
    expect(tableCells(page, "by-topic-caption")[2]).toEqual(["Hôn nhân cận huyết", "<5", "ẩn", "7"]);
  });

  it("titles a chart kept to the largest places as such, with the whole list in its table", () => {
    const view = statsOverviewView("vi");
    const rows = Array.from({ length: 15 }, (_, index) => ({ label: `xã ${index + 1}`, url: null, figures: [{ kind: "count" as const, value: 100 - index, protect: true }] }));
    const many = renderStatsOverviewPage({ ...view, byPlace: view.byPlace === null ? null : { ...view.byPlace, table: { ...view.byPlace.table, rows } } });
    const svg = firstSvg(many, "by-place-chart");
    expect(barPairs(svg)).toHaveLength(12);
    expect(startTags(svg, "svg")[0]?.attributes.get("aria-label")).toMatch(/^Số người theo xã \(12 nơi nhiều nhất\)\. 12 mục\./);
    expect(tableCells(many, "by-place-caption")).toHaveLength(15);
  });

  it("links each commune to its own page, and each table to its CSV and XLSX", () => {
    expect(page).toContain('<a href="/console/stats/14/14-mau-05?period=2026-H2">xã Chiềng Sại</a>');
    const downloads = startTags(page, "a").filter((link) => link.attributes.has("download")).map((link) => link.attributes.get("href"));
    for (const id of ["summary", "over-time", "by-topic", "by-place", "by-language", "indicators", "campaigns", "sessions"]) {
      expect(downloads, id).toContain(`/console/stats/tables/${id}.csv?place=14-mau-04&amp;period=2026-H2`);
      expect(downloads, id).toContain(`/console/stats/tables/${id}.xlsx?place=14-mau-04&amp;period=2026-H2`);
    }
    expect(downloads).toContain("/console/stats/report.xlsx?province=14&amp;period=2026-H2");
  });

  it("shows indicator progress as a bar of the share of the target population, and says where no target was entered", () => {
    const bars = startTags(page, "progress");
    expect(bars).toHaveLength(1);
    expect([bars[0]?.attributes.get("max"), bars[0]?.attributes.get("value")]).toEqual(["100", "61.7"]);
    expect(textOfId(page, bars[0]?.attributes.get("aria-labelledby") ?? "")).toBe("Phụ nữ được tuyên truyền về sinh đẻ an toàn");
    expect(page).toContain(
      "<p>Đã tiếp cận 1.234 người</p><p><progress id=\"indicator-0\" aria-labelledby=\"indicator-0-name\" max=\"100\" value=\"61.7\">61,7\u00a0%</progress> <span>61,7\u00a0% của 2.000 đối tượng</span></p><p class=\"hint\">Mục tiêu 80\u00a0%</p><p class=\"hint\">2 xã chưa nhập chỉ tiêu, không tính vào tỷ lệ.</p>",
    );
    expect(page).toContain(`<p>Đã tiếp cận 56 hộ · <span class="due">${vi.noTarget}</span></p>`);
    expect(page).toContain("<p>Đã tiếp cận &lt;5 người</p><p><span>ẩn của 120 đối tượng</span></p>");
    expect(page).toContain("<p>Đã tiếp cận 9 lượt</p></li>");
  });

  it("keeps in-person sessions in their own section, saying they are not part of the bot's reach", () => {
    const sessions = page.slice(page.indexOf('<section aria-labelledby="sessions-title">'));
    expect(sessions).toContain(`<h2 id="sessions-title">${vi.sessions}</h2><p class="notice">${vi.sessionsNote}</p>`);
    expect(tableCells(sessions)).toEqual([["Tảo hôn", "3", "45", "12", "57"]]);
    expect(page).toContain(`<a href="/console/stats/sessions/new?commune=14-mau-04">${vi.recordSession}</a>`);
  });

  it("leaves out what she may not do", () => {
    const view = statsOverviewView("en");
    const plain = renderStatsOverviewPage({ ...view, links: { report: null, recordSession: null, sessionList: null, targets: null } });
    expect(plain).not.toMatch(/report\.xlsx|sessions\/new|\/targets/);
  });

  it("stays small enough for a slow phone connection", () => {
    expect(Buffer.byteLength(page)).toBeLessThan(30_000);
  });
});

describe("choosing an area", () => {
  it("lists her areas as links", () => {
    const places = renderStatsPlacesPage(statsPlacesView("vi"));
    expect(places).toContain('<ul class="pick"><li><a href="/console/stats/14/14-mau-04">xã Mường Bú</a></li><li><a href="/console/stats/14/14-mau-05">xã Chiềng Sại</a></li></ul>');
    expect(places).toContain(`<a href="/console/stats" aria-current="page">${consoleText("vi").nav.stats}</a>`);
  });
});
