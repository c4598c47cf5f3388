// Indicator targets: the population each commune is measured against for an indicator in a year (the
// denominator), entered by staff one by one or from a spreadsheet, only for communes of their area, and audited.
import { z } from "zod";
import type { ImportProblem } from "../directory/help-entry-table.ts";
import type { PlaceLookup } from "../engine/place-lookup.ts";
import type { AuditLog } from "../staff/audit-log.ts";
import { StaffError } from "../staff/staff-error.ts";
import { canManagePlace, canSeePlace, hasPermission, type StaffPrincipal } from "../staff/staff-principal.ts";
import type { DatabaseClient } from "../store/database.ts";
import { readTableFile, writeTableFile } from "../tables/table-file.ts";
import type { Indicator } from "./indicators.ts";
import { maxTargetPopulation, readTargetTable, targetHeaderRow, targetRow, type TargetChecks, type TargetRow } from "./indicator-targets-table.ts";
import { StatsError } from "./stats-error.ts";

/** A stored target, with who set it last and when. */
export type IndicatorTarget = TargetRow & { updatedBy: string; updatedAt: Date };

/** What staff send to set one target; checked the same way as a spreadsheet row. */
export const targetInputSchema = z
  .object({
    indicatorId: z.string().min(1).max(60),
    communeCode: z.string().min(1).max(20),
    year: z.number().int().min(2000).max(2100),
    population: z.number().int().min(1).max(maxTargetPopulation),
  })
  .strict();

/** What staff send to set one target. */
export type TargetInput = z.infer<typeof targetInputSchema>;

/** Which targets to list: a year, and optionally one province or indicator. */
export type TargetFilter = { year?: number; provinceCode?: string; indicatorId?: string };

/** A target file with problems; nothing was written. `problems` name the sheet's rows and columns. */
export class TargetImportError extends StatsError {
  constructor(
    readonly file: string,
    readonly problems: readonly ImportProblem[],
  ) {
    super(`${file}: ${problems.length} problem(s); nothing was imported`, "stats:targets-invalid", { context: { file, problems: problems.length } });
  }
}

/** What an import did, or (dry run) would do. */
export type TargetImportSummary = { added: number; updated: number; written: boolean };

const placeOf = (target: { provinceCode: string; communeCode: string }) => ({ provinceCode: target.provinceCode, communeCode: target.communeCode });

/**
 * The targets service for the console, the API and the report: staff with `targets:write` set targets for
 * communes they manage (`canManagePlace`); everyone with `stats:read` lists those of communes she may see. Every
 * change and export is written to the audit log with counts, never the figures themselves.
 */
