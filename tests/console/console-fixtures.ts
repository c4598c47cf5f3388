// View models for every console page, filled as the routes will fill them, in either locale, and a renderer
// that turns them all into pages so each test can check every page.
import { renderCampaignDetailPage, renderCampaignFormPage, renderCampaignListPage } from "../../src/console/campaign-pages.ts";
import type { ConsoleLocale } from "../../src/console/console-locale.ts";
import { renderCoveragePage } from "../../src/console/coverage-page.ts";
import { renderDirectoryListPage } from "../../src/console/directory-list-page.ts";
import { renderErrorPage, renderSignedOutPage } from "../../src/console/error-pages.ts";
import { renderHelpEntryFormPage } from "../../src/console/help-entry-form-page.ts";
import { renderImportResultPage } from "../../src/console/import-result-page.ts";
import { renderOverviewPage } from "../../src/console/overview-page.ts";
import { renderPlacesPage, renderProvincePage } from "../../src/console/places-pages.ts";
import { renderSignInPage } from "../../src/console/sign-in-page.ts";
import { renderIndicatorTargetsPage } from "../../src/console/indicator-targets-page.ts";
import { renderOutreachSessionFormPage } from "../../src/console/outreach-session-form-page.ts";
import { renderStatsOverviewPage, renderStatsPlacesPage } from "../../src/console/stats-page.ts";
import type {
  CampaignDetailView,
  CampaignFormView,
  CampaignListView,
  ConsoleContext,
  CoverageView,
  DirectoryListView,
  DirectoryRowView,
  ErrorView,
  HelpEntryFormView,
  ImportResultView,
  OverviewView,
  PlacesView,
  ProvinceView,
  SignedInContext,
  SignInView,
} from "../../src/console/view-models.ts";
import type { ConsoleSection } from "../../src/console/layout.ts";
import { consoleUrls } from "../../src/http/console/console-request.ts";
import { sessionFormView, statsOverviewView, statsPlacesView, targetsView } from "./stats-fixtures.ts";

export const csrfToken = "csrf-token-0123456789abcdef";

export { consoleUrls };

/** The context of a page seen before signing in. */
export function signedOutContext(locale: ConsoleLocale): ConsoleContext {
  return { locale, csrfToken, languageUrls: { vi: "?lang=vi", en: "?lang=en" }, staff: null, urls: consoleUrls };
}

/** The context of a province officer of Sơn La. */
export function provinceContext(locale: ConsoleLocale): SignedInContext {
  return { ...signedOutContext(locale), staff: { displayName: "Lò Thị Mai", access: { role: "province", provinces: ["Sơn La"] } } };
}

/** A help entry row like those staff import: a commune's Địa chỉ tin cậy. */
export function entryRow(index: number, changes: Partial<DirectoryRowView> = {}): DirectoryRowView {
  return {
    id: `dtc-14-muong-bu-${index}`,
    kind: "trusted-address",
    name: `Địa chỉ tin cậy xã Mường Bú ${index}`,
    phone: "0212 3845 123",
    provinceName: "Sơn La",
    communeName: "xã Mường Bú",
    hours: "7:00–17:00, thứ Hai–thứ Sáu",
    free: "unknown",
    emergency: false,
    verifiedOn: "2026-03-15",
    stale: false,
    canEdit: true,
    editUrl: `/console/directory/dtc-14-muong-bu-${index}/edit`,
    ...changes,
  };
}

export function directoryListView(locale: ConsoleLocale, entries: DirectoryRowView[]): DirectoryListView {
  return {
    context: provinceContext(locale),
    filter: {
      action: "/console/directory",
      provinceCode: "14",
      communeCode: "",
      dueOnly: false,
      provinceChoices: [
        { code: "14", name: "Sơn La" },
        { code: "20", name: "Lạng Sơn" },
      ],
      communeChoices: [
        { code: "14-mau-01", name: "xã Mường Bú" },
        { code: "14-mau-02", name: "xã Mường La" },
      ],
    },
    entries,
    savedEntryName: "Trạm y tế xã Mường La",
    newEntryUrl: "/console/directory/new",
    importForm: { action: "/console/directory/import", dryRun: true },
    exportUrls: { csv: "/console/directory/export.csv", xlsx: "/console/directory/export.xlsx" },
  };
}

