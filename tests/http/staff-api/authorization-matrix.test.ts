import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { helpEntryHeaderRow } from "../../../src/directory/help-entry-columns.ts";
import { createHelpEntryStore } from "../../../src/directory/help-entry-store.ts";
import type { HttpServer } from "../../../src/http/http-server.ts";
import { startStaffServer, staffTestPassword, type StaffServer } from "../../support/staff-server.ts";
import { writeCsv } from "../../../src/tables/csv.ts";

/**
 * Every staff API route × every role × a resource inside and outside the caller's area. Each caller uses an
 * API token (the cookie path, with its CSRF check, is tested in session.test.ts). The last test checks that
 * every route of the OpenAPI document was exercised here, so a new route cannot skip the matrix.
 */

const password = staffTestPassword;
type Role = "anonymous" | "admin" | "sonLa" | "langSon" | "muongBu" | "muongLa";
const roles: Role[] = ["anonymous", "admin", "sonLa", "langSon", "muongBu", "muongLa"];

let loa: StaffServer;
let server: HttpServer;
const tokens = new Map<Role, string>();
const exercised = new Set<string>();

function entryRow(id: string, provinceCode: string, communeCode: string): Record<string, unknown> {
  return { origin: "staff", id, kind: "trusted-address", name: `Địa chỉ ${id}`, phone: "0212 3800 001", scope: communeCode === "" ? "province" : "commune", provinceCode, ...(communeCode === "" ? {} : { communeCode }), free: "unknown", hours: "24/7", topics: ["violence"], emergency: false, languages: ["vie"], verifiedOn: "2026-10-01", source: "test" };
}

beforeAll(async () => {
  loa = await startStaffServer();
  server = loa.server;
  const { staff } = loa;
  const muongBuTeam = await staff.accounts.createTeam({ name: "Tổ Mường Bú", provinceCode: "14", communeCodes: ["14-mau-04"] });
  const muongLaTeam = await staff.accounts.createTeam({ name: "Tổ Mường La", provinceCode: "14", communeCodes: ["14-mau-05"] });
  const accounts = {
    admin: await staff.accounts.create({ username: "admin", displayName: "Admin", password, role: "admin" }),
    sonLa: await staff.accounts.create({ username: "son-la", displayName: "Sơn La", password, role: "province", provinces: ["14"] }),
    langSon: await staff.accounts.create({ username: "lang-son", displayName: "Lạng Sơn", password, role: "province", provinces: ["20"] }),
    muongBu: await staff.accounts.create({ username: "muong-bu", displayName: "Mường Bú", password, role: "commune", teamId: muongBuTeam }),
    muongLa: await staff.accounts.create({ username: "muong-la", displayName: "Mường La", password, role: "commune", teamId: muongLaTeam }),
  };
  for (const [role, account] of Object.entries(accounts)) tokens.set(role as Role, (await staff.apiTokens.create(account.accountId, "matrix")).token);
  // @ts-expect-error -- rows built loosely for the fixture; the store's own schema checks them on read.
  await createHelpEntryStore(loa.runtime.database.client, loa.runtime.now).save([entryRow("own", "14", "14-mau-04"), entryRow("neighbour", "14", "14-mau-05"), entryRow("province", "14", ""), entryRow("elsewhere", "20", "20-mau-01")]);
});

afterAll(async () => {
  await loa.stop();
});

