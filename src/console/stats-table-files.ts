import ExcelJS from "exceljs";
import { writeCsv } from "../tables/csv.ts";
import type { ConsoleLocale } from "./console-locale.ts";
import type { ConsoleText } from "./console-text/vi.ts";
import { figureText, type StatsFigure } from "./stats-figures.ts";
import type { StatsTable } from "./stats-table.ts";

/**
 * A statistics table as the files staff file and forward: CSV for any spreadsheet program and XLSX for Excel,
 * with the page's headings and the page's figures. Hidden figures are written as "<5" or "ẩn", never as their
 * values. CSV counts are plain digits ("12345"), read the same by a Vietnamese or an English spreadsheet;
 * XLSX counts and shares are numbers with a display format, so they can be added up.
 */

/** The table as CSV text with its headings, row names and figures. */
export function statsTableCsv(locale: ConsoleLocale, words: ConsoleText["stats"], table: StatsTable): string {
  const cell = (figure: StatsFigure) => (figure.kind === "count" ? String(figure.value) : figureText(locale, words, figure));
  return writeCsv([table.headings, ...table.rows.map((row) => [row.label, ...row.figures.map(cell)])]);
}

function xlsxValue(locale: ConsoleLocale, words: ConsoleText["stats"], figure: StatsFigure): ExcelJS.CellValue {
  if (figure.kind === "count") return figure.value;
  if (figure.kind === "percent" && figure.share !== null) return figure.share;
  return figureText(locale, words, figure);
}

/** The table as an XLSX workbook of one sheet: its caption, then a bold, frozen heading row, then the rows. */
export async function statsTableXlsx(locale: ConsoleLocale, words: ConsoleText["stats"], table: StatsTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(words.sheetName, { views: [{ state: "frozen", ySplit: 2 }] });
  sheet.addRow([table.caption]).font = { bold: true };
  sheet.addRow(table.headings).font = { bold: true };
  for (const row of table.rows) {
    const added = sheet.addRow([row.label, ...row.figures.map((figure) => xlsxValue(locale, words, figure))]);
    row.figures.forEach((figure, index) => {
      const cell = added.getCell(index + 2);
      if (figure.kind === "count") cell.numFmt = "#,##0";
      else if (figure.kind === "percent" && figure.share !== null) cell.numFmt = "0.0%";
      else cell.alignment = { horizontal: "right" };
    });
  }
  sheet.getColumn(1).width = Math.min(40, Math.max(12, ...table.rows.map((row) => row.label.length + 2)));
  for (let column = 2; column <= table.headings.length; column += 1) sheet.getColumn(column).width = Math.max(12, (table.headings[column - 1] ?? "").length + 2);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
