import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { TargetImportError, targetInputSchema, type IndicatorTarget, type IndicatorTargets } from "../../stats/indicator-targets.ts";
import { ApiError, type ApiErrorDetail } from "../api/api-error.ts";
import { defineApiRoute, type ApiRoute } from "../api/api-route.ts";
import { fileDownload } from "../api/file-download.ts";
import { uploadedFile } from "../api/read-uploaded-file.ts";
import { principalOf } from "./staff-access.ts";
import { statsApiError } from "./stats-access.ts";

const targetSchema = z
  .object({
    indicatorId: z.string(),
    provinceCode: z.string(),
    communeCode: z.string(),
    year: z.number().int(),
    population: z.number().int().describe("the target population: the indicator's denominator in this commune and year"),
    updatedBy: z.string(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "IndicatorTarget" });

const filterSchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  provinceCode: z.string().min(1).max(20).optional(),
  indicatorId: z.string().min(1).max(60).optional(),
});

const fileTypes = { xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", csv: "text/csv; charset=utf-8" } as const;

function body(target: IndicatorTarget): z.input<typeof targetSchema> {
  return { ...target, updatedAt: target.updatedAt.toISOString() };
}

/**
 * Indicator targets (each commune's target population per indicator and year): everyone with `stats:read` lists
 * and exports those of her area; province officers and admins set them one by one or import a file.
 */
export function statsTargetRoutes(deps: { targets: IndicatorTargets }): ApiRoute[] {
  return [
    defineApiRoute({
      method: "GET",
      path: "/api/stats/targets",
      summary: "Target populations of the communes you may see",
      tags: ["statistics"],
      access: { kind: "staff", permission: "stats:read" },
      input: { query: filterSchema },
      responses: { 200: z.object({ targets: z.array(targetSchema) }) },
      handler: async ({ query }, { request }) => {
        const targets = await deps.targets.list(principalOf(request), query).catch(statsApiError);
        return { status: 200, body: { targets: targets.map(body) } };
      },
    }),
    defineApiRoute({
      method: "PUT",
      path: "/api/stats/targets",
      summary: "Set one commune's target population for an indicator and year",
      tags: ["statistics"],
      access: { kind: "staff", permission: "targets:write" },
      input: { body: targetInputSchema },
      responses: { 200: targetSchema },
      errors: ["not_found"],
      handler: async ({ body: input }, { request }) => ({ status: 200, body: body(await deps.targets.set(principalOf(request), input).catch(statsApiError)) }),
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/stats/targets/imports",
      summary: "Import target populations from a CSV or XLSX file, all or nothing",
      description: "Columns: mã chỉ tiêu, mã xã, năm, mẫu số. Every row is checked; with any problem nothing is written and every problem is listed with its row and column.",
      tags: ["statistics"],
      access: { kind: "staff", permission: "targets:write" },
      input: { query: z.object({ dryRun: z.enum(["true", "false"]).default("false") }), upload: uploadedFile({ maxBytes: 5_000_000, allowedExtensions: [".csv", ".xlsx"] }) },
      responses: { 200: z.object({ added: z.number().int(), updated: z.number().int(), written: z.boolean() }) },
      handler: async ({ query, upload }, { request }) => {
        try {
          return { status: 200, body: await deps.targets.import(principalOf(request), upload.path, query.dryRun === "true") };
        } catch (error) {
          if (!(error instanceof TargetImportError)) throw error;
          const details: ApiErrorDetail[] = error.problems.map((problem) => ({
            location: "upload",
            path: problem.column === undefined ? `row ${problem.row}` : `row ${problem.row}, ${problem.column}`,
            message: problem.message,
          }));
          throw new ApiError("invalid_request", "The file has problems; nothing was imported.", { details });
        }
      },
    }),
    defineApiRoute({
      method: "GET",
      path: "/api/stats/targets/export",
      summary: "The target populations you may see, as a CSV or XLSX file in the columns import reads",
      tags: ["statistics"],
      access: { kind: "staff", permission: "stats:read" },
      input: { query: filterSchema.extend({ format: z.enum(["xlsx", "csv"]).default("xlsx") }) },
      responses: { 200: fileDownload({ contentTypes: Object.values(fileTypes) }) },
      handler: async ({ query }, { request }) => {
        const { format, ...filter } = query;
        const folder = await mkdtemp(join(tmpdir(), "loa-targets-"));
        try {
          const file = join(folder, `mau-so-chi-tieu.${format}`);
          await deps.targets.export(principalOf(request), file, filter).catch(statsApiError);
          return { status: 200, body: { fileName: `mau-so-chi-tieu.${format}`, contentType: fileTypes[format], bytes: await readFile(file) } };
        } finally {
          await rm(folder, { recursive: true, force: true });
        }
      },
    }),
  ];
}
