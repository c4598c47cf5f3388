import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { helpEntryHeaderRow } from "../../../src/directory/help-entry-columns.ts";
import type { HttpServer } from "../../../src/http/http-server.ts";
import { writeCsv } from "../../../src/tables/csv.ts";
import { startStaffServer, staffTestPassword, type StaffServer } from "../../support/staff-server.ts";

const password = staffTestPassword;

let loa: StaffServer;
let server: HttpServer;

beforeAll(async () => {
  loa = await startStaffServer();
  server = loa.server;
  const { staff } = loa;
  const team = await staff.accounts.createTeam({ name: "Tổ Mường Bú", provinceCode: "14", communeCodes: ["14-mau-04"] });
  await staff.accounts.create({ username: "lan", displayName: "Chị Lan", password, role: "commune", teamId: team });
});

afterAll(async () => {
  await loa.stop();
});

/** A browser's cookie jar over `inject`, enough for the console's cookies. */
function browser() {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  return {
    async request(method: "GET" | "POST", url: string, options: { form?: Record<string, string | string[]>; multipart?: { fields: Record<string, string>; fileName: string; content: string } } = {}) {
      const headers: Record<string, string> = { cookie: cookieHeader() };
      let payload: string | undefined;
      if (options.form !== undefined) {
        const params = new URLSearchParams();
        for (const [name, value] of Object.entries(options.form)) for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
        payload = params.toString();
        headers["content-type"] = "application/x-www-form-urlencoded";
      }
      if (options.multipart !== undefined) {
        const boundary = "console-test-boundary";
        const fields = Object.entries(options.multipart.fields).map(([name, value]) => `--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
        payload = `${fields.join("")}--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${options.multipart.fileName}"\r\ncontent-type: text/csv\r\n\r\n${options.multipart.content}\r\n--${boundary}--\r\n`;
        headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
      }
      const response = await server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
      const setCookie = response.headers["set-cookie"];
      for (const cookie of Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie]) {
        const [pair = "", ...attributes] = cookie.split(";");
        const [name = "", value = ""] = pair.split("=");
        if (attributes.some((attribute) => attribute.trim() === "Max-Age=0")) jar.delete(name);
        else jar.set(name, value);
      }
      return response;
    },
  };
}

const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";

async function signedIn() {
  const visitor = browser();
  const form = await visitor.request("GET", "/console/sign-in");
  const signIn = await visitor.request("POST", "/console/sign-in", { form: { _csrf: csrfOf(form.body), username: "lan", password } });
  expect(signIn.statusCode).toBe(303);
  return visitor;
}

describe("the staff console", () => {
  it("sends a visitor to sign in, refuses a wrong password without saying which part was wrong, and signs in", async () => {
    const visitor = browser();
    const home = await visitor.request("GET", "/console");
    expect(home.statusCode).toBe(303);
    expect(home.headers.location).toBe("/console/sign-in");
    const form = await visitor.request("GET", "/console/sign-in");
    expect(form.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(form.body).toContain('lang="vi"');
    const wrong = await visitor.request("POST", "/console/sign-in", { form: { _csrf: csrfOf(form.body), username: "lan", password: "sai mật khẩu rồi" } });
    expect(wrong.statusCode).toBe(401);
    const forged = await visitor.request("POST", "/console/sign-in", { form: { _csrf: "not-the-token", username: "lan", password } });
    expect(forged.statusCode).toBe(403);
    const again = await visitor.request("GET", "/console/sign-in");
    const ok = await visitor.request("POST", "/console/sign-in", { form: { _csrf: csrfOf(again.body), username: "lan", password } });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers["set-cookie"]).toMatch(/loa_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const overview = await visitor.request("GET", "/console");
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain("Chị Lan");
    expect(overview.headers["cache-control"]).toBe("no-store");
  });

  it("imports a directory file of her commune, refuses one without the CSRF token, and shows the new entry", async () => {
    const visitor = await signedIn();
    const list = await visitor.request("GET", "/console/directory");
    const csrf = csrfOf(list.body);
    const header = helpEntryHeaderRow();
    const row = header.map((column) => ({ loại: "trusted-address", tên: "Địa chỉ tin cậy xã Mường Bú", "điện thoại": "0212 3800 011", "mã tỉnh": "14", "mã xã": "14-mau-04", "chủ đề": "violence", "ngày xác minh": "2026-10-01", nguồn: "Hội LHPN xã" })[column] ?? "");
    const content = writeCsv([header, row]).replace(/^\uFEFF/, "");
    const forged = await visitor.request("POST", "/console/directory/import", { multipart: { fields: { _csrf: "wrong" }, fileName: "dia-chi.csv", content } });
    expect(forged.statusCode).toBe(403);
    const imported = await visitor.request("POST", "/console/directory/import", { multipart: { fields: { _csrf: csrf }, fileName: "dia-chi.csv", content } });
    expect(imported.statusCode).toBe(200);
    const after = await visitor.request("GET", "/console/directory");
    expect(after.body).toContain("Địa chỉ tin cậy xã Mường Bú");
    expect(after.body).toContain("0212 3800 011");
  });

  it("shows an import's row problems, such as a row outside her commune", async () => {
    const visitor = await signedIn();
    const csrf = csrfOf((await visitor.request("GET", "/console/directory")).body);
    const header = helpEntryHeaderRow();
    const row = header.map((column) => ({ loại: "trusted-address", tên: "Ngoài xã", "điện thoại": "0212 3800 012", "mã tỉnh": "14", "mã xã": "14-mau-05", "chủ đề": "violence", "ngày xác minh": "2026-10-01", nguồn: "x" })[column] ?? "");
    const rejected = await visitor.request("POST", "/console/directory/import", { multipart: { fields: { _csrf: csrf }, fileName: "ngoai.csv", content: writeCsv([header, row]) } });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.body).toContain("outside your area");
  });

  it("saves an edit from the form and shows field errors in place", async () => {
    const visitor = await signedIn();
    const page = await visitor.request("GET", "/console/directory/new");
    expect(page.statusCode).toBe(200);
    const base = { _csrf: csrfOf(page.body), kind: "trusted-address", name: "Trạm y tế xã Mường Bú", provinceCode: "14", communeCode: "14-mau-04", free: "unknown", topics: ["violence", "safe-birth"], verifiedOn: "2026-10-02", source: "Trạm y tế" };
    const bad = await visitor.request("POST", "/console/directory/new", { form: { ...base, phone: "không có" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/aria-describedby="[^"]*phone/);
    const good = await visitor.request("POST", "/console/directory/new", { form: { ...base, phone: "0212 3800 013" } });
    expect(good.statusCode).toBe(303);
    const list = await visitor.request("GET", good.headers.location ?? "");
    expect(list.body).toContain("Trạm y tế xã Mường Bú");
  });

  it("switches to English, shows places and coverage, and signs out", async () => {
    const visitor = await signedIn();
    const english = await visitor.request("GET", "/console/places?lang=en");
    expect(english.body).toContain('lang="en"');
    expect((await visitor.request("GET", "/console/places/14")).body).toContain("Mường Bú");
    expect((await visitor.request("GET", "/console/coverage")).statusCode).toBe(200);
    const csrf = csrfOf((await visitor.request("GET", "/console")).body);
    const out = await visitor.request("POST", "/console/sign-out", { form: { _csrf: csrf } });
    expect(out.statusCode).toBe(200);
    expect((await visitor.request("GET", "/console")).statusCode).toBe(303);
  });

  it("never logs a password", () => {
    expect(loa.logs.lines.join("\n")).not.toContain(password);
  });
});
