import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { consoleText } from "../../console/console-locale.ts";
import { renderErrorPage } from "../../console/error-pages.ts";
import { renderStatsOverviewPage, renderStatsPlacesPage } from "../../console/stats-page.ts";
import { statsTableCsv, statsTableXlsx } from "../../console/stats-table-files.ts";
import type { StatsTable } from "../../console/stats-table.ts";
import type { StatsOverviewView, StatsTrailStep } from "../../console/stats-view-models.ts";
import type { SignedInContext } from "../../console/view-models.ts";
import { hasPermission, type StaffPrincipal } from "../../staff/staff-principal.ts";
import { buildPeriodReport } from "../../stats/period-report.ts";
import { reportWorkbook } from "../../stats/report-workbook.ts";
import { periodLabel, type Period } from "../../stats/periods.ts";
import type { StaffAuthentication } from "../staff-auth.ts";
import type { ConsolePageKit } from "./console-directory-pages.ts";
import { consoleUrls, queryValue } from "./console-request.ts";
import { registerSessionPages, sessionNotice } from "./console-sessions-pages.ts";
import { readCommuneFigures, type CommuneFigures } from "../../stats/commune-figures.ts";
import { registerTargetsPages } from "./console-targets-pages.ts";
import { readIndicatorTable } from "./console-stats-indicators.ts";
import { periodAsked, periodGroups } from "./console-stats-periods.ts";
import { fileUrls, maySee, placeCode, placeNamed, placeUrl } from "./console-stats-places.ts";
import { axisLabels, readStatsTables, type StatsPlace } from "./console-stats-tables.ts";

type Session = Extract<StaffAuthentication, { kind: "session" }>;
type Access = { session: Session; context: SignedInContext };

/** The form recording an in-person session, and the one entering target populations. */
export const sessionsUrl = `${consoleUrls.stats}/sessions/new`;
export const targetsUrl = `${consoleUrls.stats}/targets`;
/** The province's periodic report as XLSX, `?province=&period=`. */
export const reportUrl = `${consoleUrls.stats}/report.xlsx`;

/** How many places a bar chart of provinces or communes draws; its table lists them all. */
const chartedPlaces = 12;

/**
 * The statistics pages of the console: the overview of the country (admins), a province (its officers) or a
 * commune (its team and its province's officers), the drill-down between them, and every table as CSV or
 * XLSX. A place outside her area is answered 404, like any other data outside it.
 */
