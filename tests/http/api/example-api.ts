// A small staff API of the tests' own making: routes of every shape the toolkit supports, a fake authorisation
// hook that records its calls, and a helper to build multipart bodies, so the toolkit is tested through Fastify.
import { readFile } from "node:fs/promises";
import Fastify from "fastify";
import { z } from "zod";
import { ApiError } from "../../../src/http/api/api-error.ts";
import { defineApiRoute, type ApiAccess, type ApiRoute } from "../../../src/http/api/api-route.ts";
import { fileDownload } from "../../../src/http/api/file-download.ts";
import { uploadedFile } from "../../../src/http/api/read-uploaded-file.ts";
import { registerApi, type Authorize } from "../../../src/http/api/register-api.ts";
import type { HttpServer } from "../../../src/http/http-server.ts";
import { createLogCapture } from "../../support/log-capture.ts";

/** An answer schema reused by several routes, named with an id so it becomes one shared component. */
export const helpEntrySchema = z
  .object({ id: z.number().int(), name: z.string().min(1), phone: z.string(), verified: z.boolean().default(false) })
  .meta({ id: "HelpEntry" });

/** A recursive schema: a place and the places inside it. */
type PlaceTree = { code: string; children: PlaceTree[] };
const placeTreeSchema: z.ZodType<PlaceTree> = z.object({ code: z.string(), get children() { return z.array(placeTreeSchema); } });

/** What the handlers saw, for the tests to inspect. */
export type Seen = { input: unknown[]; uploads: Array<{ path: string; originalName: string; bytes: number; content: string }> };

/** The secret text an unexpected error carries; it must never reach an answer. */
export const leakedSecret = "database password hunter2 at 10.0.0.5";

export function exampleRoutes(seen: Seen): ApiRoute[] {
  return [
    defineApiRoute({
      method: "GET",
      path: "/api/help-entries/:id",
      summary: "One help entry",
      tags: ["help directory"],
      access: { kind: "staff", permission: "directory:read" },
      input: {
        params: z.object({ id: z.coerce.number().int().positive().describe("The entry's number") }),
        query: z.object({ language: z.enum(["vi", "en"]).default("vi"), page: z.coerce.number().int().min(1).optional() }),
      },
      responses: { 200: helpEntrySchema },
      errors: ["not_found"],
      handler: async ({ params, query }) => {
        seen.input.push({ params, query });
        if (params.id === 404) throw new ApiError("not_found", "No help entry has this id.");
        if (params.id === 500) throw new Error(leakedSecret);
        if (params.id === 501) return { status: 200, body: { id: 501, name: "", phone: "0212 3852 123" } };
        // A stored row with a column callers must not see: the answer schema leaves it out.
        const row = { id: params.id, name: "Trạm y tế xã", phone: "0212 3852 123", internalNote: "not for callers" };
        return { status: 200, body: row };
      },
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/help-entries",
      summary: "Adds a help entry",
      tags: ["help directory"],
      access: { kind: "staff", permission: "directory:edit" },
      input: {
        body: z.object({ name: z.string().min(1).max(200), phone: z.string().regex(/^[0-9 +]{3,20}$/), places: z.array(placeTreeSchema).default([]) }),
      },
      responses: { 201: helpEntrySchema },
      errors: ["conflict"],
      handler: async ({ body }) => {
        seen.input.push({ body });
        if (body.name === "Duplicate") throw new ApiError("conflict", "A help entry with this name already exists.");
        return { status: 201, body: { id: 7, name: body.name, phone: body.phone } };
      },
    }),
    defineApiRoute({
      method: "DELETE",
      path: "/api/help-entries/:id",
      summary: "Removes a help entry",
      tags: ["help directory"],
      access: { kind: "staff", permission: "directory:edit" },
      input: { params: z.object({ id: z.coerce.number().int().positive() }) },
      responses: { 204: null },
      handler: async ({ params }) => {
        seen.input.push({ params });
        return { status: 204 };
      },
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/sessions",
      summary: "Signs in",
      tags: ["accounts"],
      access: { kind: "public" },
      input: { body: z.object({ email: z.email(), password: z.string().min(1) }) },
      responses: { 200: z.object({ account: z.string() }) },
      errors: ["rate_limited"],
      handler: async ({ body }, { reply }) => {
        seen.input.push({ email: body.email });
        reply.header("set-cookie", "loa_session=example; HttpOnly");
        return { status: 200, body: { account: body.email } };
      },
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/help-entries/imports",
      summary: "Imports help entries from a CSV or XLSX file",
      tags: ["help directory"],
      access: { kind: "staff", permission: "directory:import" },
      input: {
        query: z.object({ dryRun: z.enum(["true", "false"]).default("false") }),
        upload: uploadedFile({ maxBytes: 1000, allowedExtensions: [".csv", ".xlsx"] }),
      },
      responses: { 202: z.object({ originalName: z.string(), bytes: z.number() }) },
      handler: async ({ upload, query }) => {
        seen.input.push({ query });
        seen.uploads.push({ ...upload, content: await readFile(upload.path, "utf8") });
        return { status: 202, body: { originalName: upload.originalName, bytes: upload.bytes } };
      },
    }),
    defineApiRoute({
      method: "GET",
      path: "/api/help-entries/export",
      summary: "The help entries as a CSV file",
      tags: ["help directory"],
      access: { kind: "staff", permission: "directory:read" },
      input: { query: z.object({ as: z.enum(["csv", "pdf"]).default("csv") }) },
      responses: { 200: fileDownload({ contentTypes: ["text/csv; charset=utf-8"] }) },
      handler: async ({ query }) => ({
        status: 200,
        body: { fileName: "địa-chỉ-trợ-giúp.csv", contentType: query.as === "csv" ? "text/csv; charset=utf-8" : "application/pdf", bytes: "tên,điện thoại\r\nTrạm y tế xã,0212 3852 123\r\n" },
      }),
    }),
  ];
}

