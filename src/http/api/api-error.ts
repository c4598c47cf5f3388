import { z } from "zod";
import { LoaError } from "../../errors.ts";

/**
 * Every code the staff API answers with, and its HTTP status. The codes are the contract: the console and
 * automation branch on them, so they never change meaning; the English message beside them is for people.
 */
export const apiErrorStatuses = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
} as const;

/** A stable error code of the staff API. */
export type ApiErrorCode = keyof typeof apiErrorStatuses;

/** The codes a handler or the authorisation hook may throw; `internal` is only ever produced for unknown errors. */
export type ThrowableApiErrorCode = Exclude<ApiErrorCode, "internal">;

/**
 * What each code says when nothing more specific is known, for example when Fastify itself rejects a request.
 * Fixed English sentences: the text of an underlying error may quote what the caller sent, so it is never used.
 */
export const apiErrorMessages: Record<ApiErrorCode, string> = {
  invalid_request: "The request is not valid.",
  unauthenticated: "Sign in to continue.",
  forbidden: "You are not allowed to do this.",
  not_found: "Nothing was found at this address.",
  conflict: "The request conflicts with the current state of the data.",
  payload_too_large: "The request or its file is too large.",
  unsupported_media_type: "This content type is not accepted here.",
  rate_limited: "Too many requests. Try again later.",
  internal: "Something went wrong on the server.",
};

/** Where an invalid value was found: the path's `:params`, the query string, the JSON body or the uploaded file. */
export const apiErrorLocations = ["params", "query", "body", "upload"] as const;

/** Every code, in order of status. */
export const apiErrorCodes = Object.keys(apiErrorStatuses).filter((code): code is ApiErrorCode => code in apiErrorStatuses);

/** One problem with a request: where it is (`path` is dotted, "" for the whole value) and what is wrong. */
export const apiErrorDetailSchema = z.object({
  location: z.enum(apiErrorLocations),
  path: z.string(),
  message: z.string(),
});

/** One problem with a request, as listed in an `invalid_request` answer. */
export type ApiErrorDetail = z.infer<typeof apiErrorDetailSchema>;

/**
 * The one body of every non-2xx answer under `/api`. Also the source of the OpenAPI component, and what tests
 * parse answers with, so the documented shape and the sent shape cannot drift apart.
 */
export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(apiErrorCodes),
    message: z.string().describe("English, for people; never holds personal data. Branch on `code`, not on this."),
    details: z.array(apiErrorDetailSchema).optional().describe("For invalid_request: each invalid field and why."),
  }),
});

/** The body of every non-2xx answer under `/api`. */
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** What an {@link ApiError} may carry besides its code and message. */
export type ApiErrorOptions = {
  details?: readonly ApiErrorDetail[];
  cause?: unknown;
  context?: Record<string, unknown>;
};

/**
 * An error a route handler or the authorisation hook throws to answer with a given status and code, for
 * example `throw new ApiError("not_found", "No help entry has this id.")`. The message is sent to the caller,
 * so it is plain English and never holds personal data; `rate_limited` must say when to retry, which becomes
 * the Retry-After header.
 */
export class ApiError extends LoaError {
  declare readonly code: ThrowableApiErrorCode;
  /** The HTTP status that goes with the code. */
  readonly status: number;
  /** For `invalid_request`: each invalid field. */
  readonly details: readonly ApiErrorDetail[] | undefined;
  /** For `rate_limited`: whole seconds until the caller may try again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: "rate_limited", message: string, options: ApiErrorOptions & { retryAfterSeconds: number });
  constructor(code: Exclude<ThrowableApiErrorCode, "rate_limited">, message: string, options?: ApiErrorOptions);
  constructor(code: ThrowableApiErrorCode, message: string, options: ApiErrorOptions & { retryAfterSeconds?: number } = {}) {
    super(message, code, {
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      ...(options.context === undefined ? {} : { context: options.context }),
    });
    this.status = apiErrorStatuses[code];
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds === undefined ? undefined : Math.max(1, Math.ceil(options.retryAfterSeconds));
  }
}
