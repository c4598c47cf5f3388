import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHelpEntryStore } from "../../../src/directory/help-entry-store.ts";
import type { StaffDirectoryEntry } from "../../../src/directory/directory-entry.ts";
import type { HttpServer } from "../../../src/http/http-server.ts";
import { multipartBody } from "../api/example-api.ts";
import { recordSampleReach } from "../../support/reach-fixture.ts";
import { startStaffServer, staffTestPassword, type StaffServer } from "../../support/staff-server.ts";

/**
 * Every console page × anonymous, admin, a province officer of another province and a commune team × entries
 * inside and outside the caller's area: what each may open, change and download.
 */

const password = staffTestPassword;
type Role = "anonymous" | "admin" | "langSon" | "muongBu";
const roles: Role[] = ["anonymous", "admin", "langSon", "muongBu"];

let loa: StaffServer;
let server: HttpServer;
const cookies = new Map<Role, string>();
const csrf = new Map<Role, string>();

function entry(id: string, provinceCode: string, communeCode: string | undefined): StaffDirectoryEntry {
  return {
    origin: "staff",
    id,
    kind: "trusted-address",
    name: `Địa chỉ ${id}`,
    phone: "0212 3800 031",
    scope: communeCode === undefined ? "province" : "commune",
    provinceCode,
    ...(communeCode === undefined ? {} : { communeCode }),
    free: "unknown",
    hours: "unknown",
    topics: ["violence"],
    emergency: false,
    languages: ["vie"],
    verifiedOn: "2026-10-01",
    source: "test",
  };
}

beforeAll(async () => {
  loa = await startStaffServer();
  server = loa.server;
  const { staff } = loa;
  const team = await staff.accounts.createTeam({ name: "Tổ Mường Bú", provinceCode: "14", communeCodes: ["14-mau-04"] });
  const accounts = {
    admin: await staff.accounts.create({ username: "admin", displayName: "Admin", password, role: "admin" }),
    langSon: await staff.accounts.create({ username: "lang-son", displayName: "Lạng Sơn", password, role: "province", provinces: ["20"] }),
    muongBu: await staff.accounts.create({ username: "muong-bu", displayName: "Mường Bú", password, role: "commune", teamId: team }),
  };
  for (const [role, account] of Object.entries(accounts)) {
    const session = await staff.sessions.start(account.accountId);
    cookies.set(role as Role, `loa_session=${session.token}`);
    csrf.set(role as Role, session.csrfToken);
  }
  await createHelpEntryStore(loa.runtime.database.client, loa.runtime.now).save([entry("own", "14", "14-mau-04"), entry("neighbour", "14", "14-mau-05"), entry("province", "14", undefined), entry("elsewhere", "20", "20-mau-01")]);
  await recordSampleReach(loa.runtime.database.client);
});

afterAll(async () => {
  await loa.stop();
});

async function open(role: Role, url: string) {
  return server.inject({ method: "GET", url, headers: { cookie: cookies.get(role) ?? "" } });
}

async function statuses(url: string): Promise<Record<Role, number>> {
  const result = {} as Record<Role, number>;
  for (const role of roles) result[role] = (await open(role, url)).statusCode;
  return result;
}

