import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exportHelpEntries, HelpEntryImportError, importHelpEntries } from "../../src/directory/help-entry-import.ts";
import { createHelpEntryStore } from "../../src/directory/help-entry-store.ts";
import type { HelpEntryChecks } from "../../src/directory/help-entry-table.ts";
import { writeCsv } from "../../src/tables/csv.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

// TEST DATA ONLY: fictional places, names and phone numbers.
const now = new Date("2026-11-26T09:00:00+07:00");
const provinceOfCommune = new Map([
  ["test-commune-a", "test-province-a"],
  ["test-commune-b", "test-province-a"],
]);
const checks: HelpEntryChecks = {
  placeExists: (code) => code === "test-province-a" || provinceOfCommune.has(code),
  provinceOf: (code) => provinceOfCommune.get(code),
  now,
};

const header = ["id", "loại", "tên", "điện thoại", "địa chỉ", "mã tỉnh", "mã xã", "giờ", "miễn phí", "ngôn ngữ", "chủ đề", "khẩn cấp", "ngày xác minh", "nguồn"];
const goodRows = [
  ["", "địa chỉ tin cậy", "Địa chỉ tin cậy xã A", "0000.000.001", "Trạm y tế xã A", "test-province-a", "test-commune-a", "24/7", "có", "vie, hmn", "bạo lực gia đình", "có", "01/03/2024", "Hội LHPN xã, 03/2024"],
  ["test-shelter", "nhà tạm lánh", "Nhà tạm lánh, tỉnh \"A\"; tầng 2", "0000 000 002", "", "test-province-a", "", "7:00–17:00, thứ Hai–thứ Sáu", "chưa rõ", "", "bạo lực gia đình, tảo hôn", "không", "2026-10-01", "https://example.org/fictional"],
  ["", "cơ sở y tế", "Trạm y tế xã B", "+84 000 000 003", "", "test-province-a", "test-commune-b", "", "không", "vie", "sinh con an toàn", "", "2026-11-26", "Trạm y tế, 11/2026"],
];

async function folder(): Promise<string> {
  return mkdtemp(join(tmpdir(), "loa-help-import-"));
}

describe.each(databaseKinds)("help entry import and export on %s", (kind) => {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    await Promise.all(databases.splice(0).map((database) => database.drop()));
  });
  async function storeOnNewDatabase() {
    const testDatabase = await createTestDatabase(kind);
    databases.push(testDatabase);
    return createHelpEntryStore(testDatabase.database.client, () => now);
  }

  it("exports what it imported, and the export imports back to the same entries (CSV and XLSX)", async () => {
    const dir = await folder();
    const source = join(dir, "from-staff.csv");
    await writeFile(source, writeCsv([header, ...goodRows]));
    const store = await storeOnNewDatabase();
    const first = await importHelpEntries(source, { store, checks, dryRun: false });
    expect(first).toMatchObject({ added: 3, updated: 0, written: true });
    const stored = await store.list();
    expect(stored).toHaveLength(3);
    expect(stored.find((entry) => entry.id === "test-shelter")).toMatchObject({
      name: 'Nhà tạm lánh, tỉnh "A"; tầng 2',
      hours: "7:00–17:00, thứ Hai–thứ Sáu",
      free: "unknown",
      scope: "province",
      verifiedOn: "2026-10-01",
    });

    for (const extension of ["csv", "xlsx"]) {
      const exported = join(dir, `export.${extension}`);
      await exportHelpEntries(exported, stored);
      const copy = await storeOnNewDatabase();
      const again = await importHelpEntries(exported, { store: copy, checks, dryRun: false });
      expect(again.added, extension).toBe(3);
      expect(await copy.list(), extension).toEqual(stored);
    }
    const csvAgain = join(dir, "export-again.csv");
    await exportHelpEntries(csvAgain, await store.list());
    expect(await readFile(csvAgain, "utf8")).toBe(await readFile(join(dir, "export.csv"), "utf8"));
  });

  it("writes nothing when one row is bad, and reports every bad row", async () => {
    const dir = await folder();
    const store = await storeOnNewDatabase();
    const good = join(dir, "good.csv");
    await writeFile(good, writeCsv([header, goodRows[0] ?? []]));
    await importHelpEntries(good, { store, checks, dryRun: false });
    const before = await store.list();

    const bad = join(dir, "bad.csv");
    const changed = (goodRows[0] ?? []).map((cell, index) => (index === 2 ? "Tên mới" : cell));
    const wrongPhone = (goodRows[1] ?? []).map((cell, index) => (index === 3 ? "không có" : cell));
    const futureDate = (goodRows[2] ?? []).map((cell, index) => (index === 12 ? "2026-12-01" : cell));
    // A blank row between entries, as staff leave them: row numbers are still the spreadsheet's.
    await writeFile(bad, writeCsv([header, changed, [], wrongPhone, futureDate]));
    const error = await importHelpEntries(bad, { store, checks, dryRun: false }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HelpEntryImportError);
    expect(error instanceof HelpEntryImportError && error.problems.map((problem) => [problem.row, problem.column])).toEqual([
      [4, "điện thoại"],
      [5, "ngày xác minh"],
    ]);
    expect(await store.list()).toEqual(before);
  });

  it("replaces entries by id, and writes nothing on a dry run", async () => {
    const dir = await folder();
    const store = await storeOnNewDatabase();
    const file = join(dir, "list.csv");
    await writeFile(file, writeCsv([header, ...goodRows]));
    expect(await importHelpEntries(file, { store, checks, dryRun: true })).toMatchObject({ added: 3, written: false });
    expect(await store.list()).toEqual([]);
    await importHelpEntries(file, { store, checks, dryRun: false });
    const renamed = goodRows.map((cells) => cells.map((cell, index) => (index === 2 ? `${cell} (mới)` : cell)));
    await writeFile(file, writeCsv([header, ...renamed]));
    expect(await importHelpEntries(file, { store, checks, dryRun: false })).toMatchObject({ added: 0, updated: 3 });
    const names = (await store.list()).map((entry) => entry.name);
    expect(names).toHaveLength(3);
    expect(names.every((name) => name.endsWith("(mới)"))).toBe(true);
    expect(await store.list({ provinceCode: "test-province-b" })).toEqual([]);
  });
});
