import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PlaceIndex } from "../../src/places/place-index.ts";
import { compileIndicators, indicatorsFile, loadIndicators, type Indicator } from "../../src/stats/indicators.ts";
import { buildPeriodReport, type PeriodReport, type PeriodReportDeps } from "../../src/stats/period-report.ts";
import { countFormat, reportCsv, reportWorkbook } from "../../src/stats/report-workbook.ts";
import type { ShownCount } from "../../src/stats/small-cells.ts";
import { recordEngagement, type EngagementInput } from "../../src/stats/stats-recorder.ts";
import { parseCsv } from "../../src/tables/csv.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";
import { shippedPlaceIndex } from "../support/shipped-place-index.ts";

const contentDir = fileURLToPath(new URL("../../content/", import.meta.url));

const event = (pseudonym: string, day: string, values: Partial<EngagementInput> = {}): EngagementInput => ({
  kind: "content_delivered",
  occurredAt: new Date(`${day}T03:00:00Z`),
  pseudonym,
  channel: "zalo-bot",
  locale: "hmn",
  provinceCode: "14",
  communeCode: "14-mau-04",
  topic: "safe-birth",
  ...values,
});

const text = (count: ShownCount) => (count.kind === "count" ? count.value : count.kind === "small" ? `<${count.below}` : "ẩn");

/**
 * Sơn La, second half of 2026: twelve people in Mường Bú (six also got a campaign on child marriage), three in
 * Mường La, seven in Chiềng Hoa (on violence), eight in Thuận Châu; and events outside the period or province.
 */
