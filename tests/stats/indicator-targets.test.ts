import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuditLog, type AuditLog } from "../../src/staff/audit-log.ts";
import type { StaffPrincipal } from "../../src/staff/staff-principal.ts";
import { createIndicatorTargets, TargetImportError, type IndicatorTargets } from "../../src/stats/indicator-targets.ts";
import { indicatorsFile, loadIndicators } from "../../src/stats/indicators.ts";
import { writeCsv } from "../../src/tables/csv.ts";
import { readTableFile } from "../../src/tables/table-file.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";
import { shippedPlaceIndex } from "../support/shipped-place-index.ts";

const contentDir = fileURLToPath(new URL("../../content/", import.meta.url));
const base = { username: "x", displayName: "X", locale: "vi" as const, teamId: null, teamProvinceCode: null, provinces: [], communes: [] };
const admin: StaffPrincipal = { ...base, accountId: "admin", role: "admin" };
const sonLa: StaffPrincipal = { ...base, accountId: "son-la", role: "province", provinces: ["14"] };
const langSon: StaffPrincipal = { ...base, accountId: "lang-son", role: "province", provinces: ["20"] };
const muongBu: StaffPrincipal = { ...base, accountId: "muong-bu", role: "commune", communes: ["14-mau-04"], teamId: "t", teamProvinceCode: "14" };

