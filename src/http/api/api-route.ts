/**
 * Routes of the staff JSON API, each declared once: its zod schemas check the request before the handler
 * runs and the answer after it, and the same declaration produces the OpenAPI document, so the documentation
 * cannot drift from the code. A route says who may call it (`access`); the authorisation hook given to
 * `registerApi` decides, before the body is even read.
 *
 * @example
 * const getHelpEntry = defineApiRoute({
 *   method: "GET", path: "/api/help-entries/:id", summary: "One help entry", tags: ["help directory"],
 *   access: { kind: "staff", permission: "directory:read" },
 *   input: { params: z.object({ id: z.coerce.number().int().positive() }) },
 *   responses: { 200: helpEntrySchema },
 *   errors: ["not_found"],
 *   handler: async ({ params }) => {
 *     const entry = await directory.find(params.id);
 *     if (entry === undefined) throw new ApiError("not_found", "No help entry has this id.");
 *     return { status: 200, body: entry };
 *   },
 * });
 * registerApi(app, { routes: [getHelpEntry], authorize, version });
 *
 * `input` lists what the route reads (`params`, `query`, `body`, `upload`); a route that reads nothing says
 * `input: {}`. Query strings and path params arrive as strings: use `z.coerce` for numbers. A file upload is
 * `input: { upload: uploadedFile({ maxBytes, allowedExtensions: [".csv", ".xlsx"] }) }`. `responses` lists
 * only 2xx answers (null for no body, `fileDownload(...)` for a file such as a report); errors all share one shape. The handler's second argument holds
 * Fastify's `request` and `reply`, for the caller the authorisation hook recorded and for cookies. Handlers
 * throw {@link ApiError} for expected failures; anything else is logged and answered as `internal`.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { LoaError } from "../../errors.ts";
import { ApiError, apiErrorLocations, type ApiErrorDetail, type ThrowableApiErrorCode } from "./api-error.ts";
import { downloadSpecOf, type DownloadFile } from "./file-download.ts";
import { readUploadedFile, uploadLimitsOf } from "./read-uploaded-file.ts";

/** The HTTP methods staff API routes use. */
export type ApiMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Who may call a route: anyone (`public`, such as sign-in), or a signed-in staff member holding the named
 * permission. The authorisation hook interprets it; this toolkit only carries it and documents it.
 */
export type ApiAccess = { readonly kind: "public" } | { readonly kind: "staff"; readonly permission: string };

/** A route's path, Fastify style: `/api/help-entries/:id`. */
export type ApiPath = `/api/${string}`;

/** A zod object schema, as path params and query strings are. */
export type ApiObjectSchema = z.ZodObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;

/**
 * The parts of a request a route reads, each checked with its schema: `params` (one key per `:param` of the
 * path), `query`, a JSON `body`, or an `upload` made with `uploadedFile` (never both a body and an upload).
 */
export type ApiInputSchemas = {
  readonly params?: ApiObjectSchema;
  readonly query?: ApiObjectSchema;
  readonly body?: z.ZodType;
  readonly upload?: z.ZodType;
};

/** The successful answers of a route by status (2xx): a schema for a JSON body, or null for none (204). */
export type ApiResponseSchemas = { readonly [status: number]: z.ZodType | null };

/** What a handler returns: one of its declared statuses, with a body matching that status's schema. */
export type ApiResult<Status extends number, Responses extends Record<Status, z.ZodType | null>> = {
  [S in Status]: Responses[S] extends z.ZodType ? { readonly status: S; readonly body: z.input<Responses[S]> } : { readonly status: S };
}[Status];

/** The Fastify request and reply, for what the schemas do not cover: the caller, cookies, headers. */
export type ApiHandlerContext = { readonly request: FastifyRequest; readonly reply: FastifyReply };