describe("the console's authorization matrix", () => {
  it("opens every read page for every signed-in role, and sends others to sign in", async () => {
    for (const url of ["/console", "/console/directory", "/console/places", "/console/places/14", "/console/coverage", "/console/directory/export.csv", "/console/directory/export.xlsx"]) {
      expect([url, await statuses(url)]).toEqual([url, { anonymous: 303, admin: 200, langSon: 200, muongBu: 200 }]);
    }
  });

  it("opens an entry's form only for someone who may change it", async () => {
    expect(await statuses("/console/directory/own/edit")).toEqual({ anonymous: 303, admin: 200, langSon: 404, muongBu: 200 });
    expect(await statuses("/console/directory/neighbour/edit")).toEqual({ anonymous: 303, admin: 200, langSon: 404, muongBu: 404 });
    expect(await statuses("/console/directory/province/edit")).toEqual({ anonymous: 303, admin: 200, langSon: 404, muongBu: 403 });
    expect(await statuses("/console/directory/elsewhere/edit")).toEqual({ anonymous: 303, admin: 200, langSon: 200, muongBu: 404 });
    expect(await statuses("/console/directory/national-111/edit")).toEqual({ anonymous: 303, admin: 403, langSon: 403, muongBu: 403 });
  });

  it("lists and exports only the caller's area", async () => {
    for (const [role, expected] of [
      ["admin", ["Địa chỉ own", "Địa chỉ neighbour", "Địa chỉ province", "Địa chỉ elsewhere"]],
      ["langSon", ["Địa chỉ elsewhere"]],
      ["muongBu", ["Địa chỉ own", "Địa chỉ province"]],
    ] as const) {
      const page = (await open(role, "/console/directory")).body;
      const csv = (await open(role, "/console/directory/export.csv")).body;
      for (const name of ["Địa chỉ own", "Địa chỉ neighbour", "Địa chỉ province", "Địa chỉ elsewhere"]) {
        const shown = (expected as readonly string[]).includes(name);
        expect([role, name, page.includes(name), csv.includes(name)]).toEqual([role, name, shown, shown]);
      }
    }
  });

  it("lists campaign communes province by province, only those the caller may target, and refuses a draft for any other", async () => {
    expect(await statuses("/console/campaigns/new")).toEqual({ anonymous: 303, admin: 200, langSon: 200, muongBu: 200 });
    const offered = async (role: Role, url: string) => [...(await open(role, url)).body.matchAll(/name="communes" value="([^"]+)"/g)].map((match) => match[1] ?? "");
    const provinces = async (role: Role) => [...(await open(role, "/console/campaigns/new")).body.matchAll(/<option value="(\d+)"/g)].map((match) => match[1]);
    expect(await offered("admin", "/console/campaigns/new")).toEqual([]);
    expect(await provinces("admin")).toEqual(expect.arrayContaining(["14", "20", "51"]));
    expect((await offered("admin", "/console/campaigns/new?province=14")).length).toBe(10);
    for (const url of ["/console/campaigns/new", "/console/campaigns/new?province=14"]) {
      expect([url, await offered("muongBu", url)]).toEqual([url, ["14-mau-04"]]);
      expect([url, (await offered("langSon", url)).every((code) => code.startsWith("20-"))]).toEqual([url, true]);
    }
    const save = (role: Role, communes: string[]) =>
      server.inject({
        method: "POST",
        url: "/console/campaigns/new",
        headers: { cookie: cookies.get(role) ?? "", "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams([
          ["_csrf", csrf.get(role) ?? ""],
          ["province", "14"],
          ["name", "Thử"],
          ["text-vi", "Gọi 111."],
          ...communes.map((code): [string, string] => ["communes", code]),
          ["quietStart", "21:00"],
          ["quietEnd", "07:00"],
          ["intent", "save"],
        ]).toString(),
      });
    expect((await save("muongBu", ["14-mau-05"])).statusCode).toBe(403);
    expect((await save("muongBu", ["14-mau-04", "14-mau-05"])).statusCode).toBe(403);
    expect((await save("langSon", ["14-mau-04"])).statusCode).toBe(403);
    expect(await loa.runtime.database.client.campaign.count()).toBe(0);
    expect((await save("muongBu", ["14-mau-04"])).statusCode).toBe(303);
    expect((await save("admin", ["14-mau-05", "14-mau-06"])).statusCode).toBe(303);
  });

  it("refuses a change outside the caller's area, and any change without the session's CSRF token", async () => {
    const post = (role: Role, url: string, token: string | undefined) =>
      server.inject({
        method: "POST",
        url,
        headers: { cookie: cookies.get(role) ?? "", "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ ...(token === undefined ? {} : { _csrf: token }), kind: "trusted-address", name: "Đổi tên", phone: "0212 3800 032", provinceCode: "14", communeCode: "14-mau-05", topics: "violence", verifiedOn: "2026-10-01", source: "x" }).toString(),
      });
    expect((await post("muongBu", "/console/directory/neighbour/edit", csrf.get("muongBu"))).statusCode).toBe(404);
    expect((await post("langSon", "/console/directory/neighbour/edit", csrf.get("langSon"))).statusCode).toBe(404);
    expect((await post("admin", "/console/directory/neighbour/edit", undefined)).statusCode).toBe(403);
    expect((await post("admin", "/console/directory/neighbour/edit", csrf.get("muongBu"))).statusCode).toBe(403);
    expect((await post("admin", "/console/directory/neighbour/edit", csrf.get("admin"))).statusCode).toBe(303);
    expect((await post("anonymous", "/console/directory/neighbour/edit", undefined)).statusCode).toBe(303);
  });

  /** Who sees a place's statistics: admins everywhere, the Lạng Sơn officer province 20, the Mường Bú team its commune. */
  const statsAreas: Record<string, Record<Role, number>> = {
    "": { anonymous: 303, admin: 200, langSon: 404, muongBu: 404 },
    "14": { anonymous: 303, admin: 200, langSon: 404, muongBu: 404 },
    "20": { anonymous: 303, admin: 200, langSon: 200, muongBu: 404 },
    "14-mau-04": { anonymous: 303, admin: 200, langSon: 404, muongBu: 200 },
    "14-mau-05": { anonymous: 303, admin: 200, langSon: 404, muongBu: 404 },
    "20-mau-01": { anonymous: 303, admin: 200, langSon: 200, muongBu: 404 },
  };

  it("opens the statistics of the caller's own area only; a drill-down outside it is 404", async () => {
    expect(await statuses("/console/stats")).toEqual({ anonymous: 303, admin: 200, langSon: 303, muongBu: 303 });
    const pageOf = (code: string) => (code.includes("-") ? `/console/stats/${code.slice(0, 2)}/${code}` : `/console/stats/${code}`);
    for (const [code, expected] of Object.entries(statsAreas).filter(([code]) => code !== "")) {
      expect([code, await statuses(`${pageOf(code)}?period=2026-H2`)]).toEqual([code, expected]);
    }
    for (const url of ["/console/stats/20/14-mau-04", "/console/stats/99", "/console/stats/14/14-mau-99"]) {
      expect([url, await statuses(url)]).toEqual([url, { anonymous: 303, admin: 404, langSon: 404, muongBu: 404 }]);
    }
  });

  it("downloads every statistics table, as CSV and XLSX, only for the caller's own area (a commune has no table of communes)", async () => {
    for (const table of ["summary", "over-time", "by-topic", "by-place", "by-language", "indicators", "campaigns", "sessions"]) {
      for (const format of ["csv", "xlsx"]) {
        for (const [code, area] of Object.entries(statsAreas)) {
          const url = `/console/stats/tables/${table}.${format}?place=${code}&period=2026-H2`;
          const shown = table !== "by-place" || !code.includes("-");
          expect([url, await statuses(url)]).toEqual([url, shown ? area : { anonymous: 303, admin: 404, langSon: 404, muongBu: 404 }]);
        }
      }
    }
    expect((await open("admin", "/console/stats/tables/nothing.csv?place=14")).statusCode).toBe(404);
    expect((await open("admin", "/console/stats/tables/by-topic.csv?place=99")).statusCode).toBe(404);
  });

  it("gives the periodic report of a province to its officers and to its teams (their communes only)", async () => {
    expect(await statuses("/console/stats/report.xlsx?province=14&period=2026-H2")).toEqual({ anonymous: 303, admin: 200, langSon: 404, muongBu: 200 });
    expect(await statuses("/console/stats/report.xlsx?province=20&period=2026-H2")).toEqual({ anonymous: 303, admin: 200, langSon: 200, muongBu: 404 });
    expect(await statuses("/console/stats/report.xlsx?province=14-mau-04")).toEqual({ anonymous: 303, admin: 404, langSon: 404, muongBu: 404 });
  });

  it("lets every role record sessions, and only officers and admins enter targets, each in their own area", async () => {
    expect(await statuses("/console/stats/sessions/new")).toEqual({ anonymous: 303, admin: 200, langSon: 200, muongBu: 200 });
    expect(await statuses("/console/stats/targets")).toEqual({ anonymous: 303, admin: 200, langSon: 200, muongBu: 403 });
    expect(await statuses("/console/stats/targets?province=14")).toEqual({ anonymous: 303, admin: 200, langSon: 404, muongBu: 403 });
    expect(await statuses("/console/stats/targets/export.csv?province=20")).toEqual({ anonymous: 303, admin: 200, langSon: 200, muongBu: 403 });
    expect(await statuses("/console/stats/targets/export.xlsx?province=14")).toEqual({ anonymous: 303, admin: 200, langSon: 404, muongBu: 403 });
  });

  it("refuses a statistics change outside the caller's area, and any without the session's CSRF token", async () => {
    const post = (role: Role, url: string, token: string | undefined, fields: Record<string, string>) =>
      server.inject({
        method: "POST",
        url,
        headers: { cookie: cookies.get(role) ?? "", "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ ...(token === undefined ? {} : { _csrf: token }), ...fields }).toString(),
      });
    const session = (communeCode: string) => ({ heldOn: "2025-06-01", communeCode, topic: "violence", placeName: "Nhà văn hóa bản", participantsFemale: "12", participantsMale: "3" });
    const sessions = "/console/stats/sessions/new";
    expect((await post("muongBu", sessions, csrf.get("muongBu"), session("14-mau-05"))).statusCode).toBe(404);
    expect((await post("langSon", sessions, csrf.get("langSon"), session("14-mau-04"))).statusCode).toBe(404);
    expect((await post("admin", sessions, undefined, session("14-mau-04"))).statusCode).toBe(403);
    expect((await post("admin", sessions, csrf.get("muongBu"), session("14-mau-04"))).statusCode).toBe(403);
    expect((await post("anonymous", sessions, undefined, session("14-mau-04"))).statusCode).toBe(303);
    expect(await loa.runtime.database.client.outreachSession.count()).toBe(0);
    expect((await post("muongBu", sessions, csrf.get("muongBu"), session("14-mau-04"))).statusCode).toBe(303);
    const recorded = await loa.runtime.database.client.outreachSession.findFirstOrThrow();
    const one = `/console/stats/sessions/${recorded.id}`;
    expect(await statuses(one)).toEqual({ anonymous: 303, admin: 200, langSon: 404, muongBu: 200 });
    expect(await statuses("/console/stats/sessions?place=14-mau-04&period=2025-H1")).toEqual({ anonymous: 303, admin: 200, langSon: 404, muongBu: 200 });
    expect((await post("langSon", one, csrf.get("langSon"), session("14-mau-04"))).statusCode).toBe(404);
    expect((await post("langSon", `${one}/remove`, csrf.get("langSon"), {})).statusCode).toBe(404);
    expect((await post("muongBu", `${one}/remove`, undefined, {})).statusCode).toBe(403);
    expect(await loa.runtime.database.client.outreachSession.count()).toBe(1);

    const targets = "/console/stats/targets";
    const target = (province: string, commune: string) => ({ province, year: "2026", indicator: "safe-birth-reach", [`population-${commune}`]: "900" });
    expect((await post("muongBu", targets, csrf.get("muongBu"), target("14", "14-mau-04"))).statusCode).toBe(403);
    expect((await post("langSon", targets, csrf.get("langSon"), target("14", "14-mau-04"))).statusCode).toBe(404);
    expect((await post("admin", targets, undefined, target("14", "14-mau-04"))).statusCode).toBe(403);
    expect((await post("admin", targets, csrf.get("langSon"), target("14", "14-mau-04"))).statusCode).toBe(403);
    expect(await loa.runtime.database.client.indicatorTarget.count()).toBe(0);
    expect((await post("langSon", targets, csrf.get("langSon"), target("20", "20-mau-01"))).statusCode).toBe(303);

    const upload = (role: Role, token: string | undefined) => {
      const form = multipartBody([
        ...(token === undefined ? [] : [{ field: "_csrf", content: token }]),
        { field: "file", filename: "chi-tieu.csv", content: "mã chỉ tiêu,mã xã,năm,mẫu số\r\nsafe-birth-reach,20-mau-02,2026,700\r\n" },
      ]);
      return server.inject({ method: "POST", url: `${targets}/import?province=20`, headers: { cookie: cookies.get(role) ?? "", ...form.headers }, payload: form.payload });
    };
    expect((await upload("muongBu", csrf.get("muongBu"))).statusCode).toBe(403);
    expect((await upload("langSon", undefined)).statusCode).toBe(403);
    expect((await upload("langSon", csrf.get("muongBu"))).statusCode).toBe(403);
    expect(await loa.runtime.database.client.indicatorTarget.count()).toBe(1);
    expect((await upload("langSon", csrf.get("langSon"))).statusCode).toBe(200);
    expect(await loa.runtime.database.client.indicatorTarget.count()).toBe(2);
  });
});
