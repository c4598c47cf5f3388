import Fastify from "fastify";
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { apiErrorBodySchema, type ApiErrorBody } from "../../../src/http/api/api-error.ts";
import { ApiRouteError, defineApiRoute } from "../../../src/http/api/api-route.ts";
import { uploadedFile } from "../../../src/http/api/read-uploaded-file.ts";
import { registerApi } from "../../../src/http/api/register-api.ts";
import type { HttpServer } from "../../../src/http/http-server.ts";
import { createLogCapture } from "../../support/log-capture.ts";
import { allPermissions, createExampleApp, leakedSecret } from "./example-api.ts";

/** Parses an error answer with the shared schema, so a wrong shape fails the test. */
function errorOf(body: string): ApiErrorBody["error"] {
  return apiErrorBodySchema.strict().parse(JSON.parse(body)).error;
}

const staff = { "x-test-caller": allPermissions };

describe("staff API routes", () => {
  let example: ReturnType<typeof createExampleApp>;

  beforeEach(() => {
    example = createExampleApp();
  });
  afterEach(async () => {
    await example.app.close();
  });

  it("hands the handler parsed, typed input: coerced params, defaulted query, parsed body", async () => {
    const read = await example.app.inject({ method: "GET", url: "/api/help-entries/12?page=3", headers: staff });
    expect(read.statusCode).toBe(200);
    expect(example.seen.input[0]).toEqual({ params: { id: 12 }, query: { language: "vi", page: 3 } });

    const created = await example.app.inject({
      method: "POST",
      url: "/api/help-entries",
      headers: staff,
      payload: { name: "Hội Phụ nữ xã", phone: "0212 3852 000", unexpected: "dropped" },
    });
    expect(created.statusCode).toBe(201);
    expect(example.seen.input[1]).toEqual({ body: { name: "Hội Phụ nữ xã", phone: "0212 3852 000", places: [] } });
  });

  it("sends the answer as its schema describes it: defaults filled, undeclared fields left out", async () => {
    const response = await example.app.inject({ method: "GET", url: "/api/help-entries/12", headers: staff });
    expect(response.json()).toEqual({ id: 12, name: "Trạm y tế xã", phone: "0212 3852 123", verified: false });
    expect(response.body).not.toContain("internalNote");
  });

  it("sends every answer as JSON, a string included", async () => {
    const app: HttpServer = Fastify({ loggerInstance: createLogCapture().logger });
    const route = defineApiRoute({
      method: "GET",
      path: "/api/greeting",
      summary: "s",
      tags: [],
      access: { kind: "public" },
      input: {},
      responses: { 200: z.string() },
      handler: async () => ({ status: 200, body: "xin chào" }),
    });
    registerApi(app, { routes: [route], authorize: async () => undefined, version: "1" });
    const response = await app.inject({ method: "GET", url: "/api/greeting" });
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.json()).toBe("xin chào");
    const entry = await example.app.inject({ method: "GET", url: "/api/help-entries/12", headers: staff });
    expect(entry.headers["content-type"]).toBe("application/json; charset=utf-8");
    await app.close();
  });

  it("sends a file answer as an attachment under its name, and refuses a media type the route does not declare", async () => {
    const response = await example.app.inject({ method: "GET", url: "/api/help-entries/export", headers: staff });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toBe("attachment; filename=\"dia-chi-tro-giup.csv\"; filename*=UTF-8''%C4%91%E1%BB%8Ba-ch%E1%BB%89-tr%E1%BB%A3-gi%C3%BAp.csv");
    expect(response.body).toBe("tên,điện thoại\r\nTrạm y tế xã,0212 3852 123\r\n");
    const undeclared = await example.app.inject({ method: "GET", url: "/api/help-entries/export?as=pdf", headers: staff });
    expect(undeclared.statusCode).toBe(500);
    expect(errorOf(undeclared.body).code).toBe("internal");
  });

  it("answers 204 without a body for a route declaring none", async () => {
    const response = await example.app.inject({ method: "DELETE", url: "/api/help-entries/5", headers: staff });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe("");
    expect(example.seen.input).toEqual([{ params: { id: 5 } }]);
  });

  it("answers invalid params and query with 400 invalid_request naming each field, before the handler runs", async () => {
    const response = await example.app.inject({ method: "GET", url: "/api/help-entries/abc?language=fr&page=0", headers: staff });
    expect(response.statusCode).toBe(400);
    const error = errorOf(response.body);
    expect(error.code).toBe("invalid_request");
    expect(error.details?.map(({ location, path }) => `${location}:${path}`).sort()).toEqual(["params:id", "query:language", "query:page"]);
    expect(error.details?.every((detail) => detail.message.length > 0)).toBe(true);
    expect(example.seen.input).toEqual([]);
  });

  it("answers an invalid body with 400 naming nested fields", async () => {
    const response = await example.app.inject({
      method: "POST",
      url: "/api/help-entries",
      headers: staff,
      payload: { name: "", phone: "call me", places: [{ code: "14", children: [{ code: 7 }] }] },
    });
    expect(response.statusCode).toBe(400);
    const details = errorOf(response.body).details ?? [];
    expect(details.map(({ location, path }) => `${location}:${path}`).sort()).toEqual([
      "body:name",
      "body:phone",
      "body:places.0.children.0.children",
      "body:places.0.children.0.code",
    ]);
    expect(example.seen.input).toEqual([]);
  });

  it("answers a missing body and malformed JSON with 400, never quoting what was sent", async () => {
    const missing = await example.app.inject({ method: "POST", url: "/api/help-entries", headers: staff });
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing.body).details).toEqual([expect.objectContaining({ location: "body", path: "" })]);

    const malformed = await example.app.inject({
      method: "POST",
      url: "/api/help-entries",
      headers: { ...staff, "content-type": "application/json" },
      payload: '{"name": "Nguyễn Thị private text',
    });
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed.body).code).toBe("invalid_request");
    expect(malformed.body).not.toContain("private text");
  });

  it("answers a body over Fastify's limit with 413 and an unknown content type with 415, in the one shape", async () => {
    const tooLarge = await example.app.inject({
      method: "POST",
      url: "/api/help-entries",
      headers: { ...staff, "content-type": "application/json" },
      payload: JSON.stringify({ name: "x".repeat(1_100_000), phone: "123" }),
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(errorOf(tooLarge.body).code).toBe("payload_too_large");

    const wrongType = await example.app.inject({
      method: "POST",
      url: "/api/help-entries",
      headers: { ...staff, "content-type": "application/xml" },
      payload: "<name>x</name>",
    });
    expect(wrongType.statusCode).toBe(415);
    expect(errorOf(wrongType.body).code).toBe("unsupported_media_type");
  });

  it("answers an ApiError from the handler with its status, code and message", async () => {
    const missing = await example.app.inject({ method: "GET", url: "/api/help-entries/404", headers: staff });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing.body)).toEqual({ code: "not_found", message: "No help entry has this id." });

    const conflict = await example.app.inject({ method: "POST", url: "/api/help-entries", headers: staff, payload: { name: "Duplicate", phone: "123" } });
    expect(conflict.statusCode).toBe(409);
    expect(errorOf(conflict.body).code).toBe("conflict");
  });

  it("answers an unexpected error with 500 internal, logging it once and never sending its message", async () => {
    const response = await example.app.inject({ method: "GET", url: "/api/help-entries/500", headers: staff });
    expect(response.statusCode).toBe(500);
    expect(errorOf(response.body)).toEqual({ code: "internal", message: "Something went wrong on the server." });
    expect(response.body).not.toContain("hunter2");
    const failures = example.logs.lines.filter((line) => line.includes("staff API request failed"));
    expect(failures).toHaveLength(1);
    expect(JSON.parse(failures[0] ?? "{}")).toMatchObject({ level: 50, error: { type: "Error" } });
    expect(example.logs.lines.filter((line) => line.includes(leakedSecret.slice(0, 20)))).toHaveLength(1);
  });

  it("answers 500 when a handler's answer does not match its schema, logging which field", async () => {
    const response = await example.app.inject({ method: "GET", url: "/api/help-entries/501", headers: staff });
    expect(response.statusCode).toBe(500);
    expect(errorOf(response.body).code).toBe("internal");
    const failure = example.logs.lines.find((line) => line.includes("staff API request failed"));
    expect(JSON.parse(failure ?? "{}")).toMatchObject({ error: { code: "api:response_invalid", context: { status: 200, fields: ["name"] } } });
  });

  it("answers unknown paths and methods under /api with 404 not_found, and leaves other paths to Fastify", async () => {
    for (const [method, url] of [
      ["GET", "/api/nothing-here"],
      ["GET", "/api/help-entries/1/more"],
      ["PUT", "/api/help-entries/1"],
      ["GET", "/api"],
      ["GET", "/api/"],
    ] as const) {
      const response = await example.app.inject({ method, url, headers: staff });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(errorOf(response.body), `${method} ${url}`).toEqual({ code: "not_found", message: "Nothing was found at this address." });
    }
    const outside = await example.app.inject({ method: "GET", url: "/nothing-here" });
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toEqual({ message: "Route GET:/nothing-here not found", error: "Not Found", statusCode: 404 });
    expect((await example.app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
  });
});