export function createIndicatorTargets(deps: { db: DatabaseClient; places: () => PlaceLookup; indicators: () => Promise<readonly Indicator[]>; audit: AuditLog; now: () => Date }) {
  const require = (principal: StaffPrincipal, permission: "stats:read" | "targets:write") => {
    if (!hasPermission(principal, permission)) throw new StaffError(`${principal.role} may not ${permission}`, "staff:forbidden", { permission });
  };
  const checksFor = async (principal: StaffPrincipal): Promise<TargetChecks> => {
    const indicators = new Map((await deps.indicators()).map((indicator) => [indicator.id, indicator]));
    const places = deps.places();
    return {
      indicatorProblem: (id) => {
        const indicator = indicators.get(id);
        if (indicator === undefined) return `"${id}" is not an indicator of content/indicators.yaml; the ids are: ${[...indicators.keys()].join(", ")}`;
        return indicator.denominator === null ? `"${id}" counts people only and takes no target population` : undefined;
      },
      provinceOf: (code) => {
        const place = places.find(code);
        return place?.provinceCode ?? undefined;
      },
      refusal: (target) => (canManagePlace(principal, placeOf(target)) ? undefined : "outside your area"),
    };
  };
  const save = async (targets: readonly TargetRow[], accountId: string) => {
    const updatedAt = deps.now();
    await deps.db.$transaction(
      targets.map((target) =>
        deps.db.indicatorTarget.upsert({
          where: { indicatorId_communeCode_year: { indicatorId: target.indicatorId, communeCode: target.communeCode, year: target.year } },
          create: { ...target, updatedBy: accountId, updatedAt },
          update: { provinceCode: target.provinceCode, population: target.population, updatedBy: accountId, updatedAt },
        }),
      ),
    );
  };
  const stored = async (filter: TargetFilter): Promise<IndicatorTarget[]> =>
    deps.db.indicatorTarget.findMany({
      where: {
        ...(filter.year === undefined ? {} : { year: filter.year }),
        ...(filter.provinceCode === undefined ? {} : { provinceCode: filter.provinceCode }),
        ...(filter.indicatorId === undefined ? {} : { indicatorId: filter.indicatorId }),
      },
      orderBy: [{ year: "asc" }, { indicatorId: "asc" }, { communeCode: "asc" }],
    });

  const list = async (principal: StaffPrincipal, filter: TargetFilter = {}): Promise<IndicatorTarget[]> => {
    require(principal, "stats:read");
    return (await stored(filter)).filter((target) => canSeePlace(principal, placeOf(target)));
  };

  return {
    /** Targets of communes she may see, by year, indicator and commune. */
    list,

    /**
     * Sets one commune's target for an indicator and year. Throws a StatsError for an unknown indicator or
     * commune, or one that takes no target, and a `staff:not-found` StaffError for a commune outside her area.
     */
    async set(principal: StaffPrincipal, input: TargetInput): Promise<IndicatorTarget> {
      require(principal, "targets:write");
      const checks = await checksFor(principal);
      const indicatorProblem = checks.indicatorProblem(input.indicatorId);
      if (indicatorProblem !== undefined) throw new StatsError(indicatorProblem, "stats:unknown-indicator", { context: { indicatorId: input.indicatorId } });
      const provinceCode = checks.provinceOf(input.communeCode);
      if (provinceCode === undefined) throw new StatsError(`"${input.communeCode}" is not a commune code in the place list`, "stats:unknown-commune", { context: { communeCode: input.communeCode } });
      const target: TargetRow = { ...input, provinceCode };
      if (checks.refusal(target) !== undefined) throw new StaffError(`commune ${input.communeCode} is outside her area`, "staff:not-found", { communeCode: input.communeCode });
      await save([target], principal.accountId);
      await deps.audit.record({ accountId: principal.accountId, action: "targets-changed", target: `indicator-target:${input.indicatorId}:${input.communeCode}:${input.year}`, outcome: "ok" });
      return { ...target, updatedBy: principal.accountId, updatedAt: deps.now() };
    },

    /**
     * Imports a CSV or XLSX file of targets, all or nothing: one problem in any row throws a TargetImportError
     * listing every problem by the sheet's row number, and nothing is written. With `dryRun` nothing is written.
     */
    async import(principal: StaffPrincipal, file: string, dryRun: boolean): Promise<TargetImportSummary> {
      require(principal, "targets:write");
      const { targets, problems } = readTargetTable(await readTableFile(file), await checksFor(principal));
      if (problems.length > 0) {
        await deps.audit.record({ accountId: principal.accountId, action: "targets-import", target: "indicator-targets", outcome: "refused", detail: { problems: problems.length } });
        throw new TargetImportError(file, problems);
      }
      const existing = new Set((await stored({})).map((target) => `${target.indicatorId}|${target.communeCode}|${target.year}`));
      const added = targets.filter((target) => !existing.has(`${target.indicatorId}|${target.communeCode}|${target.year}`)).length;
      if (!dryRun) {
        await save(targets, principal.accountId);
        await deps.audit.record({ accountId: principal.accountId, action: "targets-import", target: "indicator-targets", outcome: "ok", detail: { added, updated: targets.length - added } });
      }
      return { added, updated: targets.length - added, written: !dryRun };
    },

    /** Writes the targets she may see to a CSV or XLSX file (by its extension) in the columns import reads; audited. */
    async export(principal: StaffPrincipal, file: string, filter: TargetFilter = {}): Promise<number> {
      const targets = await list(principal, filter);
      const names = new Map((await deps.indicators()).map((indicator) => [indicator.id, indicator.name.vi]));
      const places = deps.places();
      const communeName = (code: string) => {
        const place = places.find(code);
        return place === undefined ? "" : places.displayName(place);
      };
      await writeTableFile(file, [targetHeaderRow(), ...targets.map((target) => targetRow(target, { indicator: names.get(target.indicatorId) ?? "", commune: communeName(target.communeCode) }))], "Mẫu số chỉ tiêu");
      await deps.audit.record({ accountId: principal.accountId, action: "targets-export", target: "indicator-targets", outcome: "ok", detail: { targets: targets.length } });
      return targets.length;
    },
  };
}

/** The targets service's interface, for code that is handed one. */
export type IndicatorTargets = ReturnType<typeof createIndicatorTargets>;
