import { z } from "zod";
import type { PlaceLookup } from "../../engine/place-lookup.ts";
import type { AuditLog } from "../../staff/audit-log.ts";
import type { DatabaseClient } from "../../store/database.ts";
import { readCommuneFigures } from "../../stats/commune-figures.ts";
import { indicatorProgress, showProgress } from "../../stats/indicator-progress.ts";
import type { Indicator } from "../../stats/indicators.ts";
import { buildPeriodReport } from "../../stats/period-report.ts";
import { parsePeriod } from "../../stats/periods.ts";
import { reachMetrics } from "../../stats/reach-figures.ts";
import { reportCsv, reportWorkbook } from "../../stats/report-workbook.ts";
import { buildOverview } from "../../stats/stats-overview.ts";
import { defineApiRoute, type ApiRoute } from "../api/api-route.ts";
import { fileDownload } from "../api/file-download.ts";
import { principalOf } from "./staff-access.ts";
import { periodSchema, sessionCountsSchema, shownCountSchema, statsApiError, statsQuerySchema, statsScopeOf } from "./stats-access.ts";

/** What the statistics routes read. */
export type StatsRouteDeps = {
  db: DatabaseClient;
  places: () => PlaceLookup;
  indicators: () => Promise<readonly Indicator[]>;
  audit: AuditLog;
  /** Commune people counts under this are hidden (STATS_SUPPRESS_BELOW). */
  threshold: number;
  now: () => Date;
};

const reachLineSchema = z.object({ people: shownCountSchema, visits: shownCountSchema, messages: shownCountSchema });

const overviewSchema = z
  .object({
    province: z.object({ code: z.string(), name: z.string() }),
    period: periodSchema,
    scope: z.enum(["province", "communes"]).describe("communes: a commune team's own communes, every figure commune-level"),
    threshold: z.number().int(),
    reach: z.array(z.object({ metric: z.enum(reachMetrics), count: shownCountSchema })),
    byTopic: z.array(reachLineSchema.extend({ value: z.string() })),
    byLocale: z.array(reachLineSchema.extend({ value: z.string() })),
    byChannel: z.array(reachLineSchema.extend({ value: z.string() })),
    byCommune: z.array(reachLineSchema.extend({ communeCode: z.string(), name: z.string() })),
    months: z.array(z.object({ period: z.string(), people: shownCountSchema, visits: shownCountSchema })),
    sessions: sessionCountsSchema.describe("in-person sessions (cuộc), counted apart from the bot"),
  })
  .meta({ id: "StatsOverview" });

const bilingualSchema = z.object({ vi: z.string(), en: z.string() });

const progressLineSchema = z.object({
  reached: shownCountSchema,
  population: z.number().int().nullable().describe("the target population entered for the year; null: no target entered"),
  percent: z.number().nullable(),
  percentWithheld: z.boolean().describe("the percentage would give away a hidden count"),
  meetsTarget: z.boolean().nullable(),
});

const indicatorProgressSchema = z
  .object({
    id: z.string(),
    name: bilingualSchema,
    description: bilingualSchema,
    unit: z.enum(["người", "hộ", "lượt"]),
    denominator: bilingualSchema.nullable(),
    target: z.number().nullable(),
    year: z.number().int(),
    total: progressLineSchema.extend({ communesWithoutTarget: z.number().int() }),
    communes: z.array(progressLineSchema.extend({ communeCode: z.string() })),
  })
  .meta({ id: "IndicatorProgress" });

const reportTypes = { xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", csv: "text/csv; charset=utf-8" } as const;

/** Statistics for the dashboard and automation: the overview, indicator progress, and the periodic report as a file. */
export function statsRoutes(deps: StatsRouteDeps): ApiRoute[] {
  return [
    defineApiRoute({
      method: "GET",
      path: "/api/stats/overview",
      summary: "Reach, sessions and breakdowns of a province (or your communes) for a period",
      description: "Province figures are exact; commune figures under the threshold are hidden. A commune team reads its own communes only.",
      tags: ["statistics"],
      access: { kind: "staff", permission: "stats:read" },
      input: { query: statsQuerySchema },
      responses: { 200: overviewSchema },
      errors: ["not_found"],
      handler: async ({ query }, { request }) => {
        const scope = statsScopeOf(principalOf(request), query.provinceCode);
        const overview = await buildOverview({ db: deps.db, places: deps.places(), indicators: await deps.indicators(), threshold: deps.threshold }, { ...query, scope }).catch(statsApiError);
        return { status: 200, body: overview };
      },
    }),
    defineApiRoute({
      method: "GET",
      path: "/api/stats/indicators",
      summary: "Progress on each indicator of a province (or your communes) for a period, per commune",
      description: "The numerator from the aggregates, the denominator from the targets entered for the period's year; a commune without one has no percentage.",
      tags: ["statistics"],
      access: { kind: "staff", permission: "stats:read" },
      input: { query: statsQuerySchema },
      responses: { 200: z.object({ indicators: z.array(indicatorProgressSchema) }) },
      errors: ["not_found"],
      handler: async ({ query }, { request }) => {
        const scope = statsScopeOf(principalOf(request), query.provinceCode);
        const indicators = await deps.indicators();
        const read = { db: deps.db, indicators, places: deps.places(), threshold: deps.threshold };
        const [progress, figures] = await Promise.all([
          indicatorProgress(read, { period: query.period, provinceCode: query.provinceCode, ...(scope.kind === "communes" ? { communeCodes: scope.communeCodes } : {}) }),
          readCommuneFigures(read, query),
        ]).catch(statsApiError);
        const shown = showProgress(progress, figures, scope.kind === "communes" ? { kind: "communes", communeCodes: scope.communeCodes } : { kind: "province" });
        return {
          status: 200,
          body: {
            indicators: shown.map(({ indicator, year, total, communes }) => ({
              id: indicator.id,
              name: indicator.name,
              description: indicator.description,
              unit: indicator.unit,
              denominator: indicator.denominator,
              target: indicator.target,
              year,
              total,
              communes,
            })),
          },
        };
      },
    }),
    defineApiRoute({
      method: "GET",
      path: "/api/stats/report",
      summary: "The periodic report of a province (or your communes) as the office files it, XLSX or CSV",
      tags: ["statistics"],
      access: { kind: "staff", permission: "stats:read" },
      input: { query: statsQuerySchema.extend({ format: z.enum(["xlsx", "csv"]).default("xlsx") }) },
      responses: { 200: fileDownload({ contentTypes: Object.values(reportTypes) }) },
      errors: ["not_found"],
      handler: async ({ query }, { request }) => {
        const principal = principalOf(request);
        const scope = statsScopeOf(principal, query.provinceCode);
        const report = await buildPeriodReport(
          { db: deps.db, indicators: await deps.indicators(), places: deps.places(), threshold: deps.threshold, now: deps.now },
          { period: query.period, provinceCode: query.provinceCode, scope },
        ).catch(statsApiError);
        await deps.audit.record({ accountId: principal.accountId, action: "report-export", target: `report:${report.province.code}:${report.period.key}`, outcome: "ok", detail: { format: query.format, scope: scope.kind } });
        const fileName = `bao-cao-${report.province.code}-${parsePeriod(query.period).name}.${query.format}`;
        const bytes = query.format === "xlsx" ? await reportWorkbook(report) : reportCsv(report);
        return { status: 200, body: { fileName, contentType: reportTypes[query.format], bytes } };
      },
    }),
  ];
}