async function call(role: Role, method: "GET" | "POST" | "PUT" | "DELETE", url: string, options: { json?: unknown; csv?: string; route?: string } = {}) {
  exercised.add(`${method} ${options.route ?? url.split("?")[0]}`);
  const token = tokens.get(role);
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  if (options.csv !== undefined) {
    const boundary = "loa-matrix-boundary";
    const payload = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="entries.csv"\r\ncontent-type: text/csv\r\n\r\n${options.csv}\r\n--${boundary}--\r\n`;
    return server.inject({ method, url, headers: { ...headers, "content-type": `multipart/form-data; boundary=${boundary}` }, payload });
  }
  return server.inject({ method, url, headers, ...(options.json === undefined ? {} : { payload: options.json as Record<string, unknown> }) });
}

async function statuses(method: "GET" | "POST" | "PUT" | "DELETE", url: string, options: { json?: unknown; csv?: string; route?: string } = {}): Promise<Record<Role, number>> {
  const result = {} as Record<Role, number>;
  for (const role of roles) result[role] = (await call(role, method, url, options)).statusCode;
  return result;
}

const entryInput = (communeCode: string | undefined, provinceCode = "14") => ({
  kind: "trusted-address",
  name: "Địa chỉ tin cậy thử",
  phone: "0212 3800 009",
  provinceCode,
  ...(communeCode === undefined ? {} : { communeCode }),
  topics: ["violence"],
  verifiedOn: "2026-10-01",
  source: "matrix test",
});

describe("the staff API authorization matrix", () => {
  it("answers who is signed in, to every role, and 401 to nobody, with the staff security headers", async () => {
    expect(await statuses("GET", "/api/me")).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 200, muongBu: 200, muongLa: 200 });
    for (const role of ["anonymous", "admin"] as const) {
      const headers = (await call(role, "GET", "/api/me")).headers;
      expect([headers["x-frame-options"], headers["x-content-type-options"], headers["cache-control"], headers["referrer-policy"]]).toEqual(["DENY", "nosniff", "no-store", "no-referrer"]);
    }
  });

  it("lists each caller's own area only", async () => {
    const seen: Partial<Record<Role, string[]>> = {};
    for (const role of roles.slice(1)) {
      const body = (await call(role, "GET", "/api/help-entries")).json<{ entries: Array<{ id: string; origin: string }> }>();
      seen[role] = body.entries.filter((entry) => entry.origin === "staff").map((entry) => entry.id).sort();
    }
    expect(seen).toEqual({
      admin: ["elsewhere", "neighbour", "own", "province"],
      sonLa: ["neighbour", "own", "province"],
      langSon: ["elsewhere"],
      muongBu: ["own", "province"],
      muongLa: ["neighbour", "province"],
    });
    expect((await call("anonymous", "GET", "/api/help-entries")).statusCode).toBe(401);
  });

  it("reads one entry only inside the caller's area; outside it the entry does not exist for her", async () => {
    const route = "/api/help-entries/:id";
    expect(await statuses("GET", "/api/help-entries/own", { route })).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 404, muongBu: 200, muongLa: 404 });
    expect(await statuses("GET", "/api/help-entries/neighbour", { route })).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 404, muongBu: 404, muongLa: 200 });
    expect(await statuses("GET", "/api/help-entries/province", { route })).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 404, muongBu: 200, muongLa: 200 });
    expect(await statuses("GET", "/api/help-entries/elsewhere", { route })).toEqual({ anonymous: 401, admin: 200, sonLa: 404, langSon: 200, muongBu: 404, muongLa: 404 });
  });

  it("changes an entry only inside the caller's area; a team may read but not change its province's entries", async () => {
    const route = "/api/help-entries/:id";
    expect(await statuses("PUT", "/api/help-entries/own", { route, json: entryInput("14-mau-04") })).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 404, muongBu: 200, muongLa: 404 });
    expect(await statuses("PUT", "/api/help-entries/province", { route, json: entryInput(undefined) })).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 404, muongBu: 403, muongLa: 403 });
    expect(await statuses("PUT", "/api/help-entries/elsewhere", { route, json: entryInput("20-mau-01", "20") })).toEqual({ anonymous: 401, admin: 200, sonLa: 404, langSon: 200, muongBu: 404, muongLa: 404 });
    // Moving one's own entry into another commune is refused like any entry outside her area.
    expect((await call("muongBu", "PUT", "/api/help-entries/own", { route, json: entryInput("14-mau-05") })).statusCode).toBe(400);
  });

  it("adds an entry only inside the caller's area", async () => {
    expect(await statuses("POST", "/api/help-entries", { json: entryInput("14-mau-04") })).toEqual({ anonymous: 401, admin: 201, sonLa: 201, langSon: 400, muongBu: 201, muongLa: 400 });
    const refused = await call("muongLa", "POST", "/api/help-entries", { json: entryInput("14-mau-04") });
    expect(refused.json()).toMatchObject({ error: { code: "invalid_request", details: [{ location: "body", message: "outside your area" }] } });
  });

  it("imports a file only when every row is inside the caller's area", async () => {
    const header = helpEntryHeaderRow();
    const row = (communeCode: string) => header.map((column) => ({ loại: "trusted-address", tên: "Trạm y tế", "điện thoại": "0212 3800 010", "mã tỉnh": "14", "mã xã": communeCode, "chủ đề": "violence", "ngày xác minh": "2026-10-01", nguồn: "matrix" })[column] ?? "");
    const csv = writeCsv([header, row("14-mau-04")]).replace(/^\uFEFF/, "");
    expect(await statuses("POST", "/api/help-entries/imports?dryRun=true", { csv })).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 400, muongBu: 200, muongLa: 400 });
  });

  it("shows places and content coverage to every role, and lets only admins import places", async () => {
    expect(await statuses("GET", "/api/places/provinces")).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 200, muongBu: 200, muongLa: 200 });
    expect(await statuses("GET", "/api/places/provinces/14/communes", { route: "/api/places/provinces/:code/communes" })).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 200, muongBu: 200, muongLa: 200 });
    expect(await statuses("GET", "/api/content/coverage")).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 200, muongBu: 200, muongLa: 200 });
    const csv = "Mã tỉnh,Tên tỉnh,Mã xã,Tên xã,Cấp\n14,Sơn La,04009,Xã Thử,Xã\n";
    expect(await statuses("POST", "/api/places/imports?dryRun=true", { csv })).toEqual({ anonymous: 401, admin: 200, sonLa: 403, langSon: 403, muongBu: 403, muongLa: 403 });
  });

  it("keeps accounts, teams and the audit log to admins", async () => {
    expect(await statuses("GET", "/api/accounts")).toEqual({ anonymous: 401, admin: 200, sonLa: 403, langSon: 403, muongBu: 403, muongLa: 403 });
    expect(await statuses("GET", "/api/audit")).toEqual({ anonymous: 401, admin: 200, sonLa: 403, langSon: 403, muongBu: 403, muongLa: 403 });
    const newAccount = (username: string) => ({ username, displayName: "Mới", password, role: "province", provinces: ["14"] });
    const created: Partial<Record<Role, number>> = {};
    for (const role of roles) created[role] = (await call(role, "POST", "/api/accounts", { json: newAccount(`new-${role.toLowerCase()}`) })).statusCode;
    expect(created).toEqual({ anonymous: 401, admin: 201, sonLa: 403, langSon: 403, muongBu: 403, muongLa: 403 });
    const team = { name: "Tổ mới", provinceCode: "14", communeCodes: ["14-mau-06"] };
    expect(await statuses("POST", "/api/teams", { json: team })).toEqual({ anonymous: 401, admin: 201, sonLa: 403, langSon: 403, muongBu: 403, muongLa: 403 });
  });

  it("lets everyone manage only her own API tokens", async () => {
    expect(await statuses("GET", "/api/tokens")).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 200, muongBu: 200, muongLa: 200 });
    const made = await call("muongBu", "POST", "/api/tokens", { json: { name: "script" } });
    expect(made.statusCode).toBe(201);
    const { id } = made.json<{ id: string }>();
    const route = "/api/tokens/:id";
    const others: Partial<Record<Role, number>> = {};
    for (const role of ["anonymous", "admin", "sonLa", "muongLa"] as const) others[role] = (await call(role, "DELETE", `/api/tokens/${id}`, { route })).statusCode;
    expect(others).toEqual({ anonymous: 401, admin: 404, sonLa: 404, muongLa: 404 });
    expect((await call("muongBu", "DELETE", `/api/tokens/${id}`, { route })).statusCode).toBe(204);
    expect(await statuses("POST", "/api/tokens", { json: { name: "another script" } })).toEqual({ anonymous: 401, admin: 201, sonLa: 201, langSon: 201, muongBu: 201, muongLa: 201 });
  });

  it("lets each role draft and preview campaigns only for communes of her area", async () => {
    const audience = { communeCodes: ["14-mau-04"] };
    const draft = { name: "Ngày Gia đình Việt Nam", content: { keys: ["violence:intro"] }, audience };
    expect(await statuses("POST", "/api/campaigns/preview", { json: audience })).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 403, muongBu: 200, muongLa: 403 });
    expect(await statuses("POST", "/api/campaigns", { json: draft })).toEqual({ anonymous: 401, admin: 201, sonLa: 201, langSon: 403, muongBu: 201, muongLa: 403 });
    expect(await statuses("GET", "/api/campaigns")).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 200, muongBu: 200, muongLa: 200 });
    const listed = async (role: Role) => (await call(role, "GET", "/api/campaigns")).json<{ campaigns: unknown[] }>().campaigns.length;
    expect([await listed("admin"), await listed("sonLa"), await listed("langSon"), await listed("muongBu"), await listed("muongLa")]).toEqual([3, 3, 0, 1, 0]);
  });

  it("lets only the team, its province and admins see and move a team's campaign; the team may not approve its own", async () => {
    const draft = { name: "Tháng hành động vì trẻ em", content: { keys: ["child-marriage:intro"] }, audience: { communeCodes: ["14-mau-04"] } };
    const created = (await call("muongBu", "POST", "/api/campaigns", { json: draft })).json<{ id: string }>();
    const url = (action: string) => `/api/campaigns/${created.id}${action === "" ? "" : `/${action}`}`;
    const route = (action: string) => ({ route: `/api/campaigns/:id${action === "" ? "" : `/${action}`}` });
    expect(await statuses("GET", url(""), route(""))).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 404, muongBu: 200, muongLa: 404 });
    const outsiders = async (action: string, json?: unknown) => {
      const result: Partial<Record<Role, number>> = {};
      for (const role of ["anonymous", "langSon", "muongLa"] as const) result[role] = (await call(role, "POST", url(action), { ...route(action), ...(json === undefined ? {} : { json }) })).statusCode;
      return result;
    };
    const outsidersRefused = { anonymous: 401, langSon: 404, muongLa: 404 };
    expect(await outsiders("submit")).toEqual(outsidersRefused);
    expect((await call("muongBu", "POST", url("submit"), route("submit"))).statusCode).toBe(200);
    expect(await outsiders("approve")).toEqual(outsidersRefused);
    expect((await call("muongBu", "POST", url("approve"), route("approve"))).statusCode).toBe(403);
    expect((await call("sonLa", "POST", url("approve"), route("approve"))).statusCode).toBe(200);
    expect((await call("sonLa", "POST", url("approve"), route("approve"))).statusCode).toBe(409);
    const schedule = { startsAt: "2027-06-01T01:00:00.000Z" };
    expect(await outsiders("schedule", schedule)).toEqual(outsidersRefused);
    expect((await call("muongBu", "POST", url("schedule"), { ...route("schedule"), json: schedule })).statusCode).toBe(200);
    for (const action of ["pause", "resume", "cancel"]) {
      expect([action, await outsiders(action)]).toEqual([action, outsidersRefused]);
      expect([action, (await call("muongBu", "POST", url(action), route(action))).statusCode]).toEqual([action, 200]);
    }
    const another = (await call("muongBu", "POST", "/api/campaigns", { json: draft })).json<{ id: string }>();
    await call("muongBu", "POST", `/api/campaigns/${another.id}/submit`, route("submit"));
    expect(await outsiders("reject")).toEqual(outsidersRefused);
    expect((await call("muongBu", "POST", `/api/campaigns/${another.id}/reject`, route("reject"))).statusCode).toBe(403);
    expect((await call("admin", "POST", `/api/campaigns/${another.id}/reject`, route("reject"))).statusCode).toBe(200);
  });

  it("lets each role draft written campaigns only for her area, with numbers of the help directory those communes see", async () => {
    const db = loa.runtime.database.client;
    for (const [id, communeCode, phone] of [["written-own", "14-mau-04", "0212 3999 404"], ["written-neighbour", "14-mau-05", "0212 3999 505"]] as const) {
      await db.helpEntry.create({ data: { id, kind: "trusted-address", name: id, phone, scope: "commune", provinceCode: "14", communeCode, topics: '["violence"]', verifiedOn: loa.runtime.now(), source: "matrix" } });
    }
    const written = (texts: Record<string, string>) => ({ name: "Tin tự viết", content: { texts, topic: "violence" }, audience: { communeCodes: ["14-mau-04"] } });
    expect(await statuses("POST", "/api/campaigns", { json: written({ vi: "Gọi 111 hoặc 0212 3999 404.", en: "Call 111." }) })).toEqual({ anonymous: 401, admin: 201, sonLa: 201, langSon: 403, muongBu: 201, muongLa: 403 });
    expect(await statuses("POST", "/api/campaigns", { json: written({ vi: "Gọi 0212 3999 505." }) })).toEqual({ anonymous: 401, admin: 400, sonLa: 400, langSon: 403, muongBu: 400, muongLa: 403 });
    const refused = await call("muongBu", "POST", "/api/campaigns", { json: written({ vi: "Gọi 111.", en: "See t.me/help", fr: "Appelez 111." }) });
    expect(refused.json()).toMatchObject({
      error: {
        code: "invalid_request",
        details: [
          { location: "body", path: "content.texts.en", message: 'texts.en: "t.me/help" is a web address; campaign messages carry no links' },
          { location: "body", path: "content.texts.fr", message: 'texts.fr: "fr" is not a language of content/locales.yaml' },
        ],
      },
    });
    const tooLong = await call("muongBu", "POST", "/api/campaigns", { json: written({ vi: "a".repeat(401) }) });
    expect(tooLong.json()).toMatchObject({ error: { code: "invalid_request", details: [{ location: "body", path: "content.texts.vi" }] } });

    const created = (await call("muongBu", "POST", "/api/campaigns", { json: written({ vi: "Gọi 0212 3999 404." }) })).json<{ id: string; content: unknown }>();
    expect(created.content).toEqual({ texts: { vi: "Gọi 0212 3999 404." }, topic: "violence" });
    await db.helpEntry.update({ where: { id: "written-own" }, data: { active: false } });
    const route = { route: "/api/campaigns/:id/submit" };
    const submitted = await call("muongBu", "POST", `/api/campaigns/${created.id}/submit`, route);
    expect(submitted.statusCode).toBe(400);
    expect(submitted.json()).toMatchObject({ error: { details: [{ path: "content.texts.vi", message: 'texts.vi: "0212 3999 404" is not a number in the help directory of the campaign\'s communes' }] } });
  });

  it("shows a province's statistics to its officers and admins, and a commune team only its own communes", async () => {
    const query = "period=2026-H2&provinceCode=14";
    for (const route of ["/api/stats/overview", "/api/stats/indicators", "/api/stats/report"]) {
      expect([route, await statuses("GET", `${route}?${query}`, { route })]).toEqual([route, { anonymous: 401, admin: 200, sonLa: 200, langSon: 404, muongBu: 200, muongLa: 200 }]);
    }
    const overview = async (role: Role) => (await call(role, "GET", `/api/stats/overview?${query}`, { route: "/api/stats/overview" })).json<{ scope: string; byCommune: Array<{ communeCode: string }> }>();
    expect((await overview("muongBu")).byCommune.map((line) => line.communeCode)).toEqual(["14-mau-04"]);
    expect((await overview("muongBu")).scope).toBe("communes");
    expect((await overview("sonLa")).byCommune.map((line) => line.communeCode)).toContain("14-mau-05");
    const progress = (await call("muongLa", "GET", `/api/stats/indicators?${query}`, { route: "/api/stats/indicators" })).json<{ indicators: Array<{ communes: Array<{ communeCode: string }> }> }>();
    expect(progress.indicators.flatMap((indicator) => indicator.communes.map((line) => line.communeCode))).toEqual(["14-mau-05", "14-mau-05", "14-mau-05", "14-mau-05"]);
    const report = await call("muongBu", "GET", `/api/stats/report?${query}&format=csv`, { route: "/api/stats/report" });
    expect(report.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(report.headers["content-disposition"]).toContain('filename="bao-cao-14-2026-H2.csv"');
    expect(report.body).toContain("xã Mường Bú");
    expect(report.body).not.toContain("xã Mường La");
    expect((await call("admin", "GET", "/api/stats/overview?period=2026-H3&provinceCode=14", { route: "/api/stats/overview" })).statusCode).toBe(400);
  });

  it("lets province officers and admins set target populations of their communes; everyone reads her area's", async () => {
    const target = (communeCode: string) => ({ indicatorId: "safe-birth-reach", communeCode, year: 2026, population: 400 });
    expect(await statuses("PUT", "/api/stats/targets", { json: target("14-mau-04") })).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 404, muongBu: 403, muongLa: 403 });
    expect(await statuses("PUT", "/api/stats/targets", { json: target("20-mau-01") })).toEqual({ anonymous: 401, admin: 200, sonLa: 404, langSon: 200, muongBu: 403, muongLa: 403 });
    expect(await statuses("GET", "/api/stats/targets?year=2026")).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 200, muongBu: 200, muongLa: 200 });
    const seen: Partial<Record<Role, string[]>> = {};
    for (const role of roles.slice(1)) seen[role] = (await call(role, "GET", "/api/stats/targets?year=2026")).json<{ targets: Array<{ communeCode: string }> }>().targets.map((item) => item.communeCode);
    expect(seen).toEqual({ admin: ["14-mau-04", "20-mau-01"], sonLa: ["14-mau-04"], langSon: ["20-mau-01"], muongBu: ["14-mau-04"], muongLa: [] });
    const csv = writeCsv([["mã chỉ tiêu", "mã xã", "năm", "mẫu số"], ["safe-birth-reach", "14-mau-05", "2026", "350"]]).replace(/^\uFEFF/, "");
    expect(await statuses("POST", "/api/stats/targets/imports?dryRun=true", { csv })).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 400, muongBu: 403, muongLa: 403 });
    expect(await statuses("GET", "/api/stats/targets/export?format=csv&year=2026")).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 200, muongBu: 200, muongLa: 200 });
    const exported = await call("langSon", "GET", "/api/stats/targets/export?format=csv&year=2026");
    expect(exported.body).toContain("20-mau-01");
    expect(exported.body).not.toContain("14-mau-04");
  });

  it("lets commune teams record in-person sessions of their own communes only, and province officers those of their provinces", async () => {
    const session = (communeCode: string) => ({ heldOn: "2026-10-02", communeCode, topic: "child-marriage", placeName: "Nhà văn hóa bản", participantsFemale: 20, participantsMale: 6 });
    expect(await statuses("POST", "/api/stats/sessions", { json: session("14-mau-04") })).toEqual({ anonymous: 401, admin: 201, sonLa: 201, langSon: 404, muongBu: 201, muongLa: 404 });
    const own = (await call("muongLa", "POST", "/api/stats/sessions", { json: session("14-mau-05") })).json<{ id: string }>();
    expect(await statuses("GET", "/api/stats/sessions?period=2026")).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 200, muongBu: 200, muongLa: 200 });
    const listed = async (role: Role) => (await call(role, "GET", "/api/stats/sessions?period=2026")).json<{ sessions: unknown[] }>().sessions.length;
    expect([await listed("admin"), await listed("sonLa"), await listed("langSon"), await listed("muongBu"), await listed("muongLa")]).toEqual([4, 4, 0, 3, 1]);
    const route = "/api/stats/sessions/:id";
    expect(await statuses("GET", `/api/stats/sessions/${own.id}`, { route })).toEqual({ anonymous: 401, admin: 200, sonLa: 200, langSon: 404, muongBu: 404, muongLa: 200 });
    const others: Partial<Record<Role, number>> = {};
    for (const role of ["anonymous", "langSon", "muongBu"] as const) others[role] = (await call(role, "PUT", `/api/stats/sessions/${own.id}`, { route, json: session("14-mau-05") })).statusCode;
    expect(others).toEqual({ anonymous: 401, langSon: 404, muongBu: 404 });
    expect((await call("muongLa", "PUT", `/api/stats/sessions/${own.id}`, { route, json: { ...session("14-mau-05"), participantsMale: 8 } })).statusCode).toBe(200);
    for (const role of ["anonymous", "langSon", "muongBu"] as const) others[role] = (await call(role, "DELETE", `/api/stats/sessions/${own.id}`, { route })).statusCode;
    expect(others).toEqual({ anonymous: 401, langSon: 404, muongBu: 404 });
    expect((await call("sonLa", "DELETE", `/api/stats/sessions/${own.id}`, { route })).statusCode).toBe(204);
  });

  it("lets everyone change only her own password, which needs the current one", async () => {
    const attempt = { currentPassword: "not the password", newPassword: "một mật khẩu mới dài" };
    expect(await statuses("PUT", "/api/me/password", { json: attempt })).toEqual({ anonymous: 401, admin: 400, sonLa: 400, langSon: 400, muongBu: 400, muongLa: 400 });
    expect((await call("muongLa", "PUT", "/api/me/password", { json: { ...attempt, currentPassword: password } })).statusCode).toBe(204);
    expect((await call("anonymous", "POST", "/api/session", { json: { username: "muong-la", password: attempt.newPassword } })).statusCode).toBe(200);
  });

  it("signs in and out through the public route", async () => {
    expect((await call("anonymous", "POST", "/api/session", { json: { username: "admin", password: "wrong password here" } })).statusCode).toBe(401);
    expect((await call("anonymous", "DELETE", "/api/session")).statusCode).toBe(401);
  });

  it("has exercised every route of the OpenAPI document, which anyone may read", async () => {
    expect(await statuses("GET", "/api/openapi.json")).toEqual({ anonymous: 200, admin: 200, sonLa: 200, langSon: 200, muongBu: 200, muongLa: 200 });
    const document = (await server.inject({ method: "GET", url: "/api/openapi.json" })).json<{ paths: Record<string, Record<string, unknown>> }>();
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`));
    expect(documented.filter((route) => !exercised.has(route))).toEqual([]);
  });
});
