import { z } from "zod";
import { directoryKindSchema, type DirectoryEntry } from "../../directory/directory-entry.ts";
import { helpEntryColumns } from "../../directory/help-entry-columns.ts";
import { HelpEntryImportError } from "../../directory/help-entry-import.ts";
import { topicSchema } from "../../engine/flow-schema.ts";
import { StaffError } from "../../staff/staff-error.ts";
import type { StaffDirectory, StaffViewOfEntry } from "../../staff/staff-directory.ts";
import { ApiError, type ApiErrorDetail } from "../api/api-error.ts";
import { defineApiRoute, type ApiRoute } from "../api/api-route.ts";
import { uploadedFile } from "../api/read-uploaded-file.ts";
import { principalOf } from "./staff-access.ts";

/** A help entry as the API shows it; `name` of a national number is its Vietnamese name. */
export const helpEntrySchema = z
  .object({
    id: z.string(),
    origin: z.enum(["file", "staff"]).describe("file: a national number shipped with Loa; staff: imported by staff"),
    kind: directoryKindSchema,
    name: z.string(),
    phone: z.string(),
    address: z.string().optional(),
    scope: z.enum(["national", "province", "commune"]),
    provinceCode: z.string().optional(),
    communeCode: z.string().optional(),
    hours: z.string(),
    free: z.union([z.boolean(), z.literal("unknown")]),
    languages: z.array(z.string()),
    topics: z.array(topicSchema),
    emergency: z.boolean(),
    verifiedOn: z.iso.date(),
    source: z.string(),
    stale: z.boolean().describe("not verified within DIRECTORY_STALE_MONTHS"),
    canEdit: z.boolean().describe("whether the caller may change it"),
  })
  .meta({ id: "HelpEntry" });

/** A local entry as sent to create or change one; checked by the same rules as a spreadsheet import. */
const helpEntryInputSchema = z
  .object({
    kind: directoryKindSchema,
    name: z.string().min(1).max(300),
    phone: z.string().min(1).max(40),
    address: z.string().max(300).optional(),
    provinceCode: z.string().min(1).max(20),
    communeCode: z.string().max(20).optional(),
    hours: z.string().max(300).optional(),
    free: z.enum(["yes", "no", "unknown"]).optional(),
    languages: z.array(z.string().regex(/^[a-z]{3}$/)).optional(),
    topics: z.array(topicSchema).min(1),
    emergency: z.boolean().optional(),
    verifiedOn: z.iso.date(),
    source: z.string().min(1).max(300),
  })
  .strict()
  .meta({ id: "HelpEntryInput" });

const importReportSchema = z.object({ added: z.number().int(), updated: z.number().int(), written: z.boolean() }).meta({ id: "ImportReport" });

/** The import's column values of a JSON entry, so one set of rules checks spreadsheets, forms and the API. */
function columnValues(id: string | undefined, input: z.output<typeof helpEntryInputSchema>): Record<string, string> {
  const fields: Record<string, string> = {
    id: id ?? "",
    kind: input.kind,
    name: input.name,
    phone: input.phone,
    address: input.address ?? "",
    provinceCode: input.provinceCode,
    communeCode: input.communeCode ?? "",
    hours: input.hours ?? "",
    free: input.free ?? "",
    languages: (input.languages ?? []).join(", "),
    topics: input.topics.join(", "),
    emergency: input.emergency === undefined ? "" : input.emergency ? "yes" : "no",
    verifiedOn: input.verifiedOn,
    source: input.source,
  };
  return Object.fromEntries(helpEntryColumns.map((column) => [column.header, fields[column.field] ?? ""]));
}

const fieldOfHeader = new Map(helpEntryColumns.map((column) => [column.header, column.field]));

