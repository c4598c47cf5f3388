import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineApiRoute } from "../../../src/http/api/api-route.ts";
import { createOpenApiDocument, OpenApiDocumentError } from "../../../src/http/api/openapi-document.ts";
import { createExampleApp, exampleRoutes } from "./example-api.ts";

// The parts of OpenAPI 3.1 the staff API uses, written from the specification: the served document must parse.
const schemaObject = z.record(z.string(), z.unknown());
const reference = z.object({ $ref: z.string().startsWith("#/") }).strict();
const response = z.object({
  description: z.string().min(1),
  content: z.record(z.string(), z.object({ schema: schemaObject })).optional(),
  headers: z.record(z.string(), z.object({ description: z.string(), schema: schemaObject })).optional(),
});
const parameter = z.object({
  name: z.string().min(1),
  in: z.enum(["path", "query", "header", "cookie"]),
  required: z.boolean(),
  schema: schemaObject,
  description: z.string().optional(),
});
const operation = z.object({
  operationId: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
  summary: z.string().min(1),
  description: z.string().optional(),
  tags: z.array(z.string()),
  security: z.array(z.record(z.string(), z.array(z.string()))),
  parameters: z.array(parameter),
  requestBody: z.object({ required: z.boolean(), content: z.record(z.string(), z.object({ schema: schemaObject })) }).optional(),
  responses: z.record(z.string().regex(/^[1-5][0-9][0-9]$/), z.union([reference, response])).refine((all) => Object.keys(all).length > 0),
  "x-loa-access": z.union([z.object({ kind: z.literal("public") }), z.object({ kind: z.literal("staff"), permission: z.string() })]),
});
const openApiDocument = z.object({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.object({ title: z.string(), version: z.string(), description: z.string().optional() }),
  servers: z.array(z.object({ url: z.string() })).min(1),
  paths: z.record(z.string().regex(/^\/api\//), z.partialRecord(z.enum(["get", "put", "post", "delete", "patch"]), operation)),
  components: z.object({
    schemas: z.record(z.string().regex(/^[A-Za-z0-9._-]+$/), schemaObject),
    responses: z.record(z.string(), response),
    securitySchemes: z.record(z.string(), z.object({ type: z.enum(["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"]) }).passthrough()),
  }),
});

type Document = z.infer<typeof openApiDocument>;

/** Every `$ref` in a JSON value, with where it was found. */
function referencesIn(value: unknown, at: string, found: Array<{ ref: string; at: string }>): Array<{ ref: string; at: string }> {
  if (Array.isArray(value)) value.forEach((item: unknown, index) => referencesIn(item, `${at}/${index}`, found));
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") found.push({ ref: item, at });
      else referencesIn(item, `${at}/${key}`, found);
    }
  }
  return found;
}

/** Follows a local JSON pointer (`#/a/b`), undefined when any step is missing. */
function resolve(document: unknown, ref: string): unknown {
  let current: unknown = document;
  for (const step of ref.slice(2).split("/").map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, step)) return undefined;
    current = Object.entries(current).find(([key]) => key === step)?.[1];
  }
  return current;
}

