import { describe, expect, it } from "vitest";
import { renderCampaignDetailPage, renderCampaignFormPage, renderCampaignListPage } from "../../src/console/campaign-pages.ts";
import { consoleText } from "../../src/console/console-locale.ts";
import { campaignDetailView, campaignFormView, campaignListView, csrfToken } from "./console-fixtures.ts";
import { formsOf, startTags } from "./html-inspection.ts";

const vi = consoleText("vi");
const en = consoleText("en");

describe("the campaigns list", () => {
  const page = renderCampaignListPage(campaignListView("vi"));

  it("shows each campaign's name as a link, its status in words and its start", () => {
    expect(page).toContain('<a href="/console/campaigns/c-1">Tháng hành động vì trẻ em 2026</a>');
    expect(page).toContain(`<td>${vi.campaigns.statuses.running}</td><td>01/06/2026 08:00</td>`);
    expect(page).toContain(`<td>${vi.campaigns.statuses.draft}</td><td>${vi.campaigns.notScheduled}</td>`);
  });

  it("draws progress as a named <progress> element with the share also as text", () => {
    const bars = startTags(page, "progress");
    expect(bars).toHaveLength(2);
    expect(bars[0]?.attributes.get("max")).toBe("120");
    expect(bars[0]?.attributes.get("value")).toBe("30");
    expect(bars[0]?.attributes.get("aria-label")).toBe("Tiến độ: Tháng hành động vì trẻ em 2026");
    expect(page).toContain("<span>30/120 (25%)</span>");
    expect(bars[1]?.attributes.get("max")).toBe("1");
    expect(page).toContain("<span>0/0 (–)</span>");
  });

  it("offers a new campaign only to staff who may make one, and says when there is none", () => {
    expect(page).toContain(`<a class="button" href="/console/campaigns/new">${vi.campaigns.newCampaign}</a>`);
    const empty = renderCampaignListPage({ ...campaignListView("en"), campaigns: [], newCampaignUrl: null });
    expect(empty).toContain(en.campaigns.empty);
    expect(empty).not.toContain("/console/campaigns/new");
  });

  it("marks Chiến dịch as the current menu item", () => {
    expect(page).toContain(`<a href="/console/campaigns" aria-current="page">${vi.nav.campaigns}</a>`);
    expect(renderCampaignDetailPage(campaignDetailView("vi"))).toContain(`<a href="/console/campaigns" aria-current="true">${vi.nav.campaigns}</a>`);
  });
});

