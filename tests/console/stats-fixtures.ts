// View models for the statistics pages, filled as the routes fill them: a province officer's view of one
// commune for the second half of 2026, with small counts already hidden as the routes hide them.
import type { ConsoleLocale } from "../../src/console/console-locale.ts";
import type { StatsFigure } from "../../src/console/stats-figures.ts";
import type { StatsTable } from "../../src/console/stats-table.ts";
import type { SessionFormView, StatsOverviewView, StatsPlacesView, TargetsView } from "../../src/console/stats-view-models.ts";
import { provinceContext } from "./console-fixtures.ts";

const count = (value: number): StatsFigure => ({ kind: "count", value });
const small: StatsFigure = { kind: "small", below: 5 };

function files(id: string) {
  return { csv: `/console/stats/tables/${id}.csv?place=14-mau-04&period=2026-H2`, xlsx: `/console/stats/tables/${id}.xlsx?place=14-mau-04&period=2026-H2` };
}

function table(id: string, caption: string, headings: string[], rows: StatsTable["rows"]): StatsTable {
  return { id, caption, headings, rows, files: files(id) };
}

/** The months of 2026-H2 in a commune: September had fewer than 5 people, so it is hidden and October withheld. */
export function overTimeTable(): StatsTable {
  const months: Array<[string, StatsFigure]> = [
    ["Tháng 7/2026", count(12_345)],
    ["Tháng 8/2026", count(820)],
    ["Tháng 9/2026", small],
    ["Tháng 10/2026", { kind: "withheld" }],
    ["Tháng 11/2026", count(0)],
    ["Tháng 12/2026", count(37)],
  ];
  return table("over-time", "Số người theo tháng", ["Tháng", "Người"], months.map(([label, figure]) => ({ label, url: null, figures: [figure] })));
}

export function byTopicTable(): StatsTable {
  return table("by-topic", "Số người theo chủ đề", ["Chủ đề", "Người", "Lượt", "Tin nhắn"], [
    { label: "Sinh con an toàn", url: null, figures: [count(1_234), count(3_000), count(5_120)] },
    { label: "Tảo hôn", url: null, figures: [count(56), count(80), count(190)] },
    { label: "Hôn nhân cận huyết", url: null, figures: [small, { kind: "withheld" }, count(7)] },
  ]);
}

/** The whole overview of xã Mường Bú, 2026-H2. */
export function statsOverviewView(locale: ConsoleLocale): StatsOverviewView {
  const byCommune = table("by-place", "Số người theo xã", ["Xã, phường", "Người", "Lượt", "Tin nhắn"], [
    { label: "xã Mường Bú", url: "/console/stats/14/14-mau-04?period=2026-H2", figures: [count(300), count(900), count(1_500)] },
    { label: "xã Chiềng Sại", url: "/console/stats/14/14-mau-05?period=2026-H2", figures: [small, { kind: "withheld" }, count(12)] },
  ]);
  return {
    context: provinceContext(locale),
    placeName: "xã Mường Bú",
    periodLabel: "6 tháng cuối năm 2026",
    periodForm: {
      action: "/console/stats/14/14-mau-04",
      selected: "2026-H2",
      groups: [
        { label: "6 tháng", options: [{ value: "2026-H2", label: "6 tháng cuối năm 2026" }, { value: "2026-H1", label: "6 tháng đầu năm 2026" }] },
        { label: "Năm", options: [{ value: "2026", label: "Năm 2026" }] },
      ],
    },
    trail: [
      { label: "Sơn La", url: "/console/stats/14?period=2026-H2" },
      { label: "xã Mường Bú", url: null },
    ],
    summary: table("summary", "Số liệu chung, 6 tháng cuối năm 2026", ["Chỉ số", "Số liệu"], [
      { label: "Người được tiếp cận", url: null, figures: [count(12_345)] },
      { label: "Lượt tiếp cận", url: null, figures: [count(40_321)] },
      { label: "Câu trả lời đúng", url: null, figures: [{ kind: "percent", share: 0.805 }] },
      { label: "Lần trả lời khẩn cấp", url: null, figures: [count(3)] },
    ]),
    overTime: { kind: "columns", table: overTimeTable(), column: 0, limit: null, axisLabels: ["T7", "T8", "T9", "T10", "T11", "T12"] },
    byTopic: { kind: "bars", table: byTopicTable(), column: 0, limit: null, axisLabels: null },
    byPlace: { kind: "bars", table: byCommune, column: 0, limit: 12, axisLabels: null },
    byLanguage: { kind: "bars", table: table("by-language", "Số người theo ngôn ngữ", ["Ngôn ngữ", "Người", "Lượt", "Tin nhắn"], []), column: 0, limit: null, axisLabels: null },
    indicators: {
      rows: [
        { name: "Phụ nữ được tuyên truyền về sinh đẻ an toàn", unit: "người", reached: count(1_234), takesTarget: true, population: 2_000, share: { kind: "percent", share: 0.617 }, target: 80, communesWithoutTarget: 2 },
        { name: "Hộ được tiếp cận thông tin về giới", unit: "hộ", reached: count(56), takesTarget: true, population: null, share: { kind: "text", value: "–" }, target: 80, communesWithoutTarget: 0 },
        { name: "Người được tiếp cận về tảo hôn", unit: "người", reached: small, takesTarget: true, population: 120, share: { kind: "withheld" }, target: null, communesWithoutTarget: 0 },
        { name: "Lần giới thiệu địa chỉ tin cậy", unit: "lượt", reached: count(9), takesTarget: false, population: null, share: { kind: "text", value: "–" }, target: null, communesWithoutTarget: 0 },
      ],
      table: table("indicators", "Tiến độ chỉ tiêu, 6 tháng cuối năm 2026", ["Chỉ tiêu", "Đã tiếp cận", "Đối tượng", "Tỷ lệ", "Mục tiêu", "Xã chưa nhập chỉ tiêu"], []),
    },
    campaigns: table("campaigns", "Chiến dịch, 6 tháng cuối năm 2026", ["Chiến dịch", "Người", "Lượt", "Tin nhắn"], [
      { label: "Tháng hành động vì trẻ em 2026", url: "/console/campaigns/c-1", figures: [count(250), count(260), count(500)] },
    ]),
    sessions: table("sessions", "Buổi truyền thông trực tiếp, 6 tháng cuối năm 2026", ["Chủ đề", "Cuộc", "Nữ", "Nam", "Tổng người dự"], [
      { label: "Tảo hôn", url: null, figures: [count(3), count(45), count(12), count(57)] },
    ]),
    notice: null,
    links: { report: "/console/stats/report.xlsx?province=14&period=2026-H2", recordSession: "/console/stats/sessions/new?commune=14-mau-04", sessionList: "/console/stats/sessions?place=14-mau-04&period=2026-H2", targets: "/console/stats/targets?province=14&year=2026" },
  };
}

