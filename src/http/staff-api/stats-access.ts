import { z } from "zod";
import { StaffError } from "../../staff/staff-error.ts";
import { canSeePlace, type StaffPrincipal } from "../../staff/staff-principal.ts";
import type { ReportScope } from "../../stats/period-report.ts";
import { StatsError } from "../../stats/stats-error.ts";
import { ApiError } from "../api/api-error.ts";

/**
 * Whose figures a caller may read for a province: admins and the province's officers read the whole province;
 * a commune team reads its own communes only (every figure then commune-level and protected). Any other
 * province does not exist for her: `not_found`, as for all data outside one's area.
 */
export function statsScopeOf(principal: StaffPrincipal, provinceCode: string): ReportScope {
  if (!canSeePlace(principal, { provinceCode, communeCode: null })) throw new ApiError("not_found", "No statistics of this province in your area.");
  if (principal.role === "commune") return { kind: "communes", communeCodes: principal.communes, teamId: principal.teamId };
  return { kind: "province" };
}

/** A refusal or a bad value from the statistics services, in the API's error shape. */
export function statsApiError(error: unknown): never {
  if (error instanceof StaffError) {
    if (error.code === "staff:not-found") throw new ApiError("not_found", "Nothing with this id or place in your area.");
    if (error.code === "staff:forbidden") throw new ApiError("forbidden", "Your role may not do this.");
  }
  if (error instanceof StatsError || error instanceof StaffError) {
    const path = error.code === "stats:invalid-period" ? "period" : error.code === "stats:unknown-province" ? "provinceCode" : "";
    throw new ApiError("invalid_request", error.message, { details: [{ location: path === "" ? "body" : "query", path, message: error.message }] });
  }
  throw error;
}

/** A count as a view shows it: its value, or hidden (`small`: under `below`; `withheld`: hidden so a small one stays hidden). */
export const shownCountSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("count"), value: z.number().int() }),
    z.object({ kind: z.literal("small"), below: z.number().int() }),
    z.object({ kind: z.literal("withheld") }),
  ])
  .meta({ id: "ShownCount" });

/** The period and province every statistics read names. */
export const statsQuerySchema = z.object({
  period: z.string().min(4).max(12).describe('A period name: "2026-H2", "2026", "2026-Q4", "2026-11" (Viet Nam time)'),
  provinceCode: z.string().min(1).max(20),
});

/** A period as answers describe it. */
export const periodSchema = z
  .object({ name: z.string(), key: z.string(), label: z.string().describe("as reports name it: 6 tháng cuối năm 2026"), firstDay: z.iso.date(), lastDay: z.iso.date() })
  .meta({ id: "StatsPeriod" });

/** Sessions and participants. */
export const sessionCountsSchema = z.object({ sessions: z.number().int(), female: z.number().int(), male: z.number().int(), total: z.number().int() }).meta({ id: "SessionCounts" });
