import { z } from "zod";
import { LoaError } from "../../errors.ts";
import { apiErrorBodySchema, apiErrorCodes, apiErrorMessages, apiErrorStatuses, type ApiErrorCode } from "./api-error.ts";
import { type ApiAccess, type ApiObjectSchema, type ApiRoute } from "./api-route.ts";
import { downloadSpecOf } from "./file-download.ts";
import { uploadLimitsOf } from "./read-uploaded-file.ts";

/** A JSON value, as the document is sent. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A JSON object, such as a JSON Schema. */
export type JsonObject = { [key: string]: JsonValue };

/** The name of the staff session cookie, as the document announces it; the sign-in code sets this cookie. */
export const sessionCookieName = "loa_session";

/** Where the document is served. */
export const openApiDocumentPath = "/api/openapi.json";

type OpenApiParameter = { name: string; in: "path" | "query"; required: boolean; schema: JsonObject; description?: string };
type OpenApiResponse = { description: string; content?: Record<string, { schema: JsonObject }>; headers?: Record<string, { description: string; schema: JsonObject }> };
type OpenApiReference = { $ref: string };
type OpenApiOperation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Array<Record<string, string[]>>;
  parameters: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonObject }> };
  responses: Record<string, OpenApiResponse | OpenApiReference>;
  "x-loa-access": ApiAccess;
};

/** The OpenAPI 3.1 description of the staff API, as served at `/api/openapi.json`. */
export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonObject>;
    responses: Record<string, OpenApiResponse>;
    securitySchemes: Record<string, JsonObject>;
  };
};

/** Routes whose schemas cannot be documented; thrown at start-up, naming the route. */
export class OpenApiDocumentError extends LoaError {
  constructor(message: string, context: Record<string, unknown>, cause?: unknown) {
    super(message, "api:openapi_invalid", { context, ...(cause === undefined ? {} : { cause }) });
  }
}

const staffSecurity: Array<Record<string, string[]>> = [{ sessionCookie: [] }, { bearerToken: [] }];

const successDescriptions: Record<number, string> = { 200: "OK", 201: "Created", 202: "Accepted", 204: "No content" };

/**
 * Builds the OpenAPI document from the declared routes, so it always says what the code checks: request
 * schemas as zod accepts them (`io: "input"`), answers as handlers send them, access as security, and the
 * one error shape for every non-2xx answer. Built once at start-up: a schema JSON Schema cannot express
 * (a transform in an answer, a date object) stops start-up rather than producing a wrong document.
 */
export function createOpenApiDocument(options: { routes: readonly ApiRoute[]; version: string }): OpenApiDocument {
  const schemas: Record<string, JsonObject> = {};
  const convert = schemaConverter(schemas);
  schemas.ApiError = convert(apiErrorBodySchema, "output", "ApiError");
  const responses: Record<string, OpenApiResponse> = {};
  for (const code of apiErrorCodes) {
    responses[code] = {
      description: `${apiErrorStatuses[code]} ${code}: ${apiErrorMessages[code]}`,
      content: { "application/json": { schema: { $ref: "#/components/schemas/ApiError" } } },
      ...(code === "rate_limited" ? { headers: { "Retry-After": { description: "Seconds to wait before trying again.", schema: { type: "integer", minimum: 1 } } } } : {}),
    };
  }

  const paths: OpenApiDocument["paths"] = {
    [openApiDocumentPath]: {
      get: {
        operationId: "getOpenApiDocument",
        summary: "This document: every staff API route, its input, answers and access.",
        tags: ["documentation"],
        security: [],
        parameters: [],
        responses: { "200": { description: "OK", content: { "application/json": { schema: { type: "object" } } } }, "500": errorReference("internal") },
        "x-loa-access": { kind: "public" },
      },
    },
  };
  const operationIds = new Set(["getOpenApiDocument"]);
  for (const route of options.routes) {
    const operationId = operationIdFor(route);
    if (operationIds.has(operationId)) throw new OpenApiDocumentError("Two routes have the same operation id", { operationId, path: route.path });
    operationIds.add(operationId);
    const openApiPath = route.path.replace(/:([A-Za-z0-9]+)/g, "{$1}");
    const operations = paths[openApiPath] ?? {};
    operations[route.method.toLowerCase()] = operationFor(route, operationId, convert);
    paths[openApiPath] = operations;
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Loa staff API",
      version: options.version,
      description: "JSON API of the staff console and automation. Every error answer has the shape of the ApiError schema.",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        sessionCookie: { type: "apiKey", in: "cookie", name: sessionCookieName, description: "The session of a signed-in staff member." },
        bearerToken: { type: "http", scheme: "bearer", description: "An API token, for automation." },
      },
    },
  };
}

