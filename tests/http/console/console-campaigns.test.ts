import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleText } from "../../../src/console/console-locale.ts";
import { startStaffServer, staffTestPassword, type StaffServer } from "../../support/staff-server.ts";

const vi = consoleText("vi");
let loa: StaffServer;

beforeAll(async () => {
  loa = await startStaffServer();
  const { staff } = loa;
  const team = await staff.accounts.createTeam({ name: "Tổ Mường Bú", provinceCode: "14", communeCodes: ["14-mau-04"] });
  await staff.accounts.create({ username: "lan", displayName: "Chị Lan", password: staffTestPassword, role: "commune", teamId: team });
  await staff.accounts.create({ username: "mai", displayName: "Chị Mai", password: staffTestPassword, role: "province", provinces: ["14"] });
  await staff.accounts.create({ username: "lang-son", displayName: "Anh Hùng", password: staffTestPassword, role: "province", provinces: ["20"] });
  const db = loa.runtime.database.client;
  const now = loa.runtime.now();
  const people = [
    { id: "p1", communeCode: "14-mau-04", locale: "vi" },
    { id: "p2", communeCode: "14-mau-04", locale: "en" },
    { id: "p3", communeCode: "14-mau-05", locale: "vi" },
  ];
  for (const person of people) {
    await db.contact.create({
      data: { id: person.id, channel: "telegram", channelUserId: `user-${person.id}`, pseudonym: `pseudonym-${person.id}`, locale: person.locale, provinceCode: "14", communeCode: person.communeCode, groups: "{}", consentedAt: now, createdAt: now, lastSeenAt: now },
    });
  }
});

afterAll(async () => {
  await loa.stop();
});

/** A browser's cookie jar over `inject`, signed in as `username`. */
async function signedIn(username: string) {
  const jar = new Map<string, string>();
  const request = async (method: "GET" | "POST", url: string, form?: Record<string, string | string[]>) => {
    const headers: Record<string, string> = { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join("; ") };
    let payload: string | undefined;
    if (form !== undefined) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(form)) for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
      payload = params.toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    }
    const response = await loa.server.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
    const setCookie = response.headers["set-cookie"];
    for (const cookie of Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie]) {
      const [name = "", value = ""] = (cookie.split(";")[0] ?? "").split("=");
      jar.set(name, value);
    }
    return response;
  };
  const signIn = await request("GET", "/console/sign-in");
  const done = await request("POST", "/console/sign-in", { _csrf: csrfOf(signIn.body), username, password: staffTestPassword });
  expect(done.statusCode).toBe(303);
  const home = await request("GET", "/console");
  return { request, csrf: csrfOf(home.body) };
}

const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";