describe("the authorisation hook", () => {
  let example: ReturnType<typeof createExampleApp>;

  beforeEach(() => {
    example = createExampleApp();
  });
  afterEach(async () => {
    await example.app.close();
  });

  it("is called with each route's access before the handler", async () => {
    await example.app.inject({ method: "GET", url: "/api/help-entries/3", headers: staff });
    await example.app.inject({ method: "POST", url: "/api/sessions", payload: { email: "lan@example.org", password: "p" } });
    expect(example.calls).toEqual([
      { url: "/api/help-entries/3", access: { kind: "staff", permission: "directory:read" } },
      { url: "/api/sessions", access: { kind: "public" } },
    ]);
    expect(example.seen.input).toHaveLength(2);
  });

  it("turns its refusals into 401 and 403 in the one shape, and the handler never runs", async () => {
    const anonymous = await example.app.inject({ method: "GET", url: "/api/help-entries/3" });
    expect(anonymous.statusCode).toBe(401);
    expect(errorOf(anonymous.body)).toEqual({ code: "unauthenticated", message: "Sign in to continue." });

    const reader = await example.app.inject({ method: "DELETE", url: "/api/help-entries/3", headers: { "x-test-caller": "directory:read" } });
    expect(reader.statusCode).toBe(403);
    expect(errorOf(reader.body).code).toBe("forbidden");
    expect(example.seen.input).toEqual([]);
  });

  it("refuses before the body is read, so an anonymous caller learns nothing from validation", async () => {
    const response = await example.app.inject({ method: "POST", url: "/api/help-entries", payload: { name: 42 } });
    expect(response.statusCode).toBe(401);
  });

  it("answers rate_limited with 429 and a Retry-After header in whole seconds", async () => {
    const response = await example.app.inject({
      method: "POST",
      url: "/api/sessions",
      headers: { "x-test-limit": "yes" },
      payload: { email: "lan@example.org", password: "p" },
    });
    expect(response.statusCode).toBe(429);
    expect(response.headers["retry-after"]).toBe("30");
    expect(errorOf(response.body)).toEqual({ code: "rate_limited", message: "Too many sign-in attempts." });
  });

  it("lets a handler set headers such as a cookie on the reply", async () => {
    const response = await example.app.inject({ method: "POST", url: "/api/sessions", payload: { email: "lan@example.org", password: "p" } });
    expect(response.statusCode).toBe(200);
    expect(response.headers["set-cookie"]).toBe("loa_session=example; HttpOnly");
    expect(response.json()).toEqual({ account: "lan@example.org" });
  });
});

