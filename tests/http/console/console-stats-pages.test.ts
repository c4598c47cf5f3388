import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleText } from "../../../src/console/console-locale.ts";
import { parseCsv } from "../../../src/tables/csv.ts";
import { tableCells } from "../../console/table-inspection.ts";
import { multipartBody } from "../api/example-api.ts";
import { recordSampleReach } from "../../support/reach-fixture.ts";
import { startStaffServer, staffTestPassword, type StaffServer } from "../../support/staff-server.ts";
import { databaseKinds } from "../../support/test-database.ts";

const vi = consoleText("vi");
type Who = "admin" | "mai" | "lan";

/** The rows of an XLSX download below its caption and headings, as text. */
async function xlsxRows(body: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Uint8Array.from(body).buffer);
  const rows: string[][] = [];
  workbook.worksheets[0]?.eachRow((row, number) => {
    if (number > 2) rows.push((row.values as ExcelJS.CellValue[]).slice(1).map((value) => String(value)));
  });
  return rows;
}

describe.each(databaseKinds)("the statistics pages on %s", (database) => {
  let loa: StaffServer;
  const sessions = new Map<Who, { cookie: string; csrf: string }>();

  beforeAll(async () => {
    loa = await startStaffServer({ database, now: () => new Date("2026-11-20T03:00:00Z") });
    const { staff } = loa;
    const team = await staff.accounts.createTeam({ name: "Tổ Mường Bú", provinceCode: "14", communeCodes: ["14-mau-04"] });
    const accounts = {
      admin: await staff.accounts.create({ username: "admin", displayName: "Admin", password: staffTestPassword, role: "admin" }),
      mai: await staff.accounts.create({ username: "mai", displayName: "Chị Mai", password: staffTestPassword, role: "province", provinces: ["14"] }),
      lan: await staff.accounts.create({ username: "lan", displayName: "Chị Lan", password: staffTestPassword, role: "commune", teamId: team }),
    };
    for (const [who, account] of Object.entries(accounts)) {
      const session = await staff.sessions.start(account.accountId);
      sessions.set(who as Who, { cookie: `loa_session=${session.token}`, csrf: session.csrfToken });
    }
    await recordSampleReach(loa.runtime.database.client);
  });

  afterAll(async () => {
    await loa.stop();
  });

  const get = (who: Who, url: string) => loa.server.inject({ method: "GET", url, headers: { cookie: sessions.get(who)?.cookie ?? "" } });
  const post = (who: Who, url: string, fields: Record<string, string>) =>
    loa.server.inject({
      method: "POST",
      url,
      headers: { cookie: sessions.get(who)?.cookie ?? "", "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: sessions.get(who)?.csrf ?? "", ...fields }).toString(),
    });

  it("lands each role on her own area: the country for an admin, the province for an officer, the commune for a team", async () => {
    expect((await get("admin", "/console/stats")).statusCode).toBe(200);
    expect((await get("mai", "/console/stats")).headers.location).toBe("/console/stats/14");
    expect((await get("lan", "/console/stats?period=2026-Q3")).headers.location).toBe("/console/stats/14/14-mau-04?period=2026-Q3");
    const country = await get("admin", "/console/stats");
    expect(country.body).toContain("<h1>Thống kê: Cả nước</h1>");
    expect(country.body).toContain('<option value="2026-H2" selected>6 tháng cuối năm 2026</option>');
    expect(tableCells(country.body, "by-place-caption")).toEqual([
      ["Sơn La", "45", "45", "45"],
      ["Lạng Sơn", "7", "7", "7"],
    ]);
    expect(country.body).toContain('<a href="/console/stats/14?period=2026-H2">Sơn La</a>');
  });

  it("shows a province's figures, and its communes with small counts hidden in the page, the CSV and the XLSX", async () => {
    const page = await get("mai", "/console/stats/14?period=2026-H2");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<div><dt>${vi.stats.people}</dt><dd>45</dd></div>`);
    expect(page.body).toContain(`<div><dt>${vi.stats.quizCorrect}</dt><dd>80\u00a0%</dd></div>`);
    expect(tableCells(page.body, "over-time-caption").map((row) => row[1])).toEqual(["20", "3", "10", "12", "0", "0"]);
    expect(tableCells(page.body, "by-topic-caption").map((row) => row.slice(0, 2))).toEqual([
      ["Sinh con an toàn", "30"],
      ["Bạo lực gia đình", "12"],
      ["Tảo hôn", "3"],
    ]);
    const communes = [
      ["xã Mường Bú", "30", "30", "30"],
      ["xã Chiềng Hoa", vi.stats.withheld, vi.stats.withheld, vi.stats.withheld],
      ["xã Mường La", "<5", "<5", vi.stats.withheld],
    ];
    expect(tableCells(page.body, "by-place-caption")).toEqual(communes);
    const csv = await get("mai", "/console/stats/tables/by-place.csv?place=14&period=2026-H2");
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toBe('attachment; filename="thong-ke-14-2026-H2-by-place.csv"');
    expect(parseCsv(csv.body)).toEqual([[vi.stats.commune, vi.stats.peopleColumn, vi.stats.visitsColumn, vi.stats.messagesColumn], ...communes]);
    const xlsx = await get("mai", "/console/stats/tables/by-place.xlsx?place=14&period=2026-H2");
    expect(await xlsxRows(xlsx.rawPayload)).toEqual(communes);
  });

  it("drills down to a commune, where every count under 5 is <5 and never its value", async () => {
    const page = await get("mai", "/console/stats/14/14-mau-05?period=2026-H2");
    expect(page.body).toContain("<h1>Thống kê: xã Mường La</h1>");
    expect(page.body).toContain('<li><a href="/console/stats/14?period=2026-H2">Sơn La</a></li><li aria-current="page">xã Mường La</li>');
    expect(page.body).toContain(`<div><dt>${vi.stats.people}</dt><dd>&lt;5</dd></div>`);
    expect(page.body).toContain(`<div><dt>${vi.stats.emergencies}</dt><dd>&lt;5</dd></div>`);
    const summary = parseCsv((await get("mai", "/console/stats/tables/summary.csv?place=14-mau-05&period=2026-H2")).body);
    // Messages are withheld with the people they went to, as in every other table of commune figures.
    expect(summary.map((row) => row[1])).toEqual([vi.stats.value, "<5", "<5", vi.stats.withheld, "0", "–", "0", "<5", "0"]);
    const topics = await get("mai", "/console/stats/tables/by-topic.csv?place=14-mau-05&period=2026-H2");
    expect(parseCsv(topics.body)[1]).toEqual(["Tảo hôn", "<5", "<5", vi.stats.withheld]);
    expect(tableCells(page.body, "by-topic-caption")).toEqual([["Tảo hôn", "<5", "<5", vi.stats.withheld]]);
  });

  it("charts a month by its days, and a commune's indicator progress against the target entered", async () => {
    const september = await get("lan", "/console/stats/14/14-mau-04?period=2026-09");
    const days = tableCells(september.body, "over-time-caption");
    expect(days).toHaveLength(30);
    expect([days[0], days[10]]).toEqual([
      ["Ngày 1/9/2026", "0", "0"],
      ["Ngày 11/9/2026", "<5", "<5"],
    ]);
    expect(september.body).toContain(`<h2 id="over-time-title">${vi.stats.overTimeDays}</h2>`);

    const before = await get("lan", "/console/stats/14/14-mau-04?period=2026-H2");
    expect(before.body).toContain(`<p>Đã tiếp cận 30 người · <span class="due">${vi.stats.noTarget}</span></p>`);
    const saved = await post("mai", "/console/stats/targets", { province: "14", year: "2026", indicator: "safe-birth-reach", "population-14-mau-04": "1.200" });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe("/console/stats/targets?province=14&year=2026&indicator=safe-birth-reach&saved=1");
    const after = await get("lan", "/console/stats/14/14-mau-04?period=2026-H2");
    expect(after.body).toContain('max="100" value="2.5">2,5\u00a0%</progress> <span>2,5\u00a0% của 1.200 đối tượng</span>');
    const province = await get("mai", "/console/stats/14?period=2026-H2");
    expect(province.body).toContain("<span>2,5\u00a0% của 1.200 đối tượng</span>");
    expect(province.body).toContain("9 xã chưa nhập chỉ tiêu, không tính vào tỷ lệ.");
    const indicators = parseCsv((await get("mai", "/console/stats/tables/indicators.csv?place=14&period=2026-H2")).body);
    expect(indicators[1]).toEqual(["Phụ nữ thuộc nhóm có tỷ lệ sinh con tại nhà cao được tuyên truyền về sinh đẻ an toàn", "30", "1200", "2,5\u00a0%", "80\u00a0%", "9"]);
  });

  it("refuses targets that are not whole numbers, field by field, and saves nothing", async () => {
    const refused = await post("mai", "/console/stats/targets", { province: "14", year: "2026", indicator: "safe-birth-reach", "population-14-mau-05": "nhiều", "population-14-mau-06": "500" });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(`<p class="error" id="population-14-mau-05-error">${vi.targetsForm.populationInvalid}</p>`);
    expect(refused.body).toContain('<a href="#population-14-mau-05">xã Mường La: ');
    expect(refused.body).toContain('value="500"');
    const stored = await loa.runtime.database.client.indicatorTarget.findMany({ where: { communeCode: { in: ["14-mau-05", "14-mau-06"] } } });
    expect(stored).toEqual([]);
  });

  it("imports targets from a CSV all or nothing, and downloads what was entered in the same columns", async () => {
    const csv = "mã chỉ tiêu,mã xã,năm,mẫu số\r\nsafe-birth-reach,14-mau-06,2026,800\r\n";
    const form = multipartBody([
      { field: "_csrf", content: sessions.get("mai")?.csrf ?? "" },
      { field: "file", filename: "chi-tieu.csv", content: csv },
    ]);
    const imported = await loa.server.inject({ method: "POST", url: "/console/stats/targets/import?province=14&year=2026", headers: { cookie: sessions.get("mai")?.cookie ?? "", ...form.headers }, payload: form.payload });
    expect(imported.statusCode).toBe(200);
    expect(imported.body).toContain("Đã nhập: thêm 1, cập nhật 0 chỉ tiêu.");
    const bad = multipartBody([
      { field: "_csrf", content: sessions.get("mai")?.csrf ?? "" },
      { field: "file", filename: "chi-tieu.csv", content: "mã chỉ tiêu,mã xã,năm,mẫu số\r\nsafe-birth-reach,20-mau-01,2026,800\r\n" },
    ]);
    const refused = await loa.server.inject({ method: "POST", url: "/console/stats/targets/import?province=14&year=2026", headers: { cookie: sessions.get("mai")?.cookie ?? "", ...bad.headers }, payload: bad.payload });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("Chưa lưu gì. Sửa các lỗi sau trong tệp chi-tieu.csv rồi nhập lại:");
    expect(refused.body).toMatch(/<li>Dòng 2, cột “mã xã”: [^<]+<\/li>/);
    const exported = parseCsv((await get("mai", "/console/stats/targets/export.csv?province=14&year=2026")).body);
    expect(exported.map((row) => [row[0], row[2], row[4], row[5]])).toEqual([
      ["mã chỉ tiêu", "mã xã", "năm", "mẫu số"],
      ["safe-birth-reach", "14-mau-04", "2026", "1200"],
      ["safe-birth-reach", "14-mau-06", "2026", "800"],
    ]);
  });

  it("records an in-person session apart from the bot's reach, and shows it on the commune's page", async () => {
    const form = await get("lan", "/console/stats/sessions/new?commune=14-mau-04");
    expect(form.body).toContain('<option value="14-mau-04" selected>xã Mường Bú</option>');
    expect(form.body).not.toContain('value="14-mau-05"');
    const refused = await post("lan", "/console/stats/sessions/new", { heldOn: "2026-12-01", communeCode: "14-mau-04", topic: "child-marriage", placeName: "", participantsFemale: "0", participantsMale: "0" });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(`<p class="error" id="session-placeName-error">${vi.sessionForm.placeNameMissing}</p>`);
    expect(refused.body).toContain(`<p class="error" id="session-participantsFemale-error">${vi.sessionForm.nobody}</p>`);
    const future = await post("lan", "/console/stats/sessions/new", { heldOn: "2026-12-01", communeCode: "14-mau-04", topic: "child-marriage", placeName: "Nhà văn hóa bản Nà Ngụa", participantsFemale: "20", participantsMale: "5" });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain(`<p class="error" id="session-heldOn-error">${vi.sessionForm.heldOnInvalid}</p>`);
    const saved = await post("lan", "/console/stats/sessions/new", { heldOn: "2026-08-10", communeCode: "14-mau-04", topic: "child-marriage", placeName: "Nhà văn hóa bản Nà Ngụa", participantsFemale: "20", participantsMale: "5" });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe("/console/stats/14/14-mau-04?period=2026-H2&saved=2026-08-10#sessions-title");
    const page = await get("lan", "/console/stats/14/14-mau-04?period=2026-H2&saved=2026-08-10");
    expect(page.body).toContain(`<p class="success" role="status">Đã ghi buổi truyền thông: Ngày 10/8/2026.</p>`);
    expect(tableCells(page.body, "sessions-caption")).toEqual([["Tảo hôn", "1", "20", "5", "25"]]);
    expect(page.body).toContain(`<div><dt>${vi.stats.people}</dt><dd>30</dd></div>`);
    const province = await get("mai", "/console/stats/14?period=2026-H2");
    expect(tableCells(province.body, "sessions-caption")).toEqual([["xã Mường Bú", "1", "20", "5", "25"]]);
  });

  it("lists the sessions recorded, and lets the team change one typed wrong and remove one recorded by mistake", async () => {
    const first = await post("lan", "/console/stats/sessions/new", { heldOn: "2026-09-02", communeCode: "14-mau-04", topic: "safe-birth", placeName: "Bản Pá Chè", participantsFemale: "12", participantsMale: "0" });
    expect(first.statusCode).toBe(303);
    const commune = await get("lan", "/console/stats/14/14-mau-04?period=2026-H2");
    expect(commune.body).toContain(`<a href="/console/stats/sessions?place=14-mau-04&amp;period=2026-H2">${vi.stats.listSessions}</a>`);
    const list = await get("lan", "/console/stats/sessions?place=14-mau-04&period=2026-H2");
    expect(list.statusCode).toBe(200);
    const rows = tableCells(list.body);
    expect(rows).toContainEqual(["2026-09-02", "Bản Pá Chèxã Mường Bú", vi.topics["safe-birth"], "12", "0"]);
    const editUrl = /<a href="(\/console\/stats\/sessions\/[^"]+)">2026-09-02<\/a>/.exec(list.body)?.[1] ?? "";
    expect(editUrl).not.toBe("");

    const form = await get("lan", editUrl);
    expect(form.body).toContain(`<h1>${vi.sessionForm.changeTitle}</h1>`);
    expect(form.body).toContain('value="Bản Pá Chè"');
    expect((await get("mai", "/console/stats/sessions/no-such-session")).statusCode).toBe(404);
    const refused = await post("lan", editUrl, { heldOn: "2026-09-02", communeCode: "14-mau-04", topic: "safe-birth", placeName: "Bản Pá Chè", participantsFemale: "x", participantsMale: "0" });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(`<p class="error" id="session-participantsFemale-error">${vi.sessionForm.countInvalid}</p>`);
    const outside = await post("lan", editUrl, { heldOn: "2026-09-02", communeCode: "14-mau-05", topic: "safe-birth", placeName: "Bản Pá Chè", participantsFemale: "21", participantsMale: "0" });
    expect(outside.statusCode).toBe(404);
    const changed = await post("lan", editUrl, { heldOn: "2026-09-02", communeCode: "14-mau-04", topic: "safe-birth", placeName: "Bản Pá Chè", participantsFemale: "21", participantsMale: "3" });
    expect(changed.headers.location).toBe("/console/stats/14/14-mau-04?period=2026-H2&changed=2026-09-02#sessions-title");
    const after = await get("lan", "/console/stats/14/14-mau-04?period=2026-H2&changed=2026-09-02");
    expect(after.body).toContain(`<p class="success" role="status">Đã sửa buổi truyền thông: Ngày 2/9/2026.</p>`);
    expect(tableCells(after.body, "sessions-caption")).toContainEqual([vi.topics["safe-birth"], "1", "21", "3", "24"]);

    const removed = await post("lan", `${editUrl}/remove`, {});
    expect(removed.headers.location).toBe("/console/stats/sessions?place=14-mau-04&period=2026-H2&removed=2026-09-02");
    const listed = await get("lan", removed.headers.location ?? "");
    expect(listed.body).toContain(`<p class="success" role="status">Đã xoá buổi truyền thông: Ngày 2/9/2026.</p>`);
    expect(listed.body).not.toContain("Bản Pá Chè");
    expect((await post("lan", `${editUrl}/remove`, {})).statusCode).toBe(404);
    const audit = await loa.runtime.database.client.auditEvent.findMany({ where: { action: "outreach-session-changed", target: `outreach-session:${editUrl.split("/").at(-1)}` } });
    expect(audit.map((event) => JSON.parse(event.detail).change).sort()).toEqual(["changed", "recorded", "removed"]);
  });

  it("downloads the province's periodic report, and a team's report of its own communes", async () => {
    for (const who of ["mai", "lan"] as const) {
      const report = await get(who, "/console/stats/report.xlsx?province=14&period=2026-H2");
      expect([who, report.statusCode, report.headers["content-type"]]).toEqual([who, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);
      expect(report.headers["content-disposition"]).toBe('attachment; filename="bao-cao-14-2026-H2.xlsx"');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Uint8Array.from(report.rawPayload).buffer);
      expect(workbook.worksheets.length).toBeGreaterThan(0);
    }
    const audit = await loa.runtime.database.client.auditEvent.count({ where: { action: "report-export" } });
    expect(audit).toBe(2);
  });
});