describe("the OpenAPI document", () => {
  const example = createExampleApp();
  const routes = exampleRoutes({ input: [], uploads: [] });
  let document: Document;
  let raw: unknown;

  beforeAll(async () => {
    const served = await example.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(served.statusCode).toBe(200);
    expect(served.headers["content-type"]).toMatch(/^application\/json/);
    raw = served.json();
    document = openApiDocument.parse(raw);
  });
  afterAll(async () => {
    await example.app.close();
  });

  it("is served without signing in, and names the API, its version and a relative server", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.info).toMatchObject({ title: "Loa staff API", version: "9.8.7" });
    expect(document.servers).toEqual([{ url: "/" }]);
    expect(example.calls).toEqual([]);
  });

  it("lists every declared route with its method, and nothing else but itself", () => {
    const listed = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    const declared = routes.map((route) => `${route.method} ${route.path.replace(/:([A-Za-z0-9]+)/g, "{$1}")}`);
    expect(listed.sort()).toEqual([...declared, "GET /api/openapi.json"].sort());
    expect(new Set(Object.values(document.paths).flatMap((operations) => Object.values(operations).map((op) => op.operationId))).size).toBe(listed.length);
    expect(document.paths["/api/help-entries/{id}"]?.get?.operationId).toBe("getHelpEntriesById");
  });

  it("lists exactly the path's params as required path parameters, and the query's keys as query parameters", () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      for (const [method, op] of Object.entries(operations)) {
        const pathParameters = op.parameters.filter((p) => p.in === "path");
        expect(pathParameters.map((p) => p.name).sort(), `${method} ${path}`).toEqual(inPath.sort());
        expect(pathParameters.every((p) => p.required), `${method} ${path}`).toBe(true);
      }
    }
    const getEntry = document.paths["/api/help-entries/{id}"]?.get;
    expect(getEntry?.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: expect.objectContaining({ type: "integer", exclusiveMinimum: 0 }), description: "The entry's number" },
      { name: "language", in: "query", required: false, schema: expect.objectContaining({ enum: ["vi", "en"], default: "vi" }) },
      { name: "page", in: "query", required: false, schema: expect.objectContaining({ type: "integer", minimum: 1 }) },
    ]);
  });

  it("resolves every $ref inside the document, shared and recursive schemas included", () => {
    const references = referencesIn(raw, "#", []);
    const unresolved = references.filter(({ ref }) => resolve(raw, ref) === undefined);
    expect(unresolved).toEqual([]);
    const targets = new Set(references.map(({ ref }) => ref));
    expect(targets).toContain("#/components/schemas/HelpEntry");
    expect(targets).toContain("#/components/schemas/ApiError");
    expect(targets).toContain("#/components/schemas/postHelpEntries.body.schema0");
    expect(JSON.stringify(raw)).not.toContain("#/$defs/");
    expect(JSON.stringify(raw)).not.toContain('"$schema"');
  });

  it("describes requests as zod accepts them and answers as handlers send them", () => {
    const create = document.paths["/api/help-entries"]?.post;
    expect(create?.requestBody?.required).toBe(true);
    const body = create?.requestBody?.content["application/json"]?.schema;
    expect(body).toMatchObject({ type: "object", required: ["name", "phone"] });
    expect(body).not.toHaveProperty("additionalProperties");
    expect(create?.responses["201"]).toEqual({
      description: "Created",
      content: { "application/json": { schema: { $ref: "#/components/schemas/HelpEntry" } } },
    });
    expect(document.components.schemas.HelpEntry).toMatchObject({ required: ["id", "name", "phone", "verified"], additionalProperties: false });
    expect(document.paths["/api/help-entries/{id}"]?.delete?.responses["204"]).toEqual({ description: "No content" });
  });

  it("describes an upload as a multipart/form-data body with one file", () => {
    const upload = document.paths["/api/help-entries/imports"]?.post;
    expect(upload?.requestBody).toEqual({
      required: true,
      content: {
        "multipart/form-data": {
          schema: {
            type: "object",
            properties: { file: { type: "string", contentMediaType: "application/octet-stream", description: expect.stringContaining(".csv or .xlsx, at most 1000 bytes") } },
            required: ["file"],
          },
        },
      },
    });
    expect(upload?.parameters.map((p) => p.name)).toEqual(["dryRun"]);
  });

  it("describes a file answer by its media types and the Content-Disposition header", () => {
    expect(document.paths["/api/help-entries/export"]?.get?.responses["200"]).toEqual({
      description: "OK: a file to save",
      content: { "text/csv; charset=utf-8": { schema: { type: "string", contentMediaType: "text/csv; charset=utf-8" } } },
      headers: { "Content-Disposition": { description: "attachment, with the file's name", schema: { type: "string" } } },
    });
  });

  it("derives security from access: session cookie or bearer token for staff routes, none for public ones", () => {
    expect(document.components.securitySchemes).toEqual({
      sessionCookie: expect.objectContaining({ type: "apiKey", in: "cookie", name: "loa_session" }),
      bearerToken: expect.objectContaining({ type: "http", scheme: "bearer" }),
    });
    const read = document.paths["/api/help-entries/{id}"]?.get;
    expect(read?.security).toEqual([{ sessionCookie: [] }, { bearerToken: [] }]);
    expect(read?.["x-loa-access"]).toEqual({ kind: "staff", permission: "directory:read" });
    expect(read?.description).toContain("`directory:read`");
    expect(document.paths["/api/sessions"]?.post?.security).toEqual([]);
  });

  it("answers every non-2xx status with the shared error shape", () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        for (const [status, answer] of Object.entries(op.responses)) {
          if (status.startsWith("2")) continue;
          expect(answer, `${method} ${path} ${status}`).toHaveProperty("$ref");
          const shared = response.parse(resolve(raw, reference.parse(answer).$ref));
          expect(shared.description.startsWith(status), `${method} ${path} ${status}`).toBe(true);
          expect(shared.content?.["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/ApiError" });
        }
      }
    }
    expect(Object.keys(document.paths["/api/help-entries/{id}"]?.get?.responses ?? {})).toEqual(["200", "400", "401", "403", "404", "500"]);
    expect(Object.keys(document.paths["/api/sessions"]?.post?.responses ?? {})).toEqual(["200", "400", "413", "415", "429", "500"]);
    expect(document.components.responses.rate_limited?.headers?.["Retry-After"]).toBeDefined();
    expect(document.components.schemas.ApiError).toMatchObject({ required: ["error"] });
  });
});

describe("building the OpenAPI document", () => {
  const route = (path: `/api/${string}`, schema: z.ZodType) =>
    defineApiRoute({
      method: "GET",
      path,
      summary: "s",
      tags: [],
      access: { kind: "public" },
      input: {},
      responses: { 200: schema },
      handler: async () => ({ status: 200, body: {} }),
    });

  it("shares one component for a schema used by several routes", () => {
    const shared = z.object({ code: z.string() }).meta({ id: "PlaceCode" });
    const document = createOpenApiDocument({ routes: [route("/api/a", shared), route("/api/b", z.object({ place: shared }))], version: "1" });
    expect(Object.keys(document.components.schemas).sort()).toEqual(["ApiError", "PlaceCode"]);
  });

  it("refuses two different schemas with the same id, and two routes with the same operation id", () => {
    const first = z.object({ code: z.string() }).meta({ id: "Clash" });
    const second = z.object({ name: z.string() }).meta({ id: "Clash" });
    expect(() => createOpenApiDocument({ routes: [route("/api/a", first), route("/api/b", second)], version: "1" })).toThrow(OpenApiDocumentError);
    expect(() => createOpenApiDocument({ routes: [route("/api/help-entries", z.object({})), route("/api/help_entries", z.object({}))], version: "1" })).toThrow(
      /same operation id/,
    );
  });
});