/** A route as its author writes it; see the example at the top of this file. */
export type ApiRouteDefinition<Input extends ApiInputSchemas, Status extends number, Responses extends Record<Status, z.ZodType | null>> = {
  readonly method: ApiMethod;
  readonly path: ApiPath;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly access: ApiAccess;
  /** Required, so a route that reads nothing says so with `input: {}`. */
  readonly input: Input;
  readonly responses: Responses & Record<Status, z.ZodType | null>;
  /** The error codes the handler itself may throw, for the OpenAPI document; common ones are added for you. */
  readonly errors?: readonly ThrowableApiErrorCode[];
  /** Runs once access is granted and the input parsed. Set headers or cookies on `reply`; never send with it. */
  readonly handler: (input: z.output<z.ZodObject<Input>>, context: ApiHandlerContext) => Promise<NoInfer<ApiResult<Status, Responses>>>;
};

/** A checked answer, ready to send: JSON, nothing, or (for a `fileDownload` response) a file. */
export type ApiAnswer = { readonly status: number; readonly body: unknown; readonly hasBody: boolean; readonly file?: DownloadFile };

/** A declared route, with its types erased so routes of any shape can be listed together and registered. */
export type ApiRoute = {
  readonly method: ApiMethod;
  readonly path: ApiPath;
  readonly summary: string;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly access: ApiAccess;
  readonly input: ApiInputSchemas;
  readonly responses: ApiResponseSchemas;
  readonly errors: readonly ThrowableApiErrorCode[];
  /** Parses the request (reading an upload if declared), runs the handler and checks its answer. */
  readonly run: (request: FastifyRequest, reply: FastifyReply) => Promise<ApiAnswer>;
};

/** A route declaration that cannot work; thrown at start-up, naming the route. */
export class ApiRouteError extends LoaError {
  constructor(message: string, context: Record<string, unknown>) {
    super(message, "api:route_invalid", { context });
  }
}

/** A path segment: a literal in lower case, or a `:param`. */
const pathSegment = /^(?:[a-z0-9][a-z0-9._-]*|:[A-Za-z][A-Za-z0-9]*)$/;

const inputKeys = new Set(["params", "query", "body", "upload"]);

/** The `:param` names of a path, in order. */
function pathParamNames(path: string): string[] {
  return path.split("/").filter((segment) => segment.startsWith(":")).map((segment) => segment.slice(1));
}

/**
 * Declares a staff API route. Checks the declaration at once (path, params matching the path's `:params`,
 * 2xx statuses, one kind of body) so a mistake stops start-up instead of surfacing on the first request.
 */
export function defineApiRoute<Input extends ApiInputSchemas, Status extends number, Responses extends Record<Status, z.ZodType | null>>(
  definition: ApiRouteDefinition<Input, Status, Responses>,
): ApiRoute {
  const input: ApiInputSchemas = definition.input;
  const where = { method: definition.method, path: definition.path };
  checkDeclaration(definition, input, where);
  const uploadLimits = input.upload === undefined ? undefined : uploadLimitsOf(input.upload);
  const inputSchema = z.object(definition.input);
  const beforeUploadSchema = z.object({
    ...(input.params === undefined ? {} : { params: input.params }),
    ...(input.query === undefined ? {} : { query: input.query }),
  });
  const responses: ApiResponseSchemas = definition.responses;
  const handler: (input: z.output<z.ZodObject<Input>>, context: ApiHandlerContext) => Promise<{ status: number; body?: unknown }> =
    definition.handler;

  return {
    method: definition.method,
    path: definition.path,
    summary: definition.summary,
    description: definition.description,
    tags: definition.tags,
    access: definition.access,
    input,
    responses,
    errors: definition.errors ?? [],
    async run(request, reply) {
      const raw: Record<string, unknown> = { params: request.params, query: request.query, body: request.body };
      if (uploadLimits !== undefined) {
        const early = await beforeUploadSchema.safeParseAsync(raw);
        if (!early.success) throw invalidRequest(early.error);
        raw.upload = await readUploadedFile(request, uploadLimits);
      }
      const parsed = await inputSchema.safeParseAsync(raw);
      if (!parsed.success) throw invalidRequest(parsed.error);
      const result = await handler(parsed.data, { request, reply });
      const schema = responses[result.status];
      if (schema === undefined) {
        throw new LoaError("The handler answered with a status its route does not declare", "api:response_undeclared", {
          context: { ...where, status: result.status },
        });
      }
      if (schema === null) return { status: result.status, body: undefined, hasBody: false };
      const body = await schema.safeParseAsync(result.body);
      if (!body.success) {
        throw new LoaError("The handler's answer does not match its response schema", "api:response_invalid", {
          context: { ...where, status: result.status, fields: body.error.issues.map((issue) => issue.path.join(".")) },
        });
      }
      if (downloadSpecOf(schema) !== undefined) {
        const file = downloadFileOf(body.data);
        if (file !== undefined) return { status: result.status, body: undefined, hasBody: true, file };
      }
      return { status: result.status, body: body.data, hasBody: true };
    },
  };
}

