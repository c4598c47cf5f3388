import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import ExcelJS from "exceljs";
import { LoaError } from "../errors.ts";
import { CsvSyntaxError, parseCsv, writeCsv } from "./csv.ts";

/** A spreadsheet file that cannot be read or written; `context.file` names it. */
export class TableFileError extends LoaError {}

/** The spreadsheet formats staff exchange: CSV (any spreadsheet program) and XLSX (Excel). */
export type TableFormat = "csv" | "xlsx";

/** The format a file name implies, or undefined for anything else. */
export function tableFormatOf(file: string): TableFormat | undefined {
  const extension = extname(file).toLowerCase();
  if (extension === ".csv") return "csv";
  if (extension === ".xlsx") return "xlsx";
  return undefined;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((part) => part.text).join("");
    if ("text" in value && typeof value.text === "string") return value.text;
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    if ("error" in value) return "";
  }
  return String(value);
}

/** True for a row with no text in any cell, which readers skip while still counting it. */
export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === "");
}

/**
 * Reads the first sheet of an XLSX file (or a whole CSV file) as rows of trimmed text cells. Blank rows are
 * kept, as empty rows, so that row `i` of the result is row `i + 1` of the spreadsheet and problems can be
 * reported with the row number staff see; trailing blank rows are dropped.
 */
export async function readTableFile(file: string): Promise<string[][]> {
  const format = tableFormatOf(file);
  if (format === undefined) {
    throw new TableFileError(`${file}: only .csv and .xlsx files can be read`, "table:unsupported-format", { context: { file } });
  }
  try {
    if (format === "csv") return withoutTrailingBlankRows(parseCsv(await readFile(file, "utf8"), { keepBlankLines: true }).map((row) => row.map((cell) => cell.trim())));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0];
    if (sheet === undefined) return [];
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: string[] = [];
      for (let column = 1; column <= row.cellCount; column += 1) cells.push(cellText(row.getCell(column).value).trim());
      while (rows.length < rowNumber - 1) rows.push([]);
      rows.push(cells);
    });
    return withoutTrailingBlankRows(rows);
  } catch (cause) {
    if (cause instanceof TableFileError) throw cause;
    const reason = cause instanceof CsvSyntaxError ? cause.message : "the file is damaged or not a spreadsheet";
    throw new TableFileError(`${file}: ${reason}`, "table:unreadable", { cause, context: { file } });
  }
}

function withoutTrailingBlankRows(rows: string[][]): string[][] {
  let end = rows.length;
  while (end > 0 && isBlankRow(rows[end - 1] ?? [])) end -= 1;
  return rows.slice(0, end);
}

/** Writes rows to a CSV or XLSX file, chosen by the file's extension; XLSX gets a bold, frozen header row. */
export async function writeTableFile(file: string, rows: readonly (readonly string[])[], sheetName = "Loa"): Promise<void> {
  const format = tableFormatOf(file);
  if (format === undefined) {
    throw new TableFileError(`${file}: only .csv and .xlsx files can be written`, "table:unsupported-format", { context: { file } });
  }
  if (format === "csv") {
    await writeFile(file, writeCsv(rows), "utf8");
    return;
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  for (const row of rows) sheet.addRow([...row]);
  sheet.getRow(1).font = { bold: true };
  await workbook.xlsx.writeFile(file);
}
