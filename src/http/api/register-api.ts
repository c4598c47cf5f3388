import fastifyMultipart from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { loggableError } from "../../logger.ts";
import type { HttpServer } from "../http-server.ts";
import { ApiError, apiErrorCodes, apiErrorMessages, apiErrorStatuses, type ApiErrorBody, type ApiErrorCode } from "./api-error.ts";
import type { ApiAccess, ApiRoute } from "./api-route.ts";
import { attachmentHeader } from "./file-download.ts";
import { createOpenApiDocument, openApiDocumentPath } from "./openapi-document.ts";
import { trackUploads } from "./read-uploaded-file.ts";

/**
 * Decides whether a request may reach a route, given the route's `access`. Runs before the body is read;
 * throws an {@link ApiError} (`unauthenticated`, `forbidden`, `rate_limited`) to refuse. The authentication
 * code provides it, and may record the caller on the request for handlers to read.
 */
export type Authorize = (request: FastifyRequest, access: ApiAccess) => Promise<void>;

/** What the staff API serves. */
export type ApiOptions = {
  readonly routes: readonly ApiRoute[];
  readonly authorize: Authorize;
  /** Loa's version (package.json), shown in the OpenAPI document. */
  readonly version: string;
};

const prefix = "/api";

/**
 * Serves the staff JSON API under `/api`: the declared routes behind the authorisation hook, the OpenAPI
 * document at `/api/openapi.json`, and one error shape for every failure under `/api`, unknown paths included.
 * Everything is scoped to `/api`: other routes keep Fastify's own error and not-found answers and take no
 * multipart bodies. The OpenAPI document is built here, so an undocumentable route stops start-up.
 */
export function registerApi(app: HttpServer, options: ApiOptions): void {
  const document = createOpenApiDocument({ routes: options.routes, version: options.version });
  app.register(
    async (api) => {
      await api.register(fastifyMultipart);
      api.addHook("onRequest", async (request, reply) => trackUploads(request, reply));
      api.setErrorHandler(async (error: unknown, request, reply) => sendError(reply, errorAnswer(error, request)));
      api.setNotFoundHandler(async (_request, reply) => sendError(reply, { code: "not_found", message: apiErrorMessages.not_found }));
      api.get(openApiDocumentPath.slice(prefix.length), async (_request, reply) => reply.send(document));
      for (const route of options.routes) {
        api.route({
          method: route.method,
          url: route.path.slice(prefix.length),
          onRequest: async (request) => options.authorize(request, route.access),
          handler: async (request, reply) => {
            const answer = await route.run(request, reply);
            reply.code(answer.status);
            if (answer.file !== undefined) {
              const { bytes } = answer.file;
              return reply
                .type(answer.file.contentType)
                .header("content-disposition", attachmentHeader(answer.file.fileName))
                .send(typeof bytes === "string" ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
            }
            // Serialised here, so a string answer is sent as JSON too rather than as plain text.
            return answer.hasBody ? reply.type("application/json; charset=utf-8").send(JSON.stringify(answer.body)) : reply.send();
          },
        });
      }
    },
    { prefix },
  );
}

/** An error answer before it is sent. */
type ErrorAnswer = { code: ApiErrorCode; message: string; details?: ApiErrorBody["error"]["details"]; retryAfterSeconds?: number };

/**
 * What to answer for an error. {@link ApiError}s say so themselves. Fastify's and the multipart plugin's own
 * client errors (a 4xx `statusCode`: bad JSON, a body too large, a wrong content type) get the code of their
 * status and a fixed message, as their text may quote what was sent. Anything else is a bug or an outage:
 * logged once and answered as `internal`, without its message.
 */
function errorAnswer(error: unknown, request: FastifyRequest): ErrorAnswer {
  if (error instanceof ApiError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: [...error.details] }),
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
  const status = error instanceof Error && "statusCode" in error && typeof error.statusCode === "number" ? error.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = clientErrorCodes.get(status) ?? "invalid_request";
    return { code, message: apiErrorMessages[code] };
  }
  request.log.error({ error: loggableError(error) }, "staff API request failed");
  return { code: "internal", message: apiErrorMessages.internal };
}

/** The code of each client-error status, so Fastify's own 4xx errors keep their meaning in the one shape. */
const clientErrorCodes = new Map(
  apiErrorCodes.filter((code) => code !== "internal").map((code): [number, ApiErrorCode] => [apiErrorStatuses[code], code]),
);

function sendError(reply: FastifyReply, answer: ErrorAnswer): FastifyReply {
  const body: ApiErrorBody = {
    error: { code: answer.code, message: answer.message, ...(answer.details === undefined ? {} : { details: answer.details }) },
  };
  if (answer.retryAfterSeconds !== undefined) reply.header("retry-after", String(answer.retryAfterSeconds));
  return reply.code(apiErrorStatuses[answer.code]).type("application/json; charset=utf-8").send(body);
}