type Convert = (schema: z.ZodType, io: "input" | "output", owner: string) => JsonObject;

function operationFor(route: ApiRoute, operationId: string, convert: Convert): OpenApiOperation {
  const { params, query, body, upload } = route.input;
  const permission = route.access.kind === "staff" ? `Needs the permission \`${route.access.permission}\`.` : "Open to anyone.";
  const operation: OpenApiOperation = {
    operationId,
    summary: route.summary,
    description: route.description === undefined ? permission : `${route.description}\n\n${permission}`,
    tags: [...route.tags],
    security: route.access.kind === "staff" ? staffSecurity : [],
    parameters: [
      ...(params === undefined ? [] : parametersFor(params, "path", convert, `${operationId}.params`)),
      ...(query === undefined ? [] : parametersFor(query, "query", convert, `${operationId}.query`)),
    ],
    responses: {},
    "x-loa-access": route.access,
  };
  if (body !== undefined) {
    operation.requestBody = {
      required: !body.safeParse(undefined).success,
      content: { "application/json": { schema: convert(body, "input", `${operationId}.body`) } },
    };
  }
  const limits = upload === undefined ? undefined : uploadLimitsOf(upload);
  if (limits !== undefined) {
    const file = {
      type: "string",
      contentMediaType: "application/octet-stream",
      description: `One file whose name ends in ${limits.allowedExtensions.join(" or ")}, at most ${limits.maxBytes} bytes.`,
    };
    operation.requestBody = {
      required: true,
      content: { "multipart/form-data": { schema: { type: "object", properties: { file }, required: ["file"] } } },
    };
  }
  for (const [status, schema] of Object.entries(route.responses)) {
    const description = successDescriptions[Number(status)] ?? "Success";
    const download = schema === null ? undefined : downloadSpecOf(schema);
    if (download !== undefined) {
      operation.responses[status] = {
        description: `${description}: a file to save`,
        content: Object.fromEntries(download.contentTypes.map((type) => [type, { schema: { type: "string", contentMediaType: type } }])),
        headers: { "Content-Disposition": { description: "attachment, with the file's name", schema: { type: "string" } } },
      };
      continue;
    }
    operation.responses[status] =
      schema === null ? { description } : { description, content: { "application/json": { schema: convert(schema, "output", `${operationId}.response${status}`) } } };
  }
  const errors = new Set<ApiErrorCode>(route.errors);
  if (params !== undefined || query !== undefined || body !== undefined || upload !== undefined) errors.add("invalid_request");
  if (body !== undefined || upload !== undefined) {
    errors.add("payload_too_large");
    errors.add("unsupported_media_type");
  }
  if (route.access.kind === "staff") {
    errors.add("unauthenticated");
    errors.add("forbidden");
  }
  errors.add("internal");
  for (const code of [...errors].sort((a, b) => apiErrorStatuses[a] - apiErrorStatuses[b])) {
    operation.responses[String(apiErrorStatuses[code])] = errorReference(code);
  }
  return operation;
}