export function registerStatsPages(scope: FastifyInstance, kit: ConsolePageKit): void {
  const { deps, html } = kit;
  const { services } = deps;
  const { sessions, targets, indicators, threshold } = services.stats;
  registerSessionPages(scope, kit, sessions, sessionsUrl);
  registerTargetsPages(scope, kit, targets, indicators, targetsUrl);
  const notFound = (reply: FastifyReply, context: SignedInContext) => html(reply, 404, renderErrorPage({ context, status: 404, reference: null }));

  const periodOf = (request: FastifyRequest): Period => periodAsked(queryValue(request, "period"), deps.now());

  const placeOfCode = (code: string) => placeNamed(deps.places(), code);

  const nameOf = (code: string) => {
    const place = deps.places().find(code);
    return place === undefined ? code : place.provinceCode === null ? place.name : deps.places().displayName(place);
  };

  /** The province's protected commune figures, read once for every table of a page; none for the country. */
  const figuresOf = async (place: StatsPlace, period: Period) =>
    place.level === "country" ? null : readCommuneFigures({ db: services.db, places: deps.places(), indicators: await indicators(), threshold }, { period: period.key, provinceCode: place.provinceCode });

  const tablesOf = async (access: Access, place: StatsPlace, period: Period, figures: CommuneFigures | null) => {
    const { principal } = access.session;
    const visible = new Set((await services.campaigns.list(principal)).map((campaign) => campaign.id));
    const campaigns = new Map(
      (await services.db.campaign.findMany({ select: { id: true, name: true } })).map((campaign) => [
        campaign.id,
        { name: campaign.name, url: visible.has(campaign.id) ? `${consoleUrls.campaigns}/${encodeURIComponent(campaign.id)}` : null },
      ]),
    );
    return readStatsTables({
      db: services.db,
      place,
      period,
      locale: access.context.locale,
      figures,
      places: deps.places(),
      languageName: (locale) => deps.languages().find((language) => language.code === locale)?.name ?? locale,
      campaigns,
      sessions: (filter) => sessions.list(principal, filter),
      placeUrl: (target) => placeUrl(target, period),
      fileUrls: (table) => fileUrls(place, period, table),
    });
  };
  const indicatorTableOf = async (access: Access, place: StatsPlace, period: Period, figures: CommuneFigures | null) =>
    readIndicatorTable({
      db: services.db,
      indicators: await indicators(),
      places: deps.places(),
      place,
      period,
      locale: access.context.locale,
      threshold,
      figures,
      fileUrls: fileUrls(place, period, "indicators"),
    });

  /** The steps from the widest place she may open down to this one. */
  const trailOf = (principal: StaffPrincipal, place: StatsPlace, period: Period, words: ReturnType<typeof consoleText>["stats"]): StatsTrailStep[] => {
    const steps: Array<{ place: StatsPlace; label: string }> = [{ place: { level: "country" }, label: words.country }];
    if (place.level !== "country") steps.push({ place: { level: "province", provinceCode: place.provinceCode }, label: nameOf(place.provinceCode) });
    if (place.level === "commune") steps.push({ place, label: nameOf(place.communeCode) });
    return steps
      .filter((step, index) => index === steps.length - 1 || maySee(principal, step.place))
      .map((step, index, shown) => ({ label: step.label, url: index === shown.length - 1 ? null : placeUrl(step.place, period) }));
  };

  const overview = async (request: FastifyRequest, reply: FastifyReply, access: Access, place: StatsPlace) => {
    const { principal } = access.session;
    if (!maySee(principal, place)) return notFound(reply, access.context);
    const period = periodOf(request);
    const { locale } = access.context;
    const words = consoleText(locale).stats;
    const figures = await figuresOf(place, period);
    const tables = await tablesOf(access, place, period, figures);
    const chart = (table: StatsTable, kind: "bars" | "columns", limit: number | null = null) => ({ kind, table, column: 0, limit, axisLabels: kind === "columns" ? axisLabels(locale, period) : null });
    const view: StatsOverviewView = {
      context: access.context,
      placeName: place.level === "country" ? words.country : nameOf(placeCode(place)),
      periodLabel: periodLabel(period, locale),
      periodForm: { action: placeUrl(place, null), selected: period.name, groups: periodGroups(locale, period, deps.now()) },
      trail: trailOf(principal, place, period, words),
      notice: sessionNotice(locale, "saved", queryValue(request, "saved")) ?? sessionNotice(locale, "changed", queryValue(request, "changed")),
      summary: tables.summary,
      overTime: chart(tables["over-time"], "columns"),
      byTopic: chart(tables["by-topic"], "bars"),
      byPlace: tables["by-place"] === null ? null : chart(tables["by-place"], "bars", chartedPlaces),
      byLanguage: chart(tables["by-language"], "bars"),
      indicators: await indicatorTableOf(access, place, period, figures),
      campaigns: tables.campaigns,
      sessions: tables.sessions,
      links: {
        report: place.level === "country" ? null : `${reportUrl}?province=${place.provinceCode}&period=${encodeURIComponent(period.name)}`,
        recordSession: place.level === "country" || !hasPermission(principal, "sessions:write") ? null : `${sessionsUrl}?${place.level === "commune" ? `commune=${place.communeCode}` : `province=${place.provinceCode}`}`,
        sessionList: place.level === "country" ? null : `${consoleUrls.stats}/sessions?place=${placeCode(place)}&period=${encodeURIComponent(period.name)}`,
        targets: place.level === "country" || !hasPermission(principal, "targets:write") ? null : `${targetsUrl}?province=${place.provinceCode}&year=${period.key.slice(1, 5)}`,
      },
    };
    return html(reply, 200, renderStatsOverviewPage(view));
  };

  scope.get(consoleUrls.stats, async (request, reply) => {
    const access = await kit.guard(request, reply, "stats:read");
    if (access === undefined) return reply;
    const { principal } = access.session;
    if (principal.role === "admin") return overview(request, reply, access, { level: "country" });
    const period = periodOf(request);
    const places: StatsPlace[] =
      principal.role === "province"
        ? principal.provinces.map((provinceCode) => ({ level: "province", provinceCode }))
        : principal.communes.flatMap((communeCode) => {
            const place = placeOfCode(communeCode);
            return place === undefined ? [] : [place];
          });
    const [only] = places;
    if (places.length === 1 && only !== undefined) return reply.code(303).header("location", placeUrl(only, queryValue(request, "period") === "" ? null : period)).send();
    return html(reply, 200, renderStatsPlacesPage({ context: access.context, places: places.map((place) => ({ name: nameOf(placeCode(place)), url: placeUrl(place, null) })) }));
  });

  scope.get<{ Params: { province: string } }>(`${consoleUrls.stats}/:province`, async (request, reply) => {
    const access = await kit.guard(request, reply, "stats:read");
    if (access === undefined) return reply;
    const place = placeOfCode(request.params.province);
    if (place?.level !== "province") return notFound(reply, access.context);
    return overview(request, reply, access, place);
  });

  scope.get<{ Params: { province: string; commune: string } }>(`${consoleUrls.stats}/:province/:commune`, async (request, reply) => {
    const access = await kit.guard(request, reply, "stats:read");
    if (access === undefined) return reply;
    const place = placeOfCode(request.params.commune);
    if (place?.level !== "commune" || place.provinceCode !== request.params.province) return notFound(reply, access.context);
    return overview(request, reply, access, place);
  });

  scope.get<{ Params: { file: string } }>(`${consoleUrls.stats}/tables/:file`, async (request, reply) => {
    const access = await kit.guard(request, reply, "stats:read");
    if (access === undefined) return reply;
    const match = /^([a-z-]+)\.(csv|xlsx)$/.exec(request.params.file);
    const place = placeOfCode(queryValue(request, "place"));
    if (match === null || place === undefined || !maySee(access.session.principal, place)) return notFound(reply, access.context);
    const [, id = "", format] = match;
    const period = periodOf(request);
    const figures = await figuresOf(place, period);
    const tables: Readonly<Record<string, StatsTable | null>> = id === "indicators" ? { indicators: (await indicatorTableOf(access, place, period, figures)).table } : await tablesOf(access, place, period, figures);
    const table = tables[id];
    if (table === undefined || table === null) return notFound(reply, access.context);
    const { locale } = access.context;
    const words = consoleText(locale).stats;
    const name = `thong-ke-${placeCode(place) || "ca-nuoc"}-${period.name}-${id}.${format}`;
    reply.header("content-disposition", `attachment; filename="${name}"`);
    if (format === "csv") return reply.type("text/csv; charset=utf-8").send(statsTableCsv(locale, words, table));
    return reply.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").send(await statsTableXlsx(locale, words, table));
  });

  scope.get(reportUrl, async (request, reply) => {
    const access = await kit.guard(request, reply, "stats:read");
    if (access === undefined) return reply;
    const { principal } = access.session;
    const place = placeOfCode(queryValue(request, "province"));
    if (place?.level !== "province") return notFound(reply, access.context);
    const communes = principal.communes.filter((code) => deps.places().find(code)?.provinceCode === place.provinceCode);
    if (principal.role === "commune" ? communes.length === 0 : !maySee(principal, place)) return notFound(reply, access.context);
    const period = periodOf(request);
    const report = await buildPeriodReport(
      { db: services.db, indicators: await indicators(), places: deps.places(), threshold, now: deps.now },
      { period: period.name, provinceCode: place.provinceCode, ...(principal.role === "commune" ? { scope: { kind: "communes", communeCodes: communes, teamId: principal.teamId } } : {}) },
    );
    await services.staff.audit.record({ accountId: principal.accountId, action: "report-export", target: `report:${place.provinceCode}:${period.name}`, outcome: "ok" });
    return reply
      .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
      .header("content-disposition", `attachment; filename="bao-cao-${place.provinceCode}-${period.name}.xlsx"`)
      .send(await reportWorkbook(report));
  });
}
