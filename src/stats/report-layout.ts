// The periodic report laid out the way a provincial office files it: Vietnamese headings, the programme's units
// (người, lượt, cuộc), one sheet per part, and a notes sheet with the definitions. The XLSX and CSV writers
// render this one layout, so the two files always say the same.
import { vi } from "../console/console-text/vi.ts";
import type { ShownProgressLine } from "./indicator-progress.ts";
import type { PeriodReport } from "./period-report.ts";
import type { ReachLine } from "./reach-figures.ts";
import type { SessionCounts } from "./outreach-sessions.ts";
import type { ShownCount } from "./small-cells.ts";

/** A cell: words, a count (shown with "." between thousands), a count that may be hidden, or nothing. */
export type LayoutCell = string | number | ShownCount | null;

/** How a row looks: the report title, a line under it, a part's heading, a table's header, data, a total, a note. */
export type RowStyle = "title" | "subtitle" | "info" | "section" | "header" | "data" | "total" | "note";

/** One row of a sheet. */
export type LayoutRow = { style: RowStyle; cells: LayoutCell[] };

/** One sheet: its tab name, its column widths (characters) and its rows; an empty row is `null`. */
export type LayoutSheet = { name: string; widths: number[]; rows: Array<LayoutRow | null> };

/** The Vietnamese names of the topics of reach and of in-person sessions. */
export const topicNames: Readonly<Record<string, string>> = {
  "child-marriage": "Tảo hôn",
  consanguinity: "Hôn nhân cận huyết thống",
  "safe-birth": "Sinh đẻ an toàn",
  violence: "Bạo lực gia đình",
  "gender-equality": "Bình đẳng giới",
  other: "Chủ đề khác",
};

/** Campaign states in the words the console shows them. */
const campaignStatusNames: Readonly<Record<string, string>> = vi.campaigns.statuses;

const percentFormat = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A percentage the Vietnamese way, "80,5 %"; "ẩn" when it would give away a hidden count; a dash when there is none. */
export function percentText(percent: number | null, withheld = false): string {
  if (withheld) return "ẩn";
  return percent === null ? "–" : `${percentFormat.format(percent)} %`;
}

/** "2026-07-01" as "01/07/2026". */
export function vietnameseDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-");
  return `${day}/${month}/${year}`;
}

const row = (style: RowStyle, ...cells: LayoutCell[]): LayoutRow => ({ style, cells });

const reachCells = (line: ReachLine): LayoutCell[] => [line.people, line.visits, line.messages];

const sessionCells = (counts: SessionCounts): LayoutCell[] => [counts.sessions, counts.total, counts.female, counts.male];

function judgement(line: ShownProgressLine, hasDenominator: boolean, target: number | null): string {
  if (!hasDenominator) return "Chỉ báo cáo số lượng";
  if (line.percentWithheld) return "Số nhỏ, đã ẩn";
  if (line.population === null) return "Chưa nhập mẫu số";
  if (target === null) return "–";
  return line.meetsTarget === true ? "Đạt" : "Chưa đạt";
}

const unitNames: Readonly<Record<string, string>> = { người: "người", hộ: "hộ", lượt: "lượt" };

