import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileIndicators, indicatorsFile, loadIndicators } from "../../../src/stats/indicators.ts";
import { recordEngagement, type EngagementInput } from "../../../src/stats/stats-recorder.ts";
import { writeCsv } from "../../../src/tables/csv.ts";
import { startStaffServer, staffTestPassword, type StaffServer } from "../../support/staff-server.ts";
import { databaseKinds } from "../../support/test-database.ts";

const contentDir = fileURLToPath(new URL("../../../content/", import.meta.url));

const event = (pseudonym: string, communeCode: string, topic: string): EngagementInput => ({
  kind: "content_delivered",
  occurredAt: new Date("2026-09-01T03:00:00Z"),
  pseudonym,
  channel: "telegram",
  locale: "vi",
  provinceCode: "14",
  communeCode,
  topic,
});

describe.each(databaseKinds)("the statistics API on %s", (kind) => {
  let loa: StaffServer;
  let officer: string;
  let team: string;

  beforeAll(async () => {
    loa = await startStaffServer({ database: kind, now: () => new Date("2026-11-26T03:00:00Z") });
    const { staff } = loa;
    const teamId = await staff.accounts.createTeam({ name: "Tổ Mường Bú", provinceCode: "14", communeCodes: ["14-mau-04"] });
    const sonLa = await staff.accounts.create({ username: "son-la", displayName: "Sơn La", password: staffTestPassword, role: "province", provinces: ["14"] });
    const muongBu = await staff.accounts.create({ username: "muong-bu", displayName: "Mường Bú", password: staffTestPassword, role: "commune", teamId });
    officer = (await staff.apiTokens.create(sonLa.accountId, "test")).token;
    team = (await staff.apiTokens.create(muongBu.accountId, "test")).token;
    const indicators = compileIndicators(await loadIndicators(indicatorsFile(contentDir)));
    const events = [
      ...Array.from({ length: 9 }, (_, index) => event(`bu${index}`, "14-mau-04", "safe-birth")),
      ...Array.from({ length: 2 }, (_, index) => event(`la${index}`, "14-mau-05", "safe-birth")),
    ];
    await loa.runtime.database.client.$transaction((tx) => recordEngagement(tx, events, { indicators }));
  });
  afterAll(async () => {
    await loa.stop();
  });

  const get = (token: string, url: string) => loa.server.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });
  const send = (token: string, method: "POST" | "PUT", url: string, payload: Record<string, unknown>) => loa.server.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });

  it("gives a province officer exact province figures and protected commune figures", async () => {
    const response = await get(officer, "/api/stats/overview?period=2026-H2&provinceCode=14");
    expect(response.statusCode).toBe(200);
    const overview = response.json<{ scope: string; reach: Array<{ metric: string; count: unknown }>; byCommune: Array<{ communeCode: string; people: unknown; messages: unknown }>; months: Array<{ period: string; people: unknown }> }>();
    expect(overview.scope).toBe("province");
    expect(overview.reach.find((item) => item.metric === "people")?.count).toEqual({ kind: "count", value: 11 });
    expect(overview.byCommune.find((line) => line.communeCode === "14-mau-05")).toMatchObject({ people: { kind: "small", below: 5 }, messages: { kind: "withheld" } });
    expect(overview.byCommune.find((line) => line.communeCode === "14-mau-04")).toMatchObject({ people: { kind: "withheld" } });
    expect(overview.months.map((month) => month.period)).toEqual(["m2026-07", "m2026-08", "m2026-09", "m2026-10", "m2026-11", "m2026-12"]);
    expect(overview.months[2]?.people).toEqual({ kind: "count", value: 11 });
  });

  it("gives a commune team progress over its own communes, against the target population entered for the year", async () => {
    await send(officer, "PUT", "/api/stats/targets", { indicatorId: "safe-birth-reach", communeCode: "14-mau-04", year: 2026, population: 12 });
    const progress = (await get(team, "/api/stats/indicators?period=2026&provinceCode=14")).json<{ indicators: Array<{ id: string; total: unknown; communes: unknown[] }> }>();
    expect(progress.indicators.find((indicator) => indicator.id === "safe-birth-reach")).toMatchObject({
      total: { reached: { kind: "count", value: 9 }, population: 12, percent: 75, meetsTarget: false },
      communes: [{ communeCode: "14-mau-04", reached: { kind: "count", value: 9 }, population: 12, percent: 75 }],
    });
  });

  it("downloads the periodic report as XLSX and writes the download to the audit log", async () => {
    const response = await get(officer, "/api/stats/report?period=2026-H2&provinceCode=14");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.read(Readable.from([response.rawPayload]));
    expect(workbook.getWorksheet("Tổng hợp")?.getCell("A3").value).toBe("Đơn vị: tỉnh Sơn La");
    const audit = await loa.runtime.database.client.auditEvent.findFirst({ where: { action: "report-export" } });
    expect(audit).toMatchObject({ target: "report:14:h2026-2", outcome: "ok" });
    expect(JSON.parse(audit?.detail ?? "{}")).toEqual({ format: "xlsx", scope: "province" });
  });

  it("answers every problem of a target file with its row and column, and bad sessions with the field at fault", async () => {
    const csv = writeCsv([["mã chỉ tiêu", "mã xã", "năm", "mẫu số"], ["safe-birth-reach", "14-mau-04", "2026", "nhiều"]]).replace(/^\uFEFF/, "");
    const boundary = "loa-stats-boundary";
    const payload = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="mau-so.csv"\r\ncontent-type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
    const imported = await loa.server.inject({ method: "POST", url: "/api/stats/targets/imports", headers: { authorization: `Bearer ${officer}`, "content-type": `multipart/form-data; boundary=${boundary}` }, payload });
    expect(imported.statusCode).toBe(400);
    expect(imported.json()).toMatchObject({ error: { code: "invalid_request", details: [{ location: "upload", path: "row 2, mẫu số", message: '"nhiều" is not a whole number from 1 to 10000000' }] } });

    const session = { heldOn: "2026-11-20", communeCode: "14-mau-04", topic: "safe-birth", placeName: "Trạm y tế xã", participantsFemale: 18, participantsMale: 0 };
    expect((await send(team, "POST", "/api/stats/sessions", session)).statusCode).toBe(201);
    const future = await send(team, "POST", "/api/stats/sessions", { ...session, heldOn: "2026-12-01" });
    expect(future.statusCode).toBe(400);
    const empty = await send(team, "POST", "/api/stats/sessions", { ...session, participantsFemale: 0 });
    expect(empty.json()).toMatchObject({ error: { code: "invalid_request", details: [{ location: "body", path: "participantsFemale" }] } });
    const overview = (await get(team, "/api/stats/overview?period=2026-H2&provinceCode=14")).json<{ sessions: unknown }>();
    expect(overview.sessions).toEqual({ sessions: 1, female: 18, male: 0, total: 18 });
  });
});