function parametersFor(schema: ApiObjectSchema, location: "path" | "query", convert: Convert, owner: string): OpenApiParameter[] {
  const json = convert(schema, "input", owner);
  const properties = json.properties;
  const required = Array.isArray(json.required) ? json.required : [];
  if (!isJsonObject(properties)) return [];
  return Object.entries(properties).map(([name, property]) => {
    const parameterSchema = isJsonObject(property) ? property : {};
    const description = parameterSchema.description;
    return {
      name,
      in: location,
      required: location === "path" || required.includes(name),
      schema: parameterSchema,
      ...(typeof description === "string" ? { description } : {}),
    };
  });
}

function errorReference(code: ApiErrorCode): OpenApiReference {
  return { $ref: `#/components/responses/${code}` };
}

/** `GET /api/help-entries/:id` becomes `getHelpEntriesById`. */
function operationIdFor(route: ApiRoute): string {
  const words = route.path
    .split("/")
    .slice(2)
    .flatMap((segment) => (segment.startsWith(":") ? ["by", segment.slice(1)] : segment.split(/[-_.]/)))
    .filter((word) => word !== "");
  return route.method.toLowerCase() + words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join("");
}

/**
 * Converts zod schemas to JSON Schema for the document. Schemas zod lifts into `$defs` (those given an `id`
 * with `.meta()`, and recursive ones) become shared components, with every `$ref` pointing there: a `$ref`
 * to `#/$defs/...` would not resolve inside the OpenAPI document. A request form of an id'd schema is named
 * `<id>Input`, as it differs from the answer form (defaults are optional, extra keys allowed).
 */
function schemaConverter(components: Record<string, JsonObject>): Convert {
  return (schema, io, owner) => {
    let generated: unknown;
    try {
      generated = z.toJSONSchema(schema, { io });
    } catch (error) {
      throw new OpenApiDocumentError("A schema cannot be described in JSON Schema", { owner, io }, error);
    }
    if (!isRecord(generated)) throw new OpenApiDocumentError("zod produced a JSON Schema that is not an object", { owner });
    const { $defs, $schema: _dialect, ...rest } = generated;
    const definitions = isRecord($defs) ? $defs : {};
    const names = new Map(Object.keys(definitions).map((name) => [name, componentName(name, io, owner)]));
    const refFor = (name: string): string => {
      const target = names.get(name);
      if (target === undefined) throw new OpenApiDocumentError("A schema refers to a definition zod did not produce", { owner, name });
      return `#/components/schemas/${target}`;
    };
    for (const [name, definition] of Object.entries(definitions)) {
      const target = refFor(name).slice("#/components/schemas/".length);
      const converted = toJsonObject(definition, refFor, owner);
      const existing = components[target];
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(converted)) {
        throw new OpenApiDocumentError("Two different schemas have the same id", { owner, id: name });
      }
      components[target] = converted;
    }
    return toJsonObject(rest, refFor, owner);
  };
}

function componentName(definitionName: string, io: "input" | "output", owner: string): string {
  const safe = definitionName.replace(/[^A-Za-z0-9._-]/g, "_");
  if (/^__schema\d+$/.test(definitionName)) return `${owner}.${safe.replace(/^_+/, "")}`;
  return io === "input" ? `${safe}Input` : safe;
}

function toJsonObject(value: unknown, refFor: (name: string) => string, owner: string): JsonObject {
  const json = toJson(value, refFor, owner);
  if (!isJsonObject(json)) throw new OpenApiDocumentError("A JSON Schema is not an object", { owner });
  return json;
}

/** Copies what zod produced into plain JSON, pointing `#/$defs/...` references at the shared components. */
function toJson(value: unknown, refFor: (name: string) => string, owner: string): JsonValue {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => toJson(item, refFor, owner));
  if (isRecord(value)) {
    const result: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      result[key] = key === "$ref" && typeof item === "string" && item.startsWith("#/$defs/") ? refFor(item.slice("#/$defs/".length)) : toJson(item, refFor, owner);
    }
    return result;
  }
  throw new OpenApiDocumentError("A JSON Schema holds a value JSON cannot", { owner, type: typeof value });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