describe("the new-campaign form", () => {
  const page = renderCampaignFormPage(campaignFormView("vi"));
  const form = formsOf(page).find((candidate) => candidate.tag.attributes.get("action") === "/console/campaigns/new" && candidate.tag.attributes.get("method") === "post");

  it("posts with the CSRF token and two submit buttons: preview and save draft", () => {
    expect(form?.tag.attributes.get("method")).toBe("post");
    expect(form?.inside.startsWith(`<input type="hidden" name="_csrf" value="${csrfToken}">`)).toBe(true);
    expect(form?.inside).toContain(`<button type="submit" name="intent" value="preview" class="secondary">${vi.campaigns.preview}</button>`);
    expect(form?.inside).toContain(`<button type="submit" name="intent" value="save">${vi.campaigns.saveDraft}</button>`);
  });

  it("offers the calendar templates with their dates, the module introductions and her communes", () => {
    expect(page).toContain('<option value="action-month-children" selected>Tháng hành động vì trẻ em (01/06–30/06)</option>');
    expect(page).toContain('<input type="checkbox" id="campaign-keys-violence:intro" name="keys" value="violence:intro" checked>');
    expect(page).toContain('<input type="checkbox" id="campaign-communes-14-mau-04" name="communes" value="14-mau-04" checked>');
    expect(page).toContain('<label for="campaign-communes-14-mau-04">xã Mường Bú (1.234 người nhận được)</label>');
    expect(page).toContain('<label for="campaign-communes-14-mau-05">xã Chiềng Sại (0 người nhận được)</label>');
    expect(page).toContain('<input type="checkbox" id="campaign-channels-telegram" name="channels" value="telegram" checked>');
    expect(page).toContain('name="quietStart" value="21:00"');
  });

  it("chooses the province first with a GET form, and keeps it in the campaign form", () => {
    const chooser = formsOf(page).find((candidate) => candidate.tag.attributes.get("method") === "get");
    expect(chooser?.tag.attributes.get("action")).toBe("/console/campaigns/new");
    expect(chooser?.inside).toContain('<select id="campaign-province" name="province" aria-describedby="campaign-province-hint"><option value="">– Chọn tỉnh –</option><option value="14" selected>Sơn La</option><option value="20">Lạng Sơn</option></select>');
    expect(chooser?.inside).toContain(`<button type="submit" class="secondary">${vi.campaigns.chooseProvince}</button>`);
    expect(form?.inside).toContain('<input type="hidden" name="province" value="14">');
    expect(form?.inside).not.toContain('name="province" aria-describedby');

    const view = campaignFormView("vi");
    const oneProvince = renderCampaignFormPage({ ...view, provinceChoices: [{ code: "14", name: "Sơn La" }] });
    expect(formsOf(oneProvince).filter((candidate) => candidate.tag.attributes.get("method") === "get")).toEqual([]);
    const noneChosen = renderCampaignFormPage({ ...view, values: { ...view.values, province: "" }, communeChoices: [] });
    expect(noneChosen).toContain(vi.campaigns.communesAfterProvince);
    expect(noneChosen).not.toContain('name="communes"');
  });

  it("offers a box for the Vietnamese text, optional boxes for the other languages offered, and a topic", () => {
    const vietnamese = startTags(page, "textarea").map((tag) => [tag.attributes.get("name"), tag.attributes.get("maxlength")]);
    expect(vietnamese).toEqual([
      ["text-vi", "400"],
      ["text-en", "400"],
    ]);
    expect(page).toContain('<label for="campaign-text-vi">Tin nhắn bằng Tiếng Việt</label>');
    expect(page).toContain(`<label for="campaign-text-en">Tin nhắn bằng English ${vi.campaigns.optional}</label>`);
    expect(page).toContain(`<legend>${vi.campaigns.written}</legend>`);
    expect(page).toContain('<option value="violence">Bạo lực gia đình</option>');
    const typed = campaignFormView("en", true);
    const refused = renderCampaignFormPage(typed);
    expect(refused).toContain(">Gọi 0912 345 678</textarea>");
    expect(refused).toContain('<a href="#campaign-text-vi">Message in Tiếng Việt: Số “0912 345 678” không có trong danh bạ trợ giúp của các xã này.</a>');
    expect(startTags(refused, "textarea")[0]?.attributes.get("aria-invalid")).toBe("true");
  });

  it("shows the written text in the preview, with what people of other languages receive", () => {
    const view = campaignFormView("vi");
    const preview = view.preview === null ? null : { ...view.preview, texts: [{ language: "Tiếng Việt", text: "Dòng một\nDòng <b>hai</b>" }] };
    const shown = renderCampaignFormPage({ ...view, preview });
    expect(shown).toContain(`<h3>${vi.campaigns.message}</h3><h4>Tiếng Việt</h4><p>Dòng một<br>Dòng &lt;b&gt;hai&lt;/b&gt;</p><p class="hint">${vi.campaigns.fallbackNote}</p>`);
    expect(page).not.toContain(vi.campaigns.fallbackNote);
  });

  it("shows the live recipient count after a preview, as a status message", () => {
    expect(page).toContain('<section class="success" role="status" aria-labelledby="preview-count"><p id="preview-count"><strong>Số người nhận lúc này: 1.234</strong></p>');
    expect(page).toContain("<li>Tiếng Mông: 234</li>");
    expect(renderCampaignFormPage(campaignFormView("en"))).toContain("People it reaches now: 1,234");
  });

  it("lists what is wrong at the top, each linking to its field, and marks the fields", () => {
    const refused = renderCampaignFormPage(campaignFormView("vi", true));
    expect(refused).toContain("<title>Lỗi: Tạo chiến dịch – Loa</title>");
    expect(refused).toContain('<a href="#campaign-name">Tên: Ghi tên chiến dịch.</a>');
    expect(refused).toContain('<a href="#campaign-communes-14-mau-04">Xã nhận tin: Chọn ít nhất một xã.</a>');
    expect(refused).toContain('aria-invalid="true"');
    expect(refused).not.toContain('role="status"');
  });
});

