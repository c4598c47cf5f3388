import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { consoleText } from "../../src/console/console-locale.ts";
import { statsTableCsv, statsTableXlsx } from "../../src/console/stats-table-files.ts";
import { parseCsv } from "../../src/tables/csv.ts";
import { byTopicTable, overTimeTable } from "./stats-fixtures.ts";

const words = consoleText("vi").stats;

describe("a statistics table as files", () => {
  it("writes CSV with the Vietnamese headings, plain-digit counts and the hidden figures as <5 and ẩn", () => {
    const csv = statsTableCsv("vi", words, byTopicTable());
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(parseCsv(csv)).toEqual([
      ["Chủ đề", "Người", "Lượt", "Tin nhắn"],
      ["Sinh con an toàn", "1234", "3000", "5120"],
      ["Tảo hôn", "56", "80", "190"],
      ["Hôn nhân cận huyết", "<5", "ẩn", "7"],
    ]);
  });

  it("writes XLSX with the caption, the headings, numbers as numbers and hidden figures as text", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Uint8Array.from(await statsTableXlsx("vi", words, byTopicTable())).buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet?.name).toBe("Thống kê");
    const values = (row: number) => (sheet?.getRow(row).values as ExcelJS.CellValue[]).slice(1);
    expect(values(1)).toEqual(["Số người theo chủ đề"]);
    expect(values(2)).toEqual(["Chủ đề", "Người", "Lượt", "Tin nhắn"]);
    expect(values(3)).toEqual(["Sinh con an toàn", 1234, 3000, 5120]);
    expect(values(5)).toEqual(["Hôn nhân cận huyết", "<5", "ẩn", 7]);
    expect(sheet?.getCell("B3").numFmt).toBe("#,##0");
  });

  it("never writes the value of a hidden count", async () => {
    const table = overTimeTable();
    const csv = statsTableCsv("vi", words, table);
    expect(parseCsv(csv).map((row) => row[1])).toEqual(["Người", "12345", "820", "<5", "ẩn", "0", "37"]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Uint8Array.from(await statsTableXlsx("vi", words, table)).buffer);
    const column = workbook.worksheets[0]?.getColumn(2).values.slice(3);
    expect(column).toEqual([12345, 820, "<5", "ẩn", 0, 37]);
  });

  it("writes a share as a number with a percent format in XLSX and as the page writes it in CSV", async () => {
    const table = { id: "summary", caption: "Số liệu chung", headings: ["Chỉ số", "Số liệu"], rows: [{ label: "Câu trả lời đúng", url: null, figures: [{ kind: "percent" as const, share: 0.805 }] }], files: null };
    expect(parseCsv(statsTableCsv("vi", words, table))[1]).toEqual(["Câu trả lời đúng", "80,5\u00a0%"]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Uint8Array.from(await statsTableXlsx("vi", words, table)).buffer);
    expect(workbook.worksheets[0]?.getCell("B3").value).toBe(0.805);
    expect(workbook.worksheets[0]?.getCell("B3").numFmt).toBe("0.0%");
  });
});