async function seed(test: TestDatabase, indicators: readonly Indicator[]): Promise<void> {
  const db = test.database.client;
  const people = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index + 1}`);
  await db.campaign.create({
    data: { id: "campaign-1", name: "Ngày Quốc tế trẻ em gái 2026", provinceCode: "14", createdBy: "son-la", status: "completed", content: "{}", audience: "{}", createdAt: new Date(), updatedAt: new Date() },
  });
  await db.$transaction((tx) =>
    recordEngagement(
      tx,
      [
        ...people("bu", 12).map((pseudonym) => event(pseudonym, "2026-08-03")),
        ...people("bu", 6).map((pseudonym) => event(pseudonym, "2026-10-11", { kind: "campaign_delivered", topic: "child-marriage", campaignId: "campaign-1" })),
        ...people("la", 3).map((pseudonym) => event(pseudonym, "2026-08-03", { communeCode: "14-mau-05" })),
        ...people("hoa", 7).map((pseudonym) => event(pseudonym, "2026-09-20", { communeCode: "14-mau-06", topic: "violence" })),
        ...people("chau", 8).map((pseudonym) => event(pseudonym, "2026-08-03", { communeCode: "14-mau-07" })),
        event("bu1", "2026-03-01"),
        event("elsewhere", "2026-08-03", { provinceCode: "20", communeCode: "20-mau-01" }),
      ],
      { indicators: compileIndicators(indicators) },
    ),
  );
  await db.indicatorTarget.create({ data: { indicatorId: "safe-birth-reach", communeCode: "14-mau-04", provinceCode: "14", year: 2026, population: 20, updatedBy: "son-la", updatedAt: new Date() } });
  const session = (id: string, heldOn: string, topic: string, female: number, male: number) =>
    db.outreachSession.create({
      data: { id, teamId: null, provinceCode: "14", communeCode: "14-mau-04", heldOn: new Date(`${heldOn}T00:00:00Z`), topic, placeName: "Nhà văn hóa bản", participantsFemale: female, participantsMale: male, createdBy: "son-la", createdAt: new Date(), updatedAt: new Date() },
    });
  await session("s1", "2026-07-15", "child-marriage", 1_020, 310);
  await session("s2", "2026-11-20", "safe-birth", 25, 0);
}

describe.each(databaseKinds)("the periodic report on %s", (kind) => {
  let test: TestDatabase;
  let places: PlaceIndex;
  let deps: PeriodReportDeps;

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    places = await shippedPlaceIndex();
    const indicators = await loadIndicators(indicatorsFile(contentDir));
    await seed(test, indicators);
    deps = { db: test.database.client, indicators, places, threshold: 5, now: () => new Date("2027-01-05T02:00:00Z") };
  });
  afterEach(async () => {
    await test.drop();
  });

  const commune = (report: PeriodReport, code: string) => {
    const line = report.reach.byCommune.find((item) => item.communeCode === code);
    if (line === undefined) throw new Error(`no line for ${code}`);
    return { people: text(line.people), visits: text(line.visits), messages: text(line.messages), byTopic: line.peopleByTopic.map(text) };
  };

  it("gathers reach, indicators, campaigns and sessions of a province and period, hiding small commune cells", async () => {
    const report = await buildPeriodReport(deps, { period: "2026-H2", provinceCode: "14" });
    expect(report.province).toEqual({ code: "14", name: "tỉnh Sơn La" });
    expect(report.period).toEqual({ name: "2026-H2", key: "h2026-2", label: "6 tháng cuối năm 2026", firstDay: "2026-07-01", lastDay: "2026-12-31" });
    expect(report.madeOn).toBe("2027-01-05");
    // Province figures are exact and never hidden: 30 people, 36 visits (23 on 3 Aug, 7 on 20 Sep, 6 on 11 Oct).
    expect([text(report.reach.total.people), text(report.reach.total.visits), text(report.reach.total.messages)]).toEqual([30, 36, 36]);
    expect(report.reach.byTopic.map((line) => [line.topic, text(line.people)])).toEqual([
      ["child-marriage", 6],
      ["consanguinity", 0],
      ["safe-birth", 23],
      ["violence", 7],
    ]);
    // Mường La's 3 people are "<5", and its messages are withheld with them. Its people, visits and safe-birth
    // people would then be the only hidden counts of their columns, so the smallest other count of each column
    // is withheld too: Chiềng Hoa's people and visits, and 14-mau-07's 8 on safe birth. A commune's row is not a
    // sum, so nothing else in those rows needs hiding.
    expect(commune(report, "14-mau-05")).toEqual({ people: "<5", visits: "<5", messages: "ẩn", byTopic: [0, 0, "<5", 0] });
    expect(commune(report, "14-mau-06")).toEqual({ people: "ẩn", visits: "ẩn", messages: "ẩn", byTopic: [0, 0, 0, 7] });
    expect(commune(report, "14-mau-04")).toEqual({ people: 12, visits: 18, messages: 18, byTopic: [6, 0, 12, 0] });
    expect(commune(report, "14-mau-07")).toEqual({ people: 8, visits: 8, messages: 8, byTopic: [0, 0, "ẩn", 0] });
    expect(commune(report, "14-mau-01")).toEqual({ people: 0, visits: 0, messages: 0, byTopic: [0, 0, 0, 0] });
    const hiddenInColumn = (column: number) => report.reach.byCommune.filter((line) => line.peopleByTopic[column]?.kind !== "count").length;
    expect([0, 1, 2, 3].map(hiddenInColumn)).toEqual([0, 0, 2, 0]);

    const safeBirth = report.indicators.find((item) => item.indicator.id === "safe-birth-reach");
    expect(safeBirth?.total).toEqual({ reached: { kind: "count", value: 23 }, population: 20, percent: 60, percentWithheld: false, meetsTarget: false, communesWithoutTarget: 9 });
    expect(safeBirth?.byCommune.find((line) => line.communeCode === "14-mau-04")).toMatchObject({ reached: { kind: "count", value: 12 }, population: 20, percent: 60, meetsTarget: false });
    expect(safeBirth?.byCommune.find((line) => line.communeCode === "14-mau-05")).toMatchObject({ reached: { kind: "small", below: 5 }, population: null, percent: null });
    expect(safeBirth?.byCommune.find((line) => line.communeCode === "14-mau-07")?.reached).toEqual({ kind: "withheld" });

    expect(report.campaigns).toEqual([{ id: "campaign-1", name: "Ngày Quốc tế trẻ em gái 2026", status: "completed", people: { kind: "count", value: 6 }, messages: { kind: "count", value: 6 } }]);
    expect(report.sessions.total).toEqual({ sessions: 2, female: 1_045, male: 310, total: 1_355 });
  });

  it("limits a commune team's report to its communes, and hides even its totals when they are small", async () => {
    const report = await buildPeriodReport(deps, { period: "2026-H2", provinceCode: "14", scope: { kind: "communes", communeCodes: ["14-mau-05"], teamId: "team-la" } });
    expect(report.reach.byCommune.map((line) => line.communeCode)).toEqual(["14-mau-05"]);
    expect([text(report.reach.total.people), text(report.reach.total.messages)]).toEqual(["<5", "ẩn"]);
    expect(report.campaigns).toEqual([]);
    expect(report.sessions.total.sessions).toBe(0);
  });

  it("writes an XLSX workbook with the office's title, Vietnamese headings, units, number formats and hidden cells", async () => {
    const report = await buildPeriodReport(deps, { period: "2026-H2", provinceCode: "14" });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.read(Readable.from([await reportWorkbook(report)]));
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["Tổng hợp", "Theo xã", "Chỉ tiêu theo xã", "Truyền thông trực tiếp", "Ghi chú"]);

    const summary = workbook.getWorksheet("Tổng hợp");
    const values = (sheet: ExcelJS.Worksheet | undefined) => {
      const rows: unknown[][] = [];
      sheet?.eachRow({ includeEmpty: false }, (row) => rows.push((Array.isArray(row.values) ? row.values : []).slice(1)));
      return rows;
    };
    const summaryRows = values(summary);
    expect(summaryRows[0]).toEqual(["BÁO CÁO KẾT QUẢ TRUYỀN THÔNG 6 THÁNG CUỐI NĂM 2026 — Dự án 8"]);
    expect(summaryRows[2]).toEqual(["Đơn vị: tỉnh Sơn La"]);
    expect(summaryRows[3]).toEqual(["Kỳ báo cáo: 6 tháng cuối năm 2026 (từ ngày 01/07/2026 đến ngày 31/12/2026)"]);
    expect(summaryRows).toContainEqual(["Chủ đề", "Số người được tiếp cận (người)", "Số lượt tiếp cận (lượt)", "Số tin nhắn đã gửi"]);
    expect(summaryRows).toContainEqual(["Tổng cộng (mỗi người tính một lần)", 30, 36, 36]);
    expect(summaryRows).toContainEqual(["Chủ đề", "Số cuộc (cuộc)", "Số người dự (người)", "Nữ", "Nam"]);
    expect(summaryRows).toContainEqual(["Tổng cộng", 2, 1_355, 1_045, 310]);
    expect(summaryRows).toContainEqual([1, "Phụ nữ thuộc nhóm có tỷ lệ sinh con tại nhà cao được tuyên truyền về sinh đẻ an toàn", "người", 23, 20, "60,0 %", "80 %", "Chưa đạt (9 xã chưa nhập mẫu số)"]);
    expect(summaryRows).toContainEqual(["Ngày Quốc tế trẻ em gái 2026", "Đã xong", 6, 6]);

    let sessionTotal: ExcelJS.Cell | undefined;
    summary?.eachRow((row) => {
      if (row.getCell(1).value === "Tổng cộng") sessionTotal = row.getCell(3);
    });
    expect(sessionTotal?.value).toBe(1_355);
    expect(sessionTotal?.numFmt).toBe(countFormat);

    const communes = values(workbook.getWorksheet("Theo xã"));
    expect(communes[2]).toEqual(["STT", "Mã xã", "Tên xã", "Số người (người)", "Số lượt (lượt)", "Số tin nhắn", "Tảo hôn (người)", "Hôn nhân cận huyết thống (người)", "Sinh đẻ an toàn (người)", "Bạo lực gia đình (người)"]);
    expect(communes.find((row) => row[1] === "14-mau-05")).toEqual([5, "14-mau-05", "xã Mường La", "<5", "<5", "ẩn", 0, 0, "<5", 0]);
    const notes = values(workbook.getWorksheet("Ghi chú")).flat().join("\n");
    expect(notes).toContain('được ghi "<5"');
    expect(notes).toContain("Lượt: cộng số người của từng ngày trong kỳ.");
    expect(notes).toContain("“80% phụ nữ thuộc nhóm dân tộc có tỷ lệ sinh con tại nhà cao");
  });

  it("writes the same report as CSV, figures the Vietnamese way, with no pseudonym in any file", async () => {
    const report = await buildPeriodReport(deps, { period: "2026-H2", provinceCode: "14" });
    const csv = reportCsv(report);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(["[Tổng hợp]"]);
    expect(rows).toContainEqual(["Tổng cộng", "2", "1.355", "1.045", "310"]);
    expect(rows).toContainEqual(["5", "14-mau-05", "xã Mường La", "<5", "<5", "ẩn", "0", "0", "<5", "0"]);
    for (const pseudonym of ["bu1", "la1", "hoa1"]) {
      expect(csv).not.toMatch(new RegExp(`\\b${pseudonym}\\b`));
      expect(JSON.stringify(report)).not.toMatch(new RegExp(`"${pseudonym}"`));
    }
  });
});