/** Routes for the help directory; `nameOf` gives a national number's Vietnamese name. */
export function directoryRoutes(deps: { directory: StaffDirectory; nameOf: (entry: DirectoryEntry) => string }): ApiRoute[] {
  const body = (item: StaffViewOfEntry): z.input<typeof helpEntrySchema> => ({
    ...item.entry,
    name: deps.nameOf(item.entry),
    hours: item.entry.hours,
    stale: item.stale,
    canEdit: item.canEdit,
  });
  const notFound = (error: unknown): never => {
    if (error instanceof StaffError && error.code === "staff:not-found") throw new ApiError("not_found", "No help entry with this id in your area.");
    throw error;
  };
  const save = async (principal: Parameters<StaffDirectory["save"]>[0], id: string | undefined, input: z.output<typeof helpEntryInputSchema>) => {
    const result = await deps.directory.save(principal, columnValues(id, input));
    if ("problems" in result) {
      const details: ApiErrorDetail[] = result.problems.map((problem) => ({
        location: "body",
        path: problem.column === undefined ? "entry" : (fieldOfHeader.get(problem.column) ?? problem.column),
        message: problem.message,
      }));
      throw new ApiError("invalid_request", "The entry has problems; nothing was saved.", { details });
    }
    return body({ entry: result.entry, stale: false, canEdit: true });
  };
  return [
    defineApiRoute({
      method: "GET",
      path: "/api/help-entries",
      summary: "Help entries of your area, then the national numbers",
      tags: ["help directory"],
      access: { kind: "staff", permission: "directory:read" },
      input: { query: z.object({ provinceCode: z.string().max(20).optional(), staleOnly: z.enum(["true", "false"]).default("false") }) },
      responses: { 200: z.object({ entries: z.array(helpEntrySchema) }) },
      handler: async ({ query }, { request }) => {
        const items = await deps.directory.list(principalOf(request), { ...(query.provinceCode === undefined ? {} : { provinceCode: query.provinceCode }), staleOnly: query.staleOnly === "true" });
        return { status: 200, body: { entries: items.map(body) } };
      },
    }),
    defineApiRoute({
      method: "GET",
      path: "/api/help-entries/:id",
      summary: "One help entry",
      tags: ["help directory"],
      access: { kind: "staff", permission: "directory:read" },
      input: { params: z.object({ id: z.string().max(120) }) },
      responses: { 200: helpEntrySchema },
      errors: ["not_found"],
      handler: async ({ params }, { request }) => ({ status: 200, body: body(await deps.directory.get(principalOf(request), params.id).catch(notFound)) }),
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/help-entries",
      summary: "Add a local help entry in your area",
      tags: ["help directory"],
      access: { kind: "staff", permission: "directory:write" },
      input: { body: helpEntryInputSchema },
      responses: { 201: helpEntrySchema },
      handler: async ({ body: input }, { request }) => ({ status: 201, body: await save(principalOf(request), undefined, input) }),
    }),
    defineApiRoute({
      method: "PUT",
      path: "/api/help-entries/:id",
      summary: "Change a local help entry in your area",
      tags: ["help directory"],
      access: { kind: "staff", permission: "directory:write" },
      input: { params: z.object({ id: z.string().max(120) }), body: helpEntryInputSchema },
      responses: { 200: helpEntrySchema },
      errors: ["not_found"],
      handler: async ({ params, body: input }, { request }) => {
        const principal = principalOf(request);
        const existing = await deps.directory.get(principal, params.id).catch(notFound);
        if (!existing.canEdit) throw new ApiError("forbidden", "You may not change this entry.");
        return { status: 200, body: await save(principal, params.id, input) };
      },
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/help-entries/imports",
      summary: "Import local help entries from a CSV or XLSX file, all or nothing",
      description: "Every row is checked; with any problem nothing is written and every problem is listed with its row and column.",
      tags: ["help directory"],
      access: { kind: "staff", permission: "directory:write" },
      input: { query: z.object({ dryRun: z.enum(["true", "false"]).default("false") }), upload: uploadedFile({ maxBytes: 5_000_000, allowedExtensions: [".csv", ".xlsx"] }) },
      responses: { 200: importReportSchema },
      handler: async ({ query, upload }, { request }) => {
        try {
          const report = await deps.directory.import(principalOf(request), upload.path, query.dryRun === "true");
          return { status: 200, body: { added: report.added, updated: report.updated, written: report.written } };
        } catch (error) {
          if (!(error instanceof HelpEntryImportError)) throw error;
          const details: ApiErrorDetail[] = error.problems.map((problem) => ({
            location: "upload",
            path: problem.column === undefined ? `row ${problem.row}` : `row ${problem.row}, ${problem.column}`,
            message: problem.message,
          }));
          throw new ApiError("invalid_request", "The file has problems; nothing was imported.", { details });
        }
      },
    }),
  ];
}