function checkDeclaration(
  definition: { path: string; method: ApiMethod; access: ApiAccess; responses: ApiResponseSchemas },
  input: ApiInputSchemas,
  where: Record<string, unknown>,
): void {
  const segments = definition.path.split("/").slice(2);
  if (segments.length === 0 || !segments.every((segment) => pathSegment.test(segment))) {
    throw new ApiRouteError("A route path is /api/ then lower-case segments or :params", where);
  }
  const pathParams = pathParamNames(definition.path).sort();
  const schemaParams = Object.keys(input.params?.shape ?? {}).sort();
  if (pathParams.join(",") !== schemaParams.join(",")) {
    throw new ApiRouteError("The params schema must have exactly the path's :params", { ...where, pathParams, schemaParams });
  }
  const unknownKeys = Object.keys(input).filter((key) => !inputKeys.has(key));
  if (unknownKeys.length > 0) throw new ApiRouteError("A route's input has only params, query, body and upload", { ...where, unknownKeys });
  if (input.upload !== undefined && uploadLimitsOf(input.upload) === undefined) {
    throw new ApiRouteError("A route's upload schema must be made with uploadedFile()", where);
  }
  if (input.upload !== undefined && input.body !== undefined) throw new ApiRouteError("A route takes a JSON body or an upload, not both", where);
  if (definition.method === "GET" && (input.body !== undefined || input.upload !== undefined)) {
    throw new ApiRouteError("A GET route takes no body", where);
  }
  if (definition.access.kind === "staff" && definition.access.permission.trim() === "") {
    throw new ApiRouteError("A staff route names the permission it needs", where);
  }
  const statuses = Object.keys(definition.responses).map(Number);
  if (statuses.length === 0 || !statuses.every((status) => Number.isInteger(status) && status >= 200 && status <= 299)) {
    throw new ApiRouteError("A route declares its successful (2xx) answers; errors share one shape", { ...where, statuses });
  }
}

/** The checked answer of a `fileDownload` response, as the file it describes. */
function downloadFileOf(value: unknown): DownloadFile | undefined {
  if (typeof value !== "object" || value === null || !("fileName" in value && "contentType" in value && "bytes" in value)) return undefined;
  const { fileName, contentType, bytes } = value;
  if (typeof fileName !== "string" || typeof contentType !== "string" || !(typeof bytes === "string" || bytes instanceof Uint8Array)) return undefined;
  return { fileName, contentType, bytes };
}

/** Turns zod's issues into the 400 answer, one detail per issue, located in params, query, body or upload. */
function invalidRequest(error: z.ZodError): ApiError {
  const details: ApiErrorDetail[] = error.issues.map((issue) => {
    const [first, ...rest] = issue.path;
    return {
      location: apiErrorLocations.find((location) => location === first) ?? "body",
      path: rest.map(String).join("."),
      message: issue.message,
    };
  });
  return new ApiError("invalid_request", "Some fields of the request are not valid.", { details });
}