describe("route declarations", () => {
  const base = { summary: "s", tags: ["t"], access: { kind: "public" } as const, handler: async () => ({ status: 200 as const }) };

  it("are rejected at once when params do not match the path's :params", () => {
    expect(() => defineApiRoute({ ...base, method: "GET", path: "/api/things/:id", input: {}, responses: { 200: null } })).toThrow(ApiRouteError);
    expect(() =>
      defineApiRoute({ ...base, method: "GET", path: "/api/things", input: { params: z.object({ id: z.string() }) }, responses: { 200: null } }),
    ).toThrow(/exactly the path's :params/);
  });

  it("are rejected for a non-2xx status, a GET body, a body with an upload, a bad path or an empty permission", () => {
    expect(() => defineApiRoute({ ...base, method: "GET", path: "/api/things", input: {}, responses: { 200: null, 404: z.object({}) } })).toThrow(/2xx/);
    expect(() => defineApiRoute({ ...base, method: "GET", path: "/api/things", input: { body: z.object({}) }, responses: { 200: null } })).toThrow(/GET route/);
    expect(() =>
      defineApiRoute({
        ...base,
        method: "POST",
        path: "/api/things",
        input: { body: z.object({}), upload: uploadedFile({ maxBytes: 10, allowedExtensions: [".csv"] }) },
        responses: { 200: null },
      }),
    ).toThrow(/not both/);
    expect(() => defineApiRoute({ ...base, method: "POST", path: "/api/things", input: { upload: z.string() }, responses: { 200: null } })).toThrow(/uploadedFile/);
    expect(() => defineApiRoute({ ...base, method: "GET", path: "/api/Things/:id(\\d+)", input: {}, responses: { 200: null } })).toThrow(/lower-case/);
    expect(() =>
      defineApiRoute({ ...base, method: "GET", path: "/api/things", access: { kind: "staff", permission: " " }, input: {}, responses: { 200: null } }),
    ).toThrow(/permission/);
  });

  it("type the handler's input and answers from the schemas", () => {
    const patch = {
      method: "PATCH",
      path: "/api/things/:id",
      summary: "s",
      tags: [],
      access: { kind: "staff", permission: "things:edit" },
      input: { params: z.object({ id: z.coerce.number() }), body: z.object({ label: z.string().optional() }) },
      responses: { 200: z.object({ id: z.number() }), 204: null },
    } as const;
    defineApiRoute({
      ...patch,
      handler: async ({ params, body }) => {
        expectTypeOf(params.id).toEqualTypeOf<number>();
        expectTypeOf(body.label).toEqualTypeOf<string | undefined>();
        return body.label === undefined ? { status: 204 } : { status: 200, body: { id: params.id } };
      },
    });
    // @ts-expect-error -- a status the route does not declare
    defineApiRoute({ ...patch, handler: async ({ params }) => ({ status: 201, body: { id: params.id } }) });
    // @ts-expect-error -- a body that does not match the status's schema
    defineApiRoute({ ...patch, handler: async () => ({ status: 200, body: { id: "one" } }) });
  });

  it("stop registration when a schema cannot be documented", async () => {
    const app: HttpServer = Fastify({ loggerInstance: createLogCapture().logger });
    const route = defineApiRoute({
      method: "GET",
      path: "/api/clock",
      summary: "s",
      tags: [],
      access: { kind: "public" },
      input: {},
      responses: { 200: z.object({ now: z.date() }) },
      handler: async () => ({ status: 200, body: { now: new Date() } }),
    });
    expect(() => registerApi(app, { routes: [route], authorize: async () => undefined, version: "1" })).toThrow(/cannot be described in JSON Schema/);
    await app.close();
  });
});
