import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CsvSyntaxError, parseCsv, writeCsv } from "../../src/tables/csv.ts";
import { readTableFile, TableFileError, writeTableFile } from "../../src/tables/table-file.ts";

describe("parseCsv", () => {
  it("reads quoted cells holding separators, doubled quotes and line breaks", () => {
    const rows = parseCsv('key,text\r\na,"Xin chào, ""bạn""\nhai dòng"\r\nb,c\r\n');
    expect(rows).toEqual([
      ["key", "text"],
      ["a", 'Xin chào, "bạn"\nhai dòng'],
      ["b", "c"],
    ]);
  });

  it("guesses a semicolon separator, as Excel writes it in a Vietnamese locale", () => {
    expect(parseCsv("\uFEFFmã;tên\n01;Hà Nội\n")).toEqual([
      ["mã", "tên"],
      ["01", "Hà Nội"],
    ]);
  });

  it("skips blank lines but keeps a row of one quoted empty cell", () => {
    expect(parseCsv('a\n\n""\nb')).toEqual([["a"], [""], ["b"]]);
  });

  it("names the line of an unclosed quote", () => {
    expect(() => parseCsv('a,b\nc,"open\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b\nc,"open\n')).toThrow(/line 2/);
  });

  it("round-trips what it writes", () => {
    const rows = [
      ["key", "source", "translation"],
      ["common:welcome", 'Xin chào, "bạn"!', " leading space"],
      ["x", "line\nbreak", ""],
    ];
    expect(parseCsv(writeCsv(rows))).toEqual(rows);
  });
});

describe("table files", () => {
  it("round-trips rows through XLSX and CSV", async () => {
    const dir = await mkdtemp(join(tmpdir(), "loa-table-"));
    const rows = [
      ["Mã", "Tên"],
      ["14", "Sơn La"],
      ["20", "Lạng Sơn"],
    ];
    for (const name of ["t.xlsx", "t.csv"]) {
      await writeTableFile(join(dir, name), rows);
      expect(await readTableFile(join(dir, name))).toEqual(rows);
    }
  });

  it("refuses other formats and damaged files with the file named", async () => {
    const dir = await mkdtemp(join(tmpdir(), "loa-table-"));
    await expect(readTableFile(join(dir, "list.ods"))).rejects.toThrow(TableFileError);
    await writeFile(join(dir, "bad.xlsx"), "not a zip");
    await expect(readTableFile(join(dir, "bad.xlsx"))).rejects.toThrow(/bad\.xlsx/);
  });
});

describe("row numbers", () => {
  it("keeps blank rows inside a table so row i is spreadsheet row i + 1, and drops trailing ones", async () => {
    const dir = await mkdtemp(join(tmpdir(), "loa-table-"));
    await writeFile(join(dir, "gaps.csv"), "mã,tên\n\n14,Sơn La\n,\n\n20,Lạng Sơn\n\n\n");
    expect(await readTableFile(join(dir, "gaps.csv"))).toEqual([["mã", "tên"], [], ["14", "Sơn La"], ["", ""], [], ["20", "Lạng Sơn"]]);
    await writeTableFile(join(dir, "gaps.xlsx"), [["mã", "tên"], [], ["14", "Sơn La"], [], ["20", "Lạng Sơn"], []]);
    expect(await readTableFile(join(dir, "gaps.xlsx"))).toEqual([["mã", "tên"], [], ["14", "Sơn La"], [], ["20", "Lạng Sơn"]]);
  });
});