/** The report's sheets, in the order they are filed: summary, communes, indicators by commune, sessions, notes. */
export function reportLayout(report: PeriodReport): LayoutSheet[] {
  const scopeNote = report.scope === "communes" ? " (các xã của tổ)" : "";
  const dates = `từ ngày ${vietnameseDate(report.period.firstDay)} đến ngày ${vietnameseDate(report.period.lastDay)}`;
  const summary: Array<LayoutRow | null> = [
    row("title", `BÁO CÁO KẾT QUẢ TRUYỀN THÔNG ${report.period.label.toUpperCase()} — Dự án 8`),
    row("subtitle", "Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ và trẻ em"),
    row("info", `Đơn vị: ${report.province.name}${scopeNote}`),
    row("info", `Kỳ báo cáo: ${report.period.label} (${dates})`),
    row("info", `Ngày lập: ${vietnameseDate(report.madeOn)}. Số liệu do hệ thống Loa tổng hợp; xem định nghĩa ở trang "Ghi chú".`),
    null,
    row("section", "I. KẾT QUẢ TRUYỀN THÔNG QUA LOA (ZALO, TELEGRAM)"),
    row("header", "Chủ đề", "Số người được tiếp cận (người)", "Số lượt tiếp cận (lượt)", "Số tin nhắn đã gửi"),
    ...report.reach.byTopic.map((line) => row("data", topicNames[line.topic] ?? line.topic, ...reachCells(line))),
    row("total", "Tổng cộng (mỗi người tính một lần)", ...reachCells(report.reach.total)),
    null,
    row("section", "II. TRUYỀN THÔNG TRỰC TIẾP TẠI CỘNG ĐỒNG (do tổ truyền thông ghi nhận)"),
    row("header", "Chủ đề", "Số cuộc (cuộc)", "Số người dự (người)", "Nữ", "Nam"),
    ...report.sessions.byTopic.map((line) => row("data", topicNames[line.topic] ?? line.topic, ...sessionCells(line))),
    row("total", "Tổng cộng", ...sessionCells(report.sessions.total)),
    null,
    row("section", "III. KẾT QUẢ THỰC HIỆN CHỈ TIÊU"),
    row("header", "STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Mẫu số", "Tỷ lệ đạt", "Chỉ tiêu kế hoạch", "Đánh giá"),
    ...report.indicators.map((item, index) => {
      const { indicator, total } = item;
      const denominator = indicator.denominator === null ? "–" : total.population === null ? "Chưa nhập" : total.population;
      const judged = judgement(total, indicator.denominator !== null, indicator.target);
      const missing = total.communesWithoutTarget > 0 && total.population !== null ? ` (${total.communesWithoutTarget} xã chưa nhập mẫu số)` : "";
      return row("data", index + 1, indicator.name.vi, unitNames[indicator.unit] ?? indicator.unit, total.reached, denominator, percentText(total.percent, total.percentWithheld), indicator.target === null ? "–" : `${indicator.target} %`, `${judged}${missing}`);
    }),
    null,
    row("section", "IV. CHIẾN DỊCH TRUYỀN THÔNG QUA LOA"),
    row("header", "Tên chiến dịch", "Trạng thái", "Số người nhận (người)", "Số tin nhắn đã gửi"),
    ...(report.campaigns.length === 0
      ? [row("note", "Không có chiến dịch nào gửi tin trong kỳ.")]
      : report.campaigns.map((campaign) => row("data", campaign.name, campaignStatusNames[campaign.status] ?? campaign.status, campaign.people, campaign.messages))),
  ];

  const communes: Array<LayoutRow | null> = [
    row("title", `KẾT QUẢ TRUYỀN THÔNG QUA LOA THEO XÃ — ${report.period.label}`),
    row("info", `Đơn vị: ${report.province.name}${scopeNote}. Ô ghi "<${report.threshold}" hoặc "ẩn": số nhỏ được ẩn để bảo vệ người dùng.`),
    null,
    row("header", "STT", "Mã xã", "Tên xã", "Số người (người)", "Số lượt (lượt)", "Số tin nhắn", ...report.reach.topics.map((topic) => `${topicNames[topic] ?? topic} (người)`)),
    ...report.reach.byCommune.map((line, index) => row("data", index + 1, line.communeCode, line.name, ...reachCells(line), ...line.peopleByTopic)),
  ];

  const indicators: Array<LayoutRow | null> = [row("title", `KẾT QUẢ THỰC HIỆN CHỈ TIÊU THEO XÃ — ${report.period.label}`), row("info", `Mẫu số là số đối tượng cán bộ đã nhập cho năm ${report.indicators[0]?.year ?? ""}.`)];
  report.indicators.forEach((item, index) => {
    const { indicator } = item;
    indicators.push(null, row("section", `${index + 1}. ${indicator.name.vi} (${unitNames[indicator.unit] ?? indicator.unit})`));
    if (indicator.denominator !== null) indicators.push(row("note", `Mẫu số: ${indicator.denominator.vi}. Chỉ tiêu kế hoạch: ${indicator.target === null ? "không đặt" : `${indicator.target} %`}.`));
    indicators.push(row("header", "Mã xã", "Tên xã", "Kết quả", "Mẫu số", "Tỷ lệ đạt", "Đánh giá"));
    for (const line of item.byCommune) {
      const denominator = indicator.denominator === null ? "–" : (line.population ?? "Chưa nhập");
      indicators.push(row("data", line.communeCode, line.name, line.reached, denominator, percentText(line.percent, line.percentWithheld), judgement(line, indicator.denominator !== null, indicator.target)));
    }
  });

  const sessions: Array<LayoutRow | null> = [
    row("title", `TRUYỀN THÔNG TRỰC TIẾP THEO XÃ — ${report.period.label}`),
    row("info", "Các cuộc truyền thông trực tiếp do tổ truyền thông ghi nhận; tính riêng, không cộng vào số người tiếp cận qua Loa."),
    null,
    row("header", "Mã xã", "Tên xã", "Chủ đề", "Số cuộc (cuộc)", "Số người dự (người)", "Nữ", "Nam"),
    ...report.sessions.byCommuneAndTopic.map((line) => row("data", line.communeCode, report.sessions.communeNames[line.communeCode] ?? line.communeCode, topicNames[line.topic] ?? line.topic, ...sessionCells(line))),
    ...(report.sessions.byCommuneAndTopic.length === 0 ? [row("note", "Chưa có cuộc truyền thông trực tiếp nào được ghi trong kỳ.")] : []),
  ];

  const notes: Array<LayoutRow | null> = [
    row("title", "GHI CHÚ VÀ ĐỊNH NGHĨA"),
    null,
    row("note", "Người: số người khác nhau đã nhận nội dung qua Loa trong kỳ. Loa đếm theo tài khoản Zalo hoặc Telegram; mỗi người chỉ tính một lần trong một ô."),
    row("note", "Lượt: cộng số người của từng ngày trong kỳ. Một người nhận tin vào ba ngày khác nhau được tính ba lượt."),
    row("note", "Cuộc: một buổi truyền thông trực tiếp tại cộng đồng do tổ truyền thông ghi nhận, kèm số người dự (nữ, nam). Số này tính riêng, không cộng vào số người tiếp cận qua Loa."),
    row("note", "Số tin nhắn: số nội dung Loa đã gửi đi, kể cả tin của chiến dịch."),
    row("note", "Hộ: Loa không biết ai cùng một hộ; mỗi tài khoản được tính như một hộ, vì một chiếc điện thoại thường được cả nhà dùng chung. Đây là số ước tính."),
    row("note", "Tổng của tỉnh tính mỗi người một lần, nên có thể khác tổng các xã: người chỉ cho biết tỉnh mà không cho biết xã chỉ có trong tổng của tỉnh."),
    row("note", `Bảo vệ người dùng: ở cấp xã, số người (và số lượt) từ 1 đến ${report.threshold - 1} được ghi "<${report.threshold}"; khi một cột, hoặc một nhóm ô mà tổng của nhóm có ở nơi khác, chỉ có một ô bị ẩn, thì một ô khác cũng được ghi "ẩn" để không suy ra được số bị ẩn. Số tin nhắn và tỷ lệ tính từ một ô bị ẩn cũng được ẩn. Báo cáo, trang thống kê và API ẩn cùng những ô như nhau.`),
    row("note", "Mẫu số (số đối tượng của chỉ tiêu) do cán bộ nhập cho từng xã và từng năm. Xã chưa nhập mẫu số thì không tính tỷ lệ, và không có trong tỷ lệ chung của tỉnh."),
    row("note", "Báo cáo không chứa tên, số điện thoại, mã tài khoản hay nội dung tin nhắn của người dùng."),
    row("note", "Thời gian tính theo giờ Việt Nam (UTC+7)."),
    null,
    row("section", "Nguồn của các chỉ tiêu"),
    ...report.indicators.flatMap(({ indicator }) => [
      row("header", indicator.name.vi),
      row("note", indicator.description.vi),
      ...indicator.sources.map((source) => row("note", `${source.plan}: “${source.quote}”`)),
    ]),
  ];

  return [
    { name: "Tổng hợp", widths: [44, 22, 18, 18, 16, 14, 18, 30], rows: summary },
    { name: "Theo xã", widths: [6, 12, 26, 16, 14, 14, ...report.reach.topics.map(() => 18)], rows: communes },
    { name: "Chỉ tiêu theo xã", widths: [12, 26, 12, 14, 12, 22], rows: indicators },
    { name: "Truyền thông trực tiếp", widths: [12, 26, 24, 14, 18, 10, 10], rows: sessions },
    { name: "Ghi chú", widths: [120], rows: notes },
  ];
}