/** A commune team of two communes choosing one. */
export function statsPlacesView(locale: ConsoleLocale): StatsPlacesView {
  return {
    context: provinceContext(locale),
    places: [
      { name: "xã Mường Bú", url: "/console/stats/14/14-mau-04" },
      { name: "xã Chiềng Sại", url: "/console/stats/14/14-mau-05" },
    ],
  };
}

/** The in-person session form after a refused save: no place written and nobody counted. */
export function sessionFormView(locale: ConsoleLocale, withErrors = false): SessionFormView {
  return {
    context: provinceContext(locale),
    mode: "new",
    action: "/console/stats/sessions/new?province=14",
    removeAction: null,
    cancelUrl: "/console/stats",
    values: { heldOn: "2026-08-10", communeCode: "14-mau-04", topic: "child-marriage", placeName: withErrors ? "" : "Nhà văn hóa bản Nà Ngụa", participantsFemale: withErrors ? "0" : "20", participantsMale: withErrors ? "0" : "5", note: "" },
    errors: withErrors ? { placeName: "Ghi nơi tổ chức.", participantsFemale: "Buổi truyền thông phải có ít nhất một người dự." } : {},
    communeChoices: [
      { code: "14-mau-04", name: "xã Mường Bú", provinceName: "Sơn La" },
      { code: "14-mau-05", name: "xã Mường La", provinceName: "Sơn La" },
    ],
    topicChoices: [
      { code: "child-marriage", name: "Tảo hôn" },
      { code: "gender-equality", name: "Bình đẳng giới" },
    ],
  };
}

/** The targets of Sơn La's safe-birth indicator for 2026: one commune entered, one typed wrong. */
export function targetsView(locale: ConsoleLocale, withErrors = false): TargetsView {
  return {
    context: provinceContext(locale),
    chooser: {
      action: "/console/stats/targets",
      provinceCode: "14",
      year: "2026",
      indicatorId: "safe-birth-reach",
      provinceChoices: [{ code: "14", name: "Sơn La" }],
      yearChoices: ["2027", "2026", "2025"],
      indicatorChoices: [
        { code: "safe-birth-reach", name: "Phụ nữ được tuyên truyền về sinh đẻ an toàn" },
        { code: "gender-equality-households", name: "Hộ được tiếp cận thông tin về giới" },
      ],
    },
    entry: {
      action: "/console/stats/targets",
      caption: "Số phụ nữ thuộc nhóm dân tộc có tỷ lệ sinh con tại nhà cao, năm 2026",
      description: "Phụ nữ được tuyên truyền về sinh đẻ an toàn",
      rows: [
        { communeCode: "14-mau-04", name: "xã Mường Bú", value: "", current: 1_200, error: null },
        { communeCode: "14-mau-05", name: "xã Mường La", value: withErrors ? "nhiều" : "", current: null, error: withErrors ? "Ghi số nguyên từ 1 đến 10.000.000." : null },
      ],
    },
    saved: withErrors ? null : 2,
    importForm: { action: "/console/stats/targets/import?province=14&year=2026", dryRun: true },
    importOutcome: withErrors ? { kind: "rejected", fileName: "chi-tieu.csv", problems: [{ row: 2, column: "mã xã", message: "outside your area" }] } : null,
    exportUrls: { csv: "/console/stats/targets/export.csv?province=14&year=2026", xlsx: "/console/stats/targets/export.xlsx?province=14&year=2026" },
    statsUrl: "/console/stats/14?period=2026",
  };
}