export function helpEntryFormView(locale: ConsoleLocale, mode: "new" | "edit" = "edit"): HelpEntryFormView {
  return {
    context: provinceContext(locale),
    mode,
    action: "/console/directory/dtc-14-muong-bu/edit",
    cancelUrl: "/console/directory",
    values: {
      id: "dtc-14-muong-bu",
      kind: "trusted-address",
      name: "Địa chỉ tin cậy xã Mường Bú",
      phone: "0212 3845 123",
      address: "Trạm y tế xã",
      provinceCode: "14",
      communeCode: "14-mau-01",
      hours: "24/7",
      free: "unknown",
      languages: ["vie", "tai"],
      topics: ["violence", "child-marriage"],
      emergency: true,
      verifiedOn: "2026-03-15",
      source: "Hội LHPN xã, 03/2026",
    },
    errors: { phone: "\"0212 38\" has 6 digits; a phone number has 3 to 15", topics: "choose at least one topic" },
    provinceChoices: [{ code: "14", name: "Sơn La" }],
    communeChoices: [
      { code: "14-mau-01", name: "xã Mường Bú", provinceName: "Sơn La" },
      { code: "14-mau-02", name: "xã Mường La", provinceName: "Sơn La" },
    ],
    languageChoices: [
      { code: "vie", name: "Tiếng Việt" },
      { code: "hmn", name: "Tiếng Mông" },
    ],
  };
}

export function importResultView(locale: ConsoleLocale, rejected = true): ImportResultView {
  return {
    context: provinceContext(locale),
    fileName: "dia-chi-son-la.xlsx",
    outcome: rejected
      ? {
          kind: "rejected",
          problems: [
            { row: 3, column: "điện thoại", message: "\"0212\" has 4 digits" },
            { row: 7, column: null, message: "duplicate id dtc-14-muong-bu" },
          ],
        }
      : { kind: "accepted", dryRun: true, added: 4, updated: 12 },
    importForm: { action: "/console/directory/import", dryRun: false },
  };
}

export function overviewView(locale: ConsoleLocale): OverviewView {
  return {
    context: provinceContext(locale),
    directory: { entries: 1234, dueForCheck: 3, staleMonths: 12, dueForCheckUrl: "/console/directory?due=1" },
    places: { provinces: 34, communes: 3321, sample: true },
    languages: { offered: ["Tiếng Việt", "Tiếng Anh"], registered: 14 },
  };
}

export function placesView(locale: ConsoleLocale): PlacesView {
  return {
    context: provinceContext(locale),
    sample: true,
    search: { action: "/console/places", query: "muong bu" },
    matches: [{ code: "14-mau-01", name: "Mường Bú", unitType: "xã", provinceName: "Sơn La", url: "/console/places/14#place-14-mau-01" }],
    provinces: [
      { code: "14", name: "Sơn La", unitType: "tỉnh", communeCount: 10, url: "/console/places/14" },
      { code: "01", name: "Hà Nội", unitType: "thành phố", communeCount: 0, url: "/console/places/01" },
    ],
  };
}

export function provinceView(locale: ConsoleLocale): ProvinceView {
  return {
    context: provinceContext(locale),
    sample: true,
    province: { code: "51", name: "Quảng Ngãi", unitType: "tỉnh", formerNames: ["Kon Tum"] },
    communes: [
      { code: "51-mau-01", name: "Ba Tơ", unitType: "xã", formerDistricts: ["huyện Ba Tơ"], sample: true },
      { code: "51-mau-02", name: "Trương Quang Trọng", unitType: "phường", formerDistricts: [], sample: true },
    ],
  };
}

export function coverageView(locale: ConsoleLocale): CoverageView {
  return {
    context: provinceContext(locale),
    keyCount: 412,
    languages: [
      { code: "vi", name: "Tiếng Việt", status: "reviewed", offered: true, withText: 412, reviewed: 412, outdated: 0, withAudio: 40 },
      { code: "hmn", name: "Tiếng Mông", status: "draft", offered: false, withText: 120, reviewed: 0, outdated: 3, withAudio: 0 },
    ],
  };
}

export function signInView(locale: ConsoleLocale): SignInView {
  return { context: signedOutContext(locale), action: "/console/sign-in", username: "mai.lo", problem: { kind: "locked", minutes: 15 } };
}

export function errorView(locale: ConsoleLocale, status: ErrorView["status"]): ErrorView {
  return { context: status === 404 ? signedOutContext(locale) : provinceContext(locale), status, reference: status === 500 ? "req-7f3a" : null };
}