describe("one campaign", () => {
  const page = renderCampaignDetailPage(campaignDetailView("vi"));

  it("shows its status, progress bar, counts by status, skip reasons, reach and follow-up", () => {
    expect(page).toContain(`<dd>${vi.campaigns.statuses.submitted}</dd>`);
    const bar = startTags(page, "progress")[0];
    expect(bar?.attributes.get("id")).toBe("campaign-progress");
    expect(bar?.attributes.get("max")).toBe("120");
    expect(bar?.attributes.get("value")).toBe("60");
    expect(page).toContain('<label for="campaign-progress">Tiến độ</label>');
    expect(page).toContain("60/120 (50%)");
    expect(page).toContain('<tr><th scope="row">Đã gửi</th><td class="num">50</td></tr>');
    expect(page).toContain("<li>Đã xin dừng nhận tin: 6</li>");
    expect(page).toContain("<li>telegram:forbidden: 2</li>");
    expect(page).toContain("Số người đã nhận: 50");
    expect(page).toContain("Đọc tiếp trong 7 ngày: 12 người");
    expect(page).toContain("<dd>Hằng tuần, 4 lần</dd>");
    expect(page).toContain(`<dd>${vi.campaigns.notApproved}</dd>`);
  });

  it("shows only the actions allowed, each a POST form with the CSRF token", () => {
    const forms = formsOf(page).filter((form) => form.tag.attributes.get("action")?.startsWith("/console/campaigns/"));
    expect(forms.map((form) => form.tag.attributes.get("action"))).toEqual(["/console/campaigns/c-1/approve", "/console/campaigns/c-1/reject", "/console/campaigns/c-1/cancel", "/console/campaigns/c-1/schedule"]);
    for (const form of forms) {
      expect(form.tag.attributes.get("method")).toBe("post");
      expect(form.inside.startsWith(`<input type="hidden" name="_csrf" value="${csrfToken}">`)).toBe(true);
    }
    expect(page).toContain(`<button type="submit" class="secondary">${vi.campaigns.reject}</button>`);
    expect(page).not.toContain("&quot;");
    expect(page).not.toContain(vi.campaigns.submit);
    expect(page).not.toContain(`>${vi.campaigns.pause}<`);
  });

  it("schedules in Viet Nam time with an optional weekly or monthly repeat", () => {
    expect(page).toContain('<input type="datetime-local" id="schedule-start" name="startsAt" value="2026-06-01T08:00" required>');
    expect(page).toContain('<option value="week">Hằng tuần</option>');
    expect(page).toContain('<input type="number" id="schedule-count" name="count" min="2" max="52" value="2"');
  });

  it("shows no action section when nothing is allowed, and confirms or explains an action", () => {
    const none = campaignDetailView("en");
    const quiet = renderCampaignDetailPage({ ...none, actions: { submit: null, approve: null, reject: null, schedule: null, pause: null, resume: null, cancel: null }, done: "approve" });
    expect(quiet).not.toContain(en.campaigns.actions);
    expect(quiet).toContain(`<p class="success" role="status">${en.campaigns.done.approve}</p>`);
    const refused = renderCampaignDetailPage({ ...none, problem: "Not possible while the campaign is: Sent back." });
    expect(refused).toContain('<div class="alert" role="alert"><p>Not possible while the campaign is: Sent back.</p></div>');
  });

  it("shows written text in place of content keys, with its topic", () => {
    const view = campaignDetailView("en");
    const written = renderCampaignDetailPage({
      ...view,
      campaign: { ...view.campaign, keys: [], texts: [{ language: "Tiếng Việt", text: "Gọi 111." }, { language: "English", text: "Call 111." }], topic: "Domestic violence" },
    });
    expect(written).toContain(`<h2>${en.campaigns.content}</h2>\n<h3>Tiếng Việt</h3><p>Gọi 111.</p><h3>English</h3><p>Call 111.</p><p class="hint">${en.campaigns.fallbackNote}</p>`);
    expect(written).toContain(`<dt>${en.campaigns.topic}</dt><dd>Domestic violence</dd>`);
    expect(written).not.toContain("<code>");
  });

  it("escapes names and keys", () => {
    const view = campaignDetailView("vi");
    const hostile = renderCampaignDetailPage({ ...view, campaign: { ...view.campaign, name: "<b>x</b>", keys: ["<i>k</i>"] } });
    expect(hostile).toContain("<h1>&lt;b&gt;x&lt;/b&gt;</h1>");
    expect(hostile).toContain("<code>&lt;i&gt;k&lt;/i&gt;</code>");
    expect(hostile).not.toContain("<b>x</b>");
  });
});

describe("the campaign texts", () => {
  it("have every key in both languages", () => {
    const keysOf = (value: unknown, prefix = ""): string[] =>
      typeof value === "object" && value !== null ? Object.entries(value).flatMap(([key, inner]) => keysOf(inner, `${prefix}${key}.`)) : [prefix];
    expect(keysOf(en.campaigns)).toEqual(keysOf(vi.campaigns));
    expect(en.nav.campaigns).toBe("Campaigns");
    expect(vi.nav.campaigns).toBe("Chiến dịch");
  });
});
