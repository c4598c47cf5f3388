import { basename } from "node:path";
import { z } from "zod";
import type { CoverageReport } from "../../content/content-coverage.ts";
import { PlaceImportError, readPlaceFile } from "../../places/place-importer.ts";
import { loadPlaceRecords, replacePlaces } from "../../places/place-store.ts";
import type { AuditLog } from "../../staff/audit-log.ts";
import type { DatabaseClient } from "../../store/database.ts";
import { ApiError, type ApiErrorDetail } from "../api/api-error.ts";
import { defineApiRoute, type ApiRoute } from "../api/api-route.ts";
import { uploadedFile } from "../api/read-uploaded-file.ts";
import { principalOf } from "./staff-access.ts";

const provinceSchema = z
  .object({ code: z.string(), name: z.string(), unitType: z.string(), communes: z.number().int(), sampleCommunes: z.number().int() })
  .meta({ id: "Province" });

const communeSchema = z
  .object({ code: z.string(), name: z.string(), unitType: z.string(), sample: z.boolean(), formerDistricts: z.array(z.string()) })
  .meta({ id: "Commune" });

const localeCoverageSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    nameVi: z.string(),
    status: z.enum(["draft", "reviewed"]),
    offered: z.boolean(),
    text: z.number().int(),
    reviewed: z.number().int(),
    outdated: z.number().int(),
    audio: z.number().int(),
  })
  .meta({ id: "LocaleCoverage" });

/**
 * Read-mostly reference data: the places (any staff member may read the whole list; only admins import the
 * official one) and how far each language's content is.
 */
export function referenceRoutes(deps: { db: DatabaseClient; audit: AuditLog; coverage: () => Promise<CoverageReport>; afterPlacesChanged: () => Promise<unknown> }): ApiRoute[] {
  return [
    defineApiRoute({
      method: "GET",
      path: "/api/places/provinces",
      summary: "The provinces, with how many communes each has in the stored list",
      tags: ["places"],
      access: { kind: "staff", permission: "places:read" },
      input: {},
      responses: { 200: z.object({ provinces: z.array(provinceSchema) }) },
      handler: async () => {
        const records = await loadPlaceRecords(deps.db);
        const provinces = records
          .filter((record) => record.level === "province")
          .map((province) => {
            const communes = records.filter((record) => record.provinceCode === province.code);
            return { code: province.code, name: province.name, unitType: province.unitType, communes: communes.length, sampleCommunes: communes.filter((record) => record.sample).length };
          });
        return { status: 200, body: { provinces } };
      },
    }),
    defineApiRoute({
      method: "GET",
      path: "/api/places/provinces/:code/communes",
      summary: "The communes of one province",
      tags: ["places"],
      access: { kind: "staff", permission: "places:read" },
      input: { params: z.object({ code: z.string().max(20) }) },
      responses: { 200: z.object({ communes: z.array(communeSchema) }) },
      errors: ["not_found"],
      handler: async ({ params }) => {
        const records = await loadPlaceRecords(deps.db);
        if (!records.some((record) => record.level === "province" && record.code === params.code)) throw new ApiError("not_found", "No province with this code.");
        const communes = records
          .filter((record) => record.provinceCode === params.code)
          .map((record) => ({ code: record.code, name: record.name, unitType: record.unitType, sample: record.sample, formerDistricts: record.formerDistricts }));
        return { status: 200, body: { communes } };
      },
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/places/imports",
      summary: "Import the official list of administrative units (CSV or XLSX), all or nothing",
      description: "Replaces the shipped sample communes; stored places the file does not list stay.",
      tags: ["places"],
      access: { kind: "staff", permission: "places:import" },
      input: { query: z.object({ dryRun: z.enum(["true", "false"]).default("false") }), upload: uploadedFile({ maxBytes: 20_000_000, allowedExtensions: [".csv", ".xlsx"] }) },
      responses: { 200: z.object({ provinces: z.number().int(), communes: z.number().int(), written: z.boolean(), sampleRowsRemoved: z.number().int() }) },
      handler: async ({ query, upload }, { request }) => {
        const principal = principalOf(request);
        const known = (await loadPlaceRecords(deps.db)).filter((record) => record.level === "province");
        try {
          const parsed = await readPlaceFile(upload.path, known);
          if (query.dryRun === "true") return { status: 200, body: { provinces: parsed.provinces.length, communes: parsed.communes.length, written: false, sampleRowsRemoved: 0 } };
          const result = await replacePlaces(deps.db, [...parsed.provinces, ...parsed.communes], basename(upload.originalName));
          await deps.audit.record({ accountId: principal.accountId, action: "places-import", target: "places", outcome: "ok", detail: { provinces: parsed.provinces.length, communes: parsed.communes.length } });
          await deps.afterPlacesChanged();
          return { status: 200, body: { provinces: parsed.provinces.length, communes: parsed.communes.length, written: true, sampleRowsRemoved: result.sampleRowsRemoved } };
        } catch (error) {
          if (!(error instanceof PlaceImportError)) throw error;
          const details: ApiErrorDetail[] = error.problems.map((problem) => ({
            location: "upload",
            path: problem.column === null ? `row ${problem.row}` : `row ${problem.row}, ${problem.column}`,
            message: problem.message,
          }));
          throw new ApiError("invalid_request", "The file has problems; nothing was imported.", { details });
        }
      },
    }),
    defineApiRoute({
      method: "GET",
      path: "/api/content/coverage",
      summary: "How far each language's text and voice notes are, and which languages are offered",
      tags: ["content"],
      access: { kind: "staff", permission: "content:read" },
      input: {},
      responses: { 200: z.object({ keys: z.number().int(), locales: z.array(localeCoverageSchema) }) },
      handler: async () => {
        const report = await deps.coverage();
        return { status: 200, body: { keys: report.keys.length, locales: report.locales } };
      },
    }),
  ];
}