/** The campaigns list: one running, one draft not yet scheduled. */
export function campaignListView(locale: ConsoleLocale): CampaignListView {
  return {
    context: provinceContext(locale),
    campaigns: [
      { name: "Tháng hành động vì trẻ em 2026", status: "running", startsAt: "01/06/2026 08:00", progress: { done: 30, total: 120 }, url: "/console/campaigns/c-1" },
      { name: "Ngày Quốc tế trẻ em gái", status: "draft", startsAt: null, progress: { done: 0, total: 0 }, url: "/console/campaigns/c-2" },
    ],
    newCampaignUrl: "/console/campaigns/new",
  };
}

/** The new-campaign form after "Xem trước", or with problems after a refused save. */
export function campaignFormView(locale: ConsoleLocale, withErrors = false): CampaignFormView {
  return {
    context: provinceContext(locale),
    action: "/console/campaigns/new",
    cancelUrl: "/console/campaigns",
    values: {
      province: "14",
      name: withErrors ? "" : "Tháng 6, xã Mường Bú",
      template: "action-month-children",
      keys: ["violence:intro"],
      texts: withErrors ? { vi: "Gọi 0912 345 678", en: "" } : {},
      topic: "",
      communes: withErrors ? [] : ["14-mau-04"],
      languages: [],
      channels: ["telegram"],
      quietStart: "21:00",
      quietEnd: withErrors ? "7 giờ" : "07:00",
    },
    errors: withErrors
      ? { name: "Ghi tên chiến dịch.", "text-vi": "Số “0912 345 678” không có trong danh bạ trợ giúp của các xã này.", communes: "Chọn ít nhất một xã.", quietEnd: "Ghi giờ dạng 21:00." }
      : {},
    provinceChoices: [
      { code: "14", name: "Sơn La" },
      { code: "20", name: "Lạng Sơn" },
    ],
    templates: [
      { id: "action-month-children", name: "Tháng hành động vì trẻ em", dates: "01/06–30/06", keys: ["child-marriage:intro"], note: null },
      { id: "safe-motherhood-week", name: "Tuần lễ Làm mẹ an toàn", dates: "01/10–07/10", keys: ["safe-birth:checkups"], note: "Ngày thay đổi theo năm." },
    ],
    keyChoices: [
      { key: "child-marriage:intro", label: "Tảo hôn" },
      { key: "violence:intro", label: "Bạo lực gia đình" },
    ],
    textLanguages: [
      { code: "vi", name: "Tiếng Việt" },
      { code: "en", name: "English" },
    ],
    topicChoices: [
      { topic: "child-marriage", name: "Tảo hôn" },
      { topic: "violence", name: "Bạo lực gia đình" },
    ],
    communeChoices: [
      { code: "14-mau-04", name: "xã Mường Bú", reachable: 1234 },
      { code: "14-mau-05", name: "xã Chiềng Sại", reachable: 0 },
    ],
    languageChoices: [
      { code: "vi", name: "Tiếng Việt" },
      { code: "hmn", name: "Tiếng Mông" },
    ],
    channelChoices: [
      { code: "telegram", name: "Telegram" },
      { code: "zalo-oa", name: "Zalo OA" },
    ],
    preview: withErrors
      ? null
      : {
          recipients: 1234,
          byLanguage: [{ name: "Tiếng Việt", count: 1000 }, { name: "Tiếng Mông", count: 234 }],
          byChannel: [{ name: "Telegram", count: 1234 }],
          texts: [],
        },
  };
}