/** The fake hook: refuses a request without `x-test-caller`, and a caller without the route's permission. */
export function recordingAuthorize(calls: Array<{ url: string; access: ApiAccess }>): Authorize {
  return async (request, access) => {
    calls.push({ url: request.url, access });
    if (request.headers["x-test-limit"] === "yes") throw new ApiError("rate_limited", "Too many sign-in attempts.", { retryAfterSeconds: 29.2 });
    if (access.kind === "public") return;
    const caller = request.headers["x-test-caller"];
    if (typeof caller !== "string") throw new ApiError("unauthenticated", "Sign in to continue.");
    if (!caller.split(",").includes(access.permission)) throw new ApiError("forbidden", "You are not allowed to do this.");
  };
}

/** A Fastify app with the example API and one route outside `/api`, as the HTTP server would have. */
export function createExampleApp() {
  const logs = createLogCapture();
  const seen: Seen = { input: [], uploads: [] };
  const calls: Array<{ url: string; access: ApiAccess }> = [];
  const app: HttpServer = Fastify({ loggerInstance: logs.logger });
  app.get("/healthz", async () => ({ status: "ok" }));
  registerApi(app, { routes: exampleRoutes(seen), authorize: recordingAuthorize(calls), version: "9.8.7" });
  return { app, logs, seen, calls };
}

/** All permissions of the example routes, for a caller allowed everything. */
export const allPermissions = "directory:read,directory:edit,directory:import";

/** A multipart/form-data body with the given files and fields. */
export function multipartBody(parts: Array<{ field: string; filename?: string; content: string | Buffer }>) {
  const boundary = "----loa-test-boundary-7d1f";
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.filename === undefined ? `form-data; name="${part.field}"` : `form-data; name="${part.field}"; filename="${part.filename}"`;
    const type = part.filename === undefined ? "" : "Content-Type: application/octet-stream\r\n";
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.content), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}
