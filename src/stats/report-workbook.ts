// Writes the periodic report's layout as the files staff file upward: an XLSX workbook (styled, numbers kept as
// numbers) and a CSV (every sheet one after the other, figures written the Vietnamese way).
import ExcelJS from "exceljs";
import { writeCsv } from "../tables/csv.ts";
import type { PeriodReport } from "./period-report.ts";
import { reportLayout, type LayoutCell, type RowStyle } from "./report-layout.ts";

/**
 * Counts with "." between thousands whatever the reader's Excel locale: "1.234", "1.234.567". The separator is a
 * literal, so the cells stay numbers that add up.
 */
export const countFormat = '[>=1000000]#"."###"."##0;[>=1000]#"."##0;0';

const countText = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 0 });

/** A cell as words: counts the Vietnamese way ("1.234"), hidden counts as "<5" or "ẩn". */
function cellText(cell: LayoutCell): string {
  if (cell === null) return "";
  if (typeof cell === "string") return cell;
  if (typeof cell === "number") return countText.format(cell);
  if (cell.kind === "count") return countText.format(cell.value);
  return cell.kind === "small" ? `<${cell.below}` : "ẩn";
}

/** A cell as Excel holds it: counts as numbers, everything else as text. */
function cellValue(cell: LayoutCell): string | number | null {
  if (typeof cell === "number") return cell;
  if (cell !== null && typeof cell === "object" && cell.kind === "count") return cell.value;
  return cell === null ? null : cellText(cell);
}

const thin = { style: "thin" } as const;

const styleOf: Readonly<Record<RowStyle, { font?: Partial<ExcelJS.Font>; fill?: ExcelJS.Fill; border?: boolean }>> = {
  title: { font: { bold: true, size: 14 } },
  subtitle: { font: { italic: true } },
  info: {},
  section: { font: { bold: true, size: 12 } },
  header: { font: { bold: true }, fill: { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF4" } }, border: true },
  data: { border: true },
  total: { font: { bold: true }, border: true },
  note: { font: { italic: false } },
};

/** The report as an XLSX workbook, ready to send or save. */
export async function reportWorkbook(report: PeriodReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Loa";
  workbook.title = `Báo cáo kết quả truyền thông ${report.period.label} — ${report.province.name}`;
  for (const layout of reportLayout(report)) {
    const sheet = workbook.addWorksheet(layout.name, { pageSetup: { orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 } });
    layout.widths.forEach((width, index) => {
      sheet.getColumn(index + 1).width = width;
    });
    for (const item of layout.rows) {
      const added = sheet.addRow(item === null ? [] : item.cells.map(cellValue));
      if (item === null) continue;
      const style = styleOf[item.style];
      added.eachCell({ includeEmpty: false }, (cell) => {
        if (style.font !== undefined) cell.font = style.font;
        if (style.fill !== undefined) cell.fill = style.fill;
        if (style.border === true) cell.border = { top: thin, left: thin, bottom: thin, right: thin };
        if (typeof cell.value === "number") cell.numFmt = countFormat;
        cell.alignment = { vertical: "top", wrapText: item.style === "header" || item.style === "note" || item.style === "data" };
      });
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The report as one CSV: each sheet's name, then its rows, with a blank line between sheets. */
export function reportCsv(report: PeriodReport): string {
  const rows: string[][] = [];
  for (const layout of reportLayout(report)) {
    if (rows.length > 0) rows.push([]);
    rows.push([`[${layout.name}]`]);
    for (const item of layout.rows) rows.push(item === null ? [] : item.cells.map(cellText));
  }
  return writeCsv(rows);
}