/** A submitted campaign seen by a province officer who may approve it, partly sent in an earlier run. */
export function campaignDetailView(locale: ConsoleLocale): CampaignDetailView {
  return {
    context: provinceContext(locale),
    listUrl: "/console/campaigns",
    campaign: {
      name: "Tháng hành động vì trẻ em 2026",
      status: "submitted",
      keys: ["child-marriage:intro", "child-marriage:call_111"],
      texts: [],
      topic: null,
      communes: ["xã Mường Bú"],
      languages: ["Tiếng Mông"],
      channels: [],
      quietStart: "21:00",
      quietEnd: "07:00",
      startsAt: null,
      recurrence: { every: "week", count: 4 },
      createdBy: "Chị Lan",
      approvedBy: null,
    },
    results: {
      byStatus: { pending: 60, sending: 0, sent: 50, failed: 2, skipped: 8 },
      byReason: [
        { reason: "opted-out", count: 6 },
        { reason: "telegram:forbidden", count: 2 },
      ],
      reach: { people: 50, byCommune: [{ name: "xã Mường Bú", count: 50 }], byLanguage: [{ name: "Tiếng Mông", count: 50 }] },
      followedUp: 12,
      followUpDays: 7,
    },
    actions: { submit: null, approve: "/console/campaigns/c-1/approve", reject: "/console/campaigns/c-1/reject", schedule: "/console/campaigns/c-1/schedule", pause: null, resume: null, cancel: "/console/campaigns/c-1/cancel" },
    done: null,
    problem: null,
    scheduleStart: "2026-06-01T08:00",
  };
}

/** A rendered page, with the menu section it belongs to (null: no menu) and whether it is that section's own page. */
export type RenderedPage = { name: string; html: string; section: ConsoleSection | null; own: boolean };

/**
 * Every page in `locale`. `prepare` may change each view model before it is rendered (the escaping test
 * replaces its text with markup).
 */
export function renderEveryPage(locale: ConsoleLocale, prepare: <View>(view: View) => View = (view) => view): RenderedPage[] {
  const rows = [
    entryRow(1),
    entryRow(2, { stale: true, verifiedOn: "2024-03-15", canEdit: false, free: true, hours: "24/7", emergency: true }),
    entryRow(3, { communeName: null, free: false, hours: "unknown", kind: "health-facility" }),
  ];
  return [
    { name: "sign-in", html: renderSignInPage(prepare(signInView(locale))), section: null, own: false },
    { name: "signed-out", html: renderSignedOutPage(prepare({ context: signedOutContext(locale) })), section: null, own: false },
    { name: "overview", html: renderOverviewPage(prepare(overviewView(locale))), section: "overview", own: true },
    { name: "directory list", html: renderDirectoryListPage(prepare(directoryListView(locale, rows))), section: "directory", own: true },
    { name: "new entry", html: renderHelpEntryFormPage(prepare(helpEntryFormView(locale, "new"))), section: "directory", own: false },
    { name: "edit entry", html: renderHelpEntryFormPage(prepare(helpEntryFormView(locale, "edit"))), section: "directory", own: false },
    { name: "import refused", html: renderImportResultPage(prepare(importResultView(locale, true))), section: "directory", own: false },
    { name: "import checked", html: renderImportResultPage(prepare(importResultView(locale, false))), section: "directory", own: false },
    { name: "campaigns", html: renderCampaignListPage(prepare(campaignListView(locale))), section: "campaigns", own: true },
    { name: "new campaign", html: renderCampaignFormPage(prepare(campaignFormView(locale))), section: "campaigns", own: false },
    { name: "new campaign refused", html: renderCampaignFormPage(prepare(campaignFormView(locale, true))), section: "campaigns", own: false },
    { name: "campaign", html: renderCampaignDetailPage(prepare(campaignDetailView(locale))), section: "campaigns", own: false },
    { name: "statistics", html: renderStatsOverviewPage(prepare(statsOverviewView(locale))), section: "stats", own: false },
    { name: "statistics places", html: renderStatsPlacesPage(prepare(statsPlacesView(locale))), section: "stats", own: true },
    { name: "session form refused", html: renderOutreachSessionFormPage(prepare(sessionFormView(locale, true))), section: "stats", own: false },
    { name: "targets", html: renderIndicatorTargetsPage(prepare(targetsView(locale))), section: "stats", own: false },
    { name: "targets refused", html: renderIndicatorTargetsPage(prepare(targetsView(locale, true))), section: "stats", own: false },
    { name: "places", html: renderPlacesPage(prepare(placesView(locale))), section: "places", own: true },
    { name: "province", html: renderProvincePage(prepare(provinceView(locale))), section: "places", own: false },
    { name: "coverage", html: renderCoveragePage(prepare(coverageView(locale))), section: "coverage", own: true },
    { name: "403", html: renderErrorPage(prepare(errorView(locale, 403))), section: null, own: false },
    { name: "404", html: renderErrorPage(prepare(errorView(locale, 404))), section: null, own: false },
    { name: "500", html: renderErrorPage(prepare(errorView(locale, 500))), section: null, own: false },
  ];
}
