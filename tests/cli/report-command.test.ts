import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runReportCommand } from "../../src/cli/report-command.ts";
import { compileIndicators, indicatorsFile, loadIndicators } from "../../src/stats/indicators.ts";
import { recordEngagement } from "../../src/stats/stats-recorder.ts";
import { parseCsv } from "../../src/tables/csv.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const contentDir = join(root, "content");
const run = promisify(execFile);

describe.each(databaseKinds)("loa report on %s", (kind) => {
  let test: TestDatabase;
  let dir: string;
  let lines: string[];
  const report = (...args: string[]) =>
    runReportCommand({ database: test.database, contentDir, threshold: 5, args, cwd: dir, now: () => new Date("2027-01-05T02:00:00Z"), write: (line) => lines.push(line) });

  // 1,234 people, recorded once for the file: the reports only read them.
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    const indicators = compileIndicators(await loadIndicators(indicatorsFile(contentDir)));
    const events = Array.from({ length: 1_234 }, (_, index) => ({
      kind: "content_delivered",
      occurredAt: new Date(Date.UTC(2026, 7, 1 + (index % 20), 3)),
      pseudonym: `p${index}`,
      channel: "telegram",
      provinceCode: "14",
      communeCode: index % 2 === 0 ? "14-mau-04" : "14-mau-05",
      topic: "child-marriage",
    }));
    await test.database.client.$transaction((tx) => recordEngagement(tx, events, { indicators }), { timeout: 60_000 });
  });
  afterAll(async () => {
    await test.drop();
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "loa-report-cli-"));
    lines = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the six-month report of a province as XLSX, named after the province and period", async () => {
    expect(await report("--period", "2026-H2", "--province", "14")).toBe(0);
    const file = join(dir, "bao-cao-14-2026-H2.xlsx");
    expect(lines).toEqual([`${file}: tỉnh Sơn La, 6 tháng cuối năm 2026 (2026-07-01 to 2026-12-31)`]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const summary = workbook.getWorksheet("Tổng hợp");
    expect(summary?.getCell("A1").value).toBe("BÁO CÁO KẾT QUẢ TRUYỀN THÔNG 6 THÁNG CUỐI NĂM 2026 — Dự án 8");
    let total: ExcelJS.Row | undefined;
    summary?.eachRow((row) => {
      if (row.getCell(1).value === "Tổng cộng (mỗi người tính một lần)") total = row;
    });
    expect(total?.getCell(2).value).toBe(1_234);
    expect(total?.getCell(2).numFmt).toBe('[>=1000000]#"."###"."##0;[>=1000]#"."##0;0');
  });

  it("writes the annual report as CSV where --out says", async () => {
    expect(await report("--period", "2026", "--province", "14", "--format", "csv", "--out", "nam-2026.csv")).toBe(0);
    const rows = parseCsv(await readFile(join(dir, "nam-2026.csv"), "utf8"));
    expect(rows).toContainEqual(["Kỳ báo cáo: Năm 2026 (từ ngày 01/01/2026 đến ngày 31/12/2026)"]);
    expect(rows).toContainEqual(["Tổng cộng (mỗi người tính một lần)", "1.234", "1.234", "1.234"]);
  });

  it("explains what it needs, and refuses an unknown period or province", async () => {
    expect(await report("--period", "2026-H2")).toBe(2);
    expect(lines.at(-1)).toMatch(/^usage: loa report --period/);
    expect(await report("--period", "2026-H3", "--province", "14")).toBe(1);
    expect(lines.at(-1)).toBe("error: Not a period: 2026-H3 (use 2026-H2, 2026-Q4, 2026-11, 2026 or 2026-11-26)");
    expect(await report("--period", "2026-H2", "--province", "99")).toBe(1);
    expect(lines.at(-1)).toBe('error: "99" is not a province code in the place list');
  });
});

describe("loa report from the command line", () => {
  it("is registered in the loa command", async () => {
    const result = await run(process.execPath, ["--import", "tsx", "src/main.ts", "report", "--period"], { cwd: root }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stderr: error.stdout }),
    );
    expect(result).toEqual({ code: 2, stderr: expect.stringMatching(/^usage: loa report --period/) });
  });
});