describe("campaigns in the console", () => {
  let campaignUrl = "";

  it("lets a commune team preview and draft a campaign for her own commune only", async () => {
    const lan = await signedIn("lan");
    const list = await lan.request("GET", "/console/campaigns");
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`<a href="/console/campaigns" aria-current="page">${vi.nav.campaigns}</a>`);
    expect(list.body).toContain(vi.campaigns.empty);

    const form = await lan.request("GET", "/console/campaigns/new");
    expect(form.body).toContain('value="14-mau-04"');
    expect(form.body).not.toContain('value="14-mau-05"');
    expect(form.body).toContain('<option value="action-month-children">Tháng hành động vì trẻ em (01/06–30/06)</option>');
    expect(form.body).toContain('value="violence:intro"');
    expect(form.body).not.toContain('value="help-guide:intro"');

    const fields = { _csrf: lan.csrf, name: "Tháng 6 ở Mường Bú", template: "action-month-children", keys: ["violence:intro"], communes: ["14-mau-04"], quietStart: "21:00", quietEnd: "07:00" };
    const preview = await lan.request("POST", "/console/campaigns/new", { ...fields, intent: "preview" });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain("Số người nhận lúc này: 2");
    expect(preview.body).toContain('value="Tháng 6 ở Mường Bú"');
    const english = await lan.request("POST", "/console/campaigns/new", { ...fields, intent: "preview", languages: ["en"] });
    expect(english.body).toContain("Số người nhận lúc này: 1");

    const outside = await lan.request("POST", "/console/campaigns/new", { ...fields, communes: ["14-mau-05"], intent: "preview" });
    expect(outside.statusCode).toBe(403);
    expect(outside.body).toContain(vi.campaigns.communesOutside);
    const outsideSave = await lan.request("POST", "/console/campaigns/new", { ...fields, communes: ["14-mau-04", "14-mau-05"], intent: "save" });
    expect(outsideSave.statusCode).toBe(403);

    const unnamed = await lan.request("POST", "/console/campaigns/new", { ...fields, name: " ", intent: "save" });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.body).toContain(vi.campaigns.nameMissing);

    const forged = await lan.request("POST", "/console/campaigns/new", { ...fields, _csrf: "forged", intent: "save" });
    expect(forged.statusCode).toBe(403);
    expect(await loa.runtime.database.client.campaign.count()).toBe(0);

    const saved = await lan.request("POST", "/console/campaigns/new", { ...fields, intent: "save" });
    expect(saved.statusCode).toBe(303);
    campaignUrl = saved.headers.location ?? "";
    expect(campaignUrl).toMatch(/^\/console\/campaigns\/[0-9a-f-]{36}$/);
    const stored = await loa.runtime.database.client.campaign.findFirstOrThrow();
    expect(JSON.parse(stored.content)).toEqual({ keys: ["child-marriage:intro", "child-marriage:call_111", "violence:intro"] });
  });

  it("lets the team submit, a province officer approve, and the team schedule in Viet Nam time", async () => {
    const lan = await signedIn("lan");
    const draft = await lan.request("GET", campaignUrl);
    expect(draft.body).toContain(`<dd>${vi.campaigns.statuses.draft}</dd>`);
    expect(draft.body).toContain(`action="${campaignUrl}/submit"`);
    expect((await lan.request("POST", `${campaignUrl}/submit`, {})).statusCode).toBe(403);
    const submitted = await lan.request("POST", `${campaignUrl}/submit`, { _csrf: lan.csrf });
    expect(submitted.statusCode).toBe(303);
    expect(submitted.headers.location).toBe(`${campaignUrl}?done=submit`);
    const waiting = await lan.request("GET", submitted.headers.location ?? "");
    expect(waiting.body).toContain(vi.campaigns.done.submit);
    expect(waiting.body).not.toContain(`action="${campaignUrl}/approve"`);
    expect((await lan.request("POST", `${campaignUrl}/approve`, { _csrf: lan.csrf })).statusCode).toBe(403);

    const mai = await signedIn("mai");
    const toApprove = await mai.request("GET", campaignUrl);
    expect(toApprove.body).toContain(`action="${campaignUrl}/approve"`);
    expect(toApprove.body).toContain(`action="${campaignUrl}/reject"`);
    expect((await mai.request("POST", `${campaignUrl}/approve`, { _csrf: "forged" })).statusCode).toBe(403);
    expect((await mai.request("POST", `${campaignUrl}/approve`, { _csrf: mai.csrf })).statusCode).toBe(303);

    const approved = await lan.request("GET", campaignUrl);
    expect(approved.body).toContain("<dd>Chị Mai</dd>");
    expect(approved.body).toContain('type="datetime-local"');
    const badDate = await lan.request("POST", `${campaignUrl}/schedule`, { _csrf: lan.csrf, startsAt: "mai", every: "" });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain(vi.campaigns.scheduleInvalid);
    const scheduled = await lan.request("POST", `${campaignUrl}/schedule`, { _csrf: lan.csrf, startsAt: "2026-12-01T08:00", every: "week", count: "3" });
    expect(scheduled.statusCode).toBe(303);
    const stored = await loa.runtime.database.client.campaign.findFirstOrThrow();
    expect(stored.startsAt?.toISOString()).toBe("2026-12-01T01:00:00.000Z");
    const page = await lan.request("GET", campaignUrl);
    expect(page.body).toContain("<dd>01/12/2026 08:00</dd>");
    expect(page.body).toContain("<dd>Hằng tuần, 3 lần</dd>");
    expect(page.body).toMatch(/<progress id="campaign-progress" max="1" value="0">/);

    const again = await lan.request("POST", `${campaignUrl}/submit`, { _csrf: lan.csrf });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain(`Không làm được vì chiến dịch đang ở trạng thái: ${vi.campaigns.statuses.approved}.`);

    const list = await lan.request("GET", "/console/campaigns");
    expect(list.body).toContain("Tháng 6 ở Mường Bú");
    expect(list.body).toContain(`<td>${vi.campaigns.statuses.approved}</td><td>01/12/2026 08:00</td>`);
    expect(list.body).toContain("<progress");
  });

  it("lists every commune of the chosen province she may target, with how many people can be reached in each; a team only its own", async () => {
    const team = await signedIn("lan");
    const officer = await signedIn("mai");
    const offered = (page: string) => [...page.matchAll(/name="communes" value="([^"]+)"/g)].map((match) => match[1]).sort();
    const teamForm = (await team.request("GET", "/console/campaigns/new")).body;
    expect(offered(teamForm)).toEqual(["14-mau-04"]);
    expect(teamForm).toContain('<label for="campaign-communes-14-mau-04">xã Mường Bú (2 người nhận được)</label>');
    expect(teamForm).toContain('<input type="hidden" name="province" value="14">');
    expect(teamForm).not.toContain('<select id="campaign-province"');
    expect(offered((await team.request("GET", "/console/campaigns/new?province=20")).body)).toEqual(["14-mau-04"]);

    const officerForm = (await officer.request("GET", "/console/campaigns/new")).body;
    expect(offered(officerForm)).toEqual(["14-mau-01", "14-mau-02", "14-mau-03", "14-mau-04", "14-mau-05", "14-mau-06", "14-mau-07", "14-mau-08", "14-mau-09", "14-mau-10"]);
    expect(officerForm).toContain('<label for="campaign-communes-14-mau-05">xã Mường La (1 người nhận được)</label>');
    expect(officerForm).toContain('<label for="campaign-communes-14-mau-06">xã Chiềng Hoa (0 người nhận được)</label>');

    // A province she may not target is not chosen, and no count of its people is shown.
    const elsewhere = await signedIn("lang-son");
    const asked = (await elsewhere.request("GET", "/console/campaigns/new?province=14")).body;
    expect(offered(asked).every((code) => code?.startsWith("20-"))).toBe(true);
    expect(asked).not.toContain("xã Mường Bú (");
  });

  it("drafts a campaign with text the team wrote, shown in the preview and on its page, checked against the help directory", async () => {
    const lan = await signedIn("lan");
    const form = await lan.request("GET", "/console/campaigns/new");
    expect(form.body).toContain('<textarea id="campaign-text-vi" name="text-vi" rows="5" maxlength="400"');
    expect(form.body).toContain('<textarea id="campaign-text-en" name="text-en" rows="5" maxlength="400"');
    const fields = { _csrf: lan.csrf, province: "14", name: "Ngày Gia đình Việt Nam", template: "", "text-vi": "Ngày 28/6: gia đình không bạo lực. Gọi 111.", "text-en": "", topic: "violence", communes: ["14-mau-04"], quietStart: "21:00", quietEnd: "07:00" };

    const preview = await lan.request("POST", "/console/campaigns/new", { ...fields, intent: "preview" });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain("<h4>Tiếng Việt</h4><p>Ngày 28/6: gia đình không bạo lực. Gọi 111.</p>");
    expect(preview.body).toContain(vi.campaigns.fallbackNote);
    expect(preview.body).toContain(">Ngày 28/6: gia đình không bạo lực. Gọi 111.</textarea>");

    const unlisted = await lan.request("POST", "/console/campaigns/new", { ...fields, "text-en": "Call 0912 345 678 or see t.me/help", intent: "save" });
    expect(unlisted.statusCode).toBe(400);
    const problems = `${vi.campaigns.textLink.replace("{found}", "t.me/help")} ${vi.campaigns.textNumber.replace("{found}", "0912 345 678")}`;
    expect(unlisted.body).toContain(`<p class="error" id="campaign-text-en-error">${problems}</p>`);
    const both = await lan.request("POST", "/console/campaigns/new", { ...fields, keys: ["violence:intro"], intent: "save" });
    expect(both.statusCode).toBe(400);
    expect(both.body).toContain(vi.campaigns.contentBoth);
    const long = await lan.request("POST", "/console/campaigns/new", { ...fields, "text-vi": "a".repeat(401), intent: "save" });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain(vi.campaigns.textTooLong.replace("{max}", "400"));
    const englishOnly = await lan.request("POST", "/console/campaigns/new", { ...fields, "text-vi": " ", "text-en": "Call 111.", intent: "save" });
    expect(englishOnly.statusCode).toBe(400);
    expect(englishOnly.body).toContain(vi.campaigns.textViMissing);
    const db = loa.runtime.database.client;
    expect(await db.campaign.count({ where: { name: fields.name } })).toBe(0);

    const saved = await lan.request("POST", "/console/campaigns/new", { ...fields, "text-en": "Vietnamese Family Day: no violence at home. Call 111.", intent: "save" });
    expect(saved.statusCode).toBe(303);
    const stored = await db.campaign.findFirstOrThrow({ where: { name: fields.name } });
    expect(JSON.parse(stored.content)).toEqual({ texts: { vi: fields["text-vi"], en: "Vietnamese Family Day: no violence at home. Call 111." }, topic: "violence" });
    const url = saved.headers.location ?? "";
    const page = await lan.request("GET", url);
    expect(page.body).toContain("<h3>Tiếng Việt</h3><p>Ngày 28/6: gia đình không bạo lực. Gọi 111.</p><h3>English</h3>");
    expect(page.body).toContain(`<dd>${vi.topics.violence}</dd>`);
    expect((await lan.request("POST", `${url}/submit`, { _csrf: lan.csrf })).statusCode).toBe(303);
  });

  it("refuses to submit written text whose number left the help directory after the draft", async () => {
    const lan = await signedIn("lan");
    const db = loa.runtime.database.client;
    await db.helpEntry.create({
      data: { id: "tram-y-te-muong-bu", kind: "health-facility", name: "Trạm y tế xã Mường Bú", phone: "0212 3845 777", scope: "commune", provinceCode: "14", communeCode: "14-mau-04", topics: '["safe-birth"]', verifiedOn: loa.runtime.now(), source: "test" },
    });
    const fields = { _csrf: lan.csrf, province: "14", name: "Khám thai", template: "", "text-vi": "Khám thai tại trạm y tế xã: 0212 3845 777.", "text-en": "", topic: "", communes: ["14-mau-04"], quietStart: "21:00", quietEnd: "07:00", intent: "save" };
    const saved = await lan.request("POST", "/console/campaigns/new", fields);
    expect(saved.statusCode).toBe(303);
    await db.helpEntry.update({ where: { id: "tram-y-te-muong-bu" }, data: { active: false } });
    const url = saved.headers.location ?? "";
    const refused = await lan.request("POST", `${url}/submit`, { _csrf: lan.csrf });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(vi.campaigns.textRefused.replace("{problems}", `Tiếng Việt: ${vi.campaigns.textNumber.replace("{found}", "0212 3845 777")}`));
    expect(refused.body).toContain(`<dd>${vi.campaigns.statuses.draft}</dd>`);
  });

  it("hides a campaign from an officer of another province", async () => {
    const other = await signedIn("lang-son");
    expect((await other.request("GET", campaignUrl)).statusCode).toBe(404);
    expect((await other.request("POST", `${campaignUrl}/pause`, { _csrf: other.csrf })).statusCode).toBe(404);
    expect((await other.request("GET", "/console/campaigns")).body).not.toContain("Tháng 6 ở Mường Bú");
    expect((await other.request("GET", "/console/campaigns/no-such-campaign")).statusCode).toBe(404);
  });

  it("pauses, resumes and cancels with CSRF-guarded forms", async () => {
    const lan = await signedIn("lan");
    expect((await lan.request("POST", `${campaignUrl}/pause`, { _csrf: lan.csrf })).statusCode).toBe(303);
    const paused = await lan.request("GET", campaignUrl);
    expect(paused.body).toContain(`<dd>${vi.campaigns.statuses.paused}</dd>`);
    expect(paused.body).toContain(`action="${campaignUrl}/resume"`);
    expect((await lan.request("POST", `${campaignUrl}/resume`, { _csrf: lan.csrf })).statusCode).toBe(303);
    expect((await lan.request("POST", `${campaignUrl}/cancel`, { _csrf: "" })).statusCode).toBe(403);
    expect((await lan.request("POST", `${campaignUrl}/cancel`, { _csrf: lan.csrf })).statusCode).toBe(303);
    const cancelled = await lan.request("GET", campaignUrl);
    expect(cancelled.body).toContain(`<dd>${vi.campaigns.statuses.cancelled}</dd>`);
    expect(cancelled.body).not.toContain(`action="${campaignUrl}/`);
  });
});
