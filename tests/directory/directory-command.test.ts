import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseDirectoryArgs, runDirectory, type DirectoryCommandDeps } from "../../src/cli/directory-command.ts";
import { loadDirectory } from "../../src/directory/directory-loader.ts";
import { readTableFile } from "../../src/tables/table-file.ts";
import { writeCsv } from "../../src/tables/csv.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

// TEST DATA ONLY: fictional places, names and phone numbers.
const now = new Date("2026-11-26T09:00:00+07:00");
const header = ["loại", "tên", "điện thoại", "mã tỉnh", "mã xã", "chủ đề", "ngày xác minh", "nguồn"];
const rows = [
  ["địa chỉ tin cậy", "Địa chỉ tin cậy xã A", "0000 000 001", "test-province-a", "test-commune-a", "bạo lực gia đình", "01/03/2024", "Hội LHPN xã, 03/2024"],
  ["nhà tạm lánh", "Nhà tạm lánh tỉnh A", "0000 000 002", "test-province-a", "", "bạo lực gia đình", "2026-10-01", "Hội LHPN tỉnh"],
];

describe("parseDirectoryArgs", () => {
  it("reads the three actions and refuses anything else", () => {
    expect(parseDirectoryArgs(["import", "list.xlsx", "--dry-run"])).toEqual({ name: "import", file: "list.xlsx", dryRun: true });
    expect(parseDirectoryArgs(["import", "list.csv"])).toEqual({ name: "import", file: "list.csv", dryRun: false });
    expect(parseDirectoryArgs(["export", "out.csv"])).toEqual({ name: "export", file: "out.csv" });
    expect(parseDirectoryArgs(["list", "--stale", "--province", "14"])).toEqual({ name: "list", staleOnly: true, provinceCode: "14" });
    expect(parseDirectoryArgs(["list"])).toEqual({ name: "list", staleOnly: false });
    for (const wrong of [[], ["import"], ["import", "a.csv", "b.csv"], ["export", "a.csv", "--dry-run"], ["list", "--province"], ["list", "--old"], ["remove"]]) {
      expect(parseDirectoryArgs(wrong), wrong.join(" ")).toBeUndefined();
    }
  });
});

describe.each(databaseKinds)("loa directory on %s", (kind) => {
  let testDatabase: TestDatabase | undefined;
  afterEach(async () => {
    await testDatabase?.drop();
    testDatabase = undefined;
  });

  async function setUp(withPlaces = true): Promise<{ deps: DirectoryCommandDeps; lines: string[]; dir: string }> {
    testDatabase = await createTestDatabase(kind);
    const db = testDatabase.database.client;
    if (withPlaces) {
      const place = (code: string, level: string, provinceCode: string | null) => ({
        code,
        level,
        name: code,
        unitType: level === "province" ? "tỉnh" : "xã",
        provinceCode,
        searchName: code,
        source: "test",
        updatedAt: now,
      });
      await db.place.createMany({ data: [place("test-province-a", "province", null), place("test-commune-a", "commune", "test-province-a")] });
    }
    const lines: string[] = [];
    const nationalEntries = await loadDirectory(join(import.meta.dirname, "../../content/directory"));
    const deps = { database: db, nationalEntries, now, staleMonths: 12, write: (line: string) => lines.push(line) };
    return { deps, lines, dir: await mkdtemp(join(tmpdir(), "loa-directory-command-")) };
  }

  it("imports a file, lists the entries with stale ones flagged, and exports them", async () => {
    const { deps, lines, dir } = await setUp();
    const file = join(dir, "list.csv");
    await writeFile(file, writeCsv([header, ...rows]));

    expect(await runDirectory({ name: "import", file, dryRun: true }, deps)).toBe(0);
    expect(lines[0]).toBe("checked 2 entries: 2 new, 0 replacing stored ones; nothing was written (dry run)");
    lines.length = 0;
    expect(await runDirectory({ name: "import", file, dryRun: false }, deps)).toBe(0);
    expect(lines[0]).toBe("imported 2 entries: 2 new, 0 replacing stored ones");
    expect(lines.at(-1)).toBe("to check again, verified more than 12 months ago: 1 entry");

    lines.length = 0;
    expect(await runDirectory({ name: "list", staleOnly: true }, deps)).toBe(0);
    expect(lines).toEqual([
      "local-test-province-a-test-commune-a-0000000001  0000 000 001  Địa chỉ tin cậy xã A  commune test-commune-a (province test-province-a)  verified 2024-03-01  STALE: last checked 03/2024",
      "1 entry, 1 verified more than 12 months ago",
    ]);

    lines.length = 0;
    expect(await runDirectory({ name: "list", staleOnly: false, provinceCode: "test-province-a" }, deps)).toBe(0);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain("Nhà tạm lánh tỉnh A");
    lines.length = 0;
    await runDirectory({ name: "list", staleOnly: false }, deps);
    expect(lines.some((line) => line.startsWith("national-111  111  directory:national-111.name  national"))).toBe(true);

    const exported = join(dir, "export.xlsx");
    expect(await runDirectory({ name: "export", file: exported }, deps)).toBe(0);
    const table = await readTableFile(exported);
    expect(table[0]?.slice(0, 4)).toEqual(["id", "loại", "tên", "điện thoại"]);
    expect(table).toHaveLength(3);
  });

  it("prints every problem with its row and column and writes nothing", async () => {
    const { deps, lines, dir } = await setUp();
    const file = join(dir, "bad.csv");
    const badRows = [rows[0] ?? [], (rows[1] ?? []).map((cell, index) => (index === 3 ? "test-nowhere" : cell)), ["chợ", ...(rows[1] ?? []).slice(1)]];
    await writeFile(file, writeCsv([header, ...badRows]));
    expect(await runDirectory({ name: "import", file, dryRun: false }, deps)).toBe(1);
    expect(lines).toEqual([
      'row 3, mã tỉnh: "test-nowhere" is not a province code in the place list',
      expect.stringMatching(/^row 4, loại: unknown kind "chợ"; use one of: /),
      `${file}: 2 problem(s); nothing was imported`,
    ]);
    lines.length = 0;
    await runDirectory({ name: "list", staleOnly: false, provinceCode: "test-province-a" }, deps);
    expect(lines).toEqual(["0 entries, 0 verified more than 12 months ago"]);
  });

  it("says so when the place list is empty, and reports a file it cannot read", async () => {
    const { deps, lines, dir } = await setUp(false);
    const file = join(dir, "list.csv");
    await writeFile(file, writeCsv([header, ...rows]));
    expect(await runDirectory({ name: "import", file, dryRun: false }, deps)).toBe(1);
    expect(lines[0]).toContain("the place list is empty");
    lines.length = 0;
    expect(await runDirectory({ name: "import", file: join(dir, "list.txt"), dryRun: false }, deps)).toBe(1);
    expect(lines).toEqual([expect.stringContaining("only .csv and .xlsx files can be read")]);
  });
});