describe.each(databaseKinds)("indicator targets on %s", (kind) => {
  let test: TestDatabase;
  let targets: IndicatorTargets;
  let audit: AuditLog;
  let dir: string;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    dir = await mkdtemp(join(tmpdir(), "loa-targets-"));
    const now = () => new Date("2026-11-26T03:00:00Z");
    const places = await shippedPlaceIndex();
    const indicators = await loadIndicators(indicatorsFile(contentDir));
    audit = createAuditLog(test.database.client, now);
    targets = createIndicatorTargets({ db: test.database.client, places: () => places, indicators: async () => indicators, audit, now });
  });
  afterEach(async () => {
    await test.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const csv = async (rows: string[][]) => {
    const file = join(dir, "targets.csv");
    await writeFile(file, writeCsv(rows));
    return file;
  };
  const header = ["mã chỉ tiêu", "mã xã", "năm", "mẫu số"];

  it("lets a province officer set targets of her province's communes, and shows each role only what it may see", async () => {
    await targets.set(sonLa, { indicatorId: "safe-birth-reach", communeCode: "14-mau-04", year: 2026, population: 420 });
    await targets.set(sonLa, { indicatorId: "safe-birth-reach", communeCode: "14-mau-05", year: 2026, population: 380 });
    await targets.set(langSon, { indicatorId: "gender-equality-households", communeCode: "20-mau-01", year: 2026, population: 1_250 });
    await targets.set(sonLa, { indicatorId: "safe-birth-reach", communeCode: "14-mau-04", year: 2026, population: 430 });
    const seen = async (who: StaffPrincipal) => (await targets.list(who, { year: 2026 })).map((target) => `${target.communeCode}:${target.population}`);
    expect(await seen(admin)).toEqual(["20-mau-01:1250", "14-mau-04:430", "14-mau-05:380"]);
    expect(await seen(sonLa)).toEqual(["14-mau-04:430", "14-mau-05:380"]);
    expect(await seen(muongBu)).toEqual(["14-mau-04:430"]);
    expect(await targets.list(admin, { year: 2025 })).toEqual([]);
    const changes = (await audit.list()).filter((entry) => entry.action === "targets-changed");
    expect(changes.map((entry) => entry.target)).toContain("indicator-target:safe-birth-reach:14-mau-04:2026");
  });

  it("refuses a commune team, a commune outside her area, an unknown indicator and one that counts people only", async () => {
    const input = { indicatorId: "safe-birth-reach", communeCode: "14-mau-04", year: 2026, population: 400 };
    await expect(targets.set(muongBu, input)).rejects.toMatchObject({ code: "staff:forbidden" });
    await expect(targets.set(langSon, input)).rejects.toMatchObject({ code: "staff:not-found" });
    await expect(targets.set(sonLa, { ...input, indicatorId: "no-such-indicator" })).rejects.toMatchObject({ code: "stats:unknown-indicator" });
    await expect(targets.set(sonLa, { ...input, indicatorId: "trusted-address-referrals" })).rejects.toThrow(/counts people only/);
    await expect(targets.set(sonLa, { ...input, communeCode: "14" })).rejects.toMatchObject({ code: "stats:unknown-commune" });
    expect(await targets.list(admin)).toEqual([]);
  });

  it("imports a whole file or nothing, naming each problem by the row number the spreadsheet shows", async () => {
    await targets.set(sonLa, { indicatorId: "safe-birth-reach", communeCode: "14-mau-05", year: 2026, population: 100 });
    const file = await csv([
      header,
      ["safe-birth-reach", "14-mau-04", "2026", "1.250"],
      [],
      ["safe-birth-reach", "20-mau-01", "2026", "300"],
      ["trusted-address-referrals", "14-mau-04", "2026", "300"],
      ["safe-birth-reach", "14-mau-99", "năm nay", "0"],
      ["safe-birth-reach", "14-mau-04", "2026", "1250"],
    ]);
    const refused = await targets.import(sonLa, file, false).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TargetImportError);
    expect(refused instanceof TargetImportError ? refused.problems : []).toEqual([
      { row: 4, column: "mã xã", message: "outside your area" },
      { row: 5, column: "mã chỉ tiêu", message: '"trusted-address-referrals" counts people only and takes no target population' },
      { row: 6, column: "mã xã", message: '"14-mau-99" is not a commune code in the place list' },
      { row: 6, column: "năm", message: '"năm nay" is not a year such as 2026' },
      { row: 6, column: "mẫu số", message: '"0" is not a whole number from 1 to 10000000' },
      { row: 7, column: "mã xã", message: "the same indicator, commune and year as row 2" },
    ]);
    expect((await targets.list(admin)).map((target) => target.population)).toEqual([100]);

    const good = await csv([header, ["safe-birth-reach", "14-mau-04", "2026", "1.250"], ["safe-birth-reach", "14-mau-05", "2026", "410"]]);
    expect(await targets.import(sonLa, good, true)).toEqual({ added: 1, updated: 1, written: false });
    expect((await targets.list(admin)).map((target) => target.population)).toEqual([100]);
    expect(await targets.import(sonLa, good, false)).toEqual({ added: 1, updated: 1, written: true });
    expect((await targets.list(admin)).map((target) => `${target.communeCode}:${target.population}`)).toEqual(["14-mau-04:1250", "14-mau-05:410"]);
    const imports = (await audit.list()).filter((entry) => entry.action === "targets-import").map((entry) => entry.outcome);
    expect(imports).toEqual(["ok", "refused"]);
  });

  it("reads headers without regard to case and diacritics, and reports missing and unknown columns before any row", async () => {
    const file = await csv([["Mã chỉ tiêu", "mã tỉnh", "NAM"], ["safe-birth-reach", "14", "2026"]]);
    const refused = await targets.import(admin, file, false).catch((error: unknown) => error);
    expect(refused instanceof TargetImportError ? refused.problems.map((problem) => `${problem.row} ${problem.column}: ${problem.message}`) : []).toEqual([
      "1 mã tỉnh: unknown column; the columns are: mã chỉ tiêu, tên chỉ tiêu, mã xã, tên xã, năm, mẫu số",
      "1 mã xã: this column is missing",
      "1 mẫu số: this column is missing",
    ]);
  });

  it("exports the targets she may see as XLSX with names beside the codes, and imports the file back unchanged", async () => {
    await targets.set(sonLa, { indicatorId: "safe-birth-reach", communeCode: "14-mau-04", year: 2026, population: 420 });
    await targets.set(langSon, { indicatorId: "gender-equality-households", communeCode: "20-mau-01", year: 2026, population: 1_250 });
    const file = join(dir, "mau-so.xlsx");
    expect(await targets.export(sonLa, file, { year: 2026 })).toBe(1);
    expect(await readTableFile(file)).toEqual([
      ["mã chỉ tiêu", "tên chỉ tiêu", "mã xã", "tên xã", "năm", "mẫu số"],
      ["safe-birth-reach", "Phụ nữ thuộc nhóm có tỷ lệ sinh con tại nhà cao được tuyên truyền về sinh đẻ an toàn", "14-mau-04", "xã Mường Bú", "2026", "420"],
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets[0]?.name).toBe("Mẫu số chỉ tiêu");
    expect(await targets.import(sonLa, file, false)).toEqual({ added: 0, updated: 1, written: true });
    expect((await audit.list()).some((entry) => entry.action === "targets-export" && entry.detail === JSON.stringify({ targets: 1 }))).toBe(true);
  });
});
