import axios, { type AxiosInstance } from "axios";
import { LoaError } from "../../errors.ts";

/** How long one call to Zalo may take before it counts as failed (the dispatcher retries it later). */
export const zaloOaRequestTimeoutMs = 15_000;

/**
 * A call to Zalo that got no usable HTTP answer (refused, timed out, reset). It replaces axios's own error,
 * which carries the request's headers and body — the access token, the app secret, the refresh token — so it
 * must never be thrown, logged or kept as a cause. Only the method, the path, and the network error code remain.
 */
export class ZaloOaHttpError extends LoaError {
  constructor(method: string, path: string, networkCode: string | undefined) {
    super(`Zalo OA ${method} ${path} got no answer${networkCode === undefined ? "" : ` (${networkCode})`}`, "zalo-oa:http", {
      context: { method, path, networkCode },
    });
  }
}

/** An HTTP answer reduced to what the Zalo OA code reads: the status and the parsed JSON body (or undefined). */
export type ZaloOaHttpResponse = { status: number; body: unknown };

/**
 * Zalo's HTTP calls, shared by the token refresher and the sender. Every status is returned rather than thrown
 * (Zalo reports errors in the body of a 200), and transport failures are rethrown as `ZaloOaHttpError`
 * without the secrets axios's error would carry.
 */
export type ZaloOaHttp = {
  post(url: string, body: string, headers: Record<string, string>): Promise<ZaloOaHttpResponse>;
};

/** Creates the HTTP client: one axios instance, no redirects, statuses returned, JSON parsed leniently. */
export function createZaloOaHttp(options: { timeoutMs?: number } = {}): ZaloOaHttp {
  const client: AxiosInstance = axios.create({
    timeout: options.timeoutMs ?? zaloOaRequestTimeoutMs,
    maxRedirects: 0,
    proxy: false,
    validateStatus: () => true,
    responseType: "text",
    transformResponse: [(data: unknown) => data],
  });
  return {
    async post(url, body, headers) {
      try {
        const response = await client.post<string>(url, body, { headers });
        return { status: response.status, body: parseJson(response.data) };
      } catch (error) {
        throw new ZaloOaHttpError("POST", new URL(url).pathname, networkCodeOf(error));
      }
    },
  };
}

function parseJson(data: unknown): unknown {
  if (typeof data !== "string") return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

/** The error's `code` (ECONNREFUSED, ECONNABORTED, …) when it is a short upper-case word, and nothing else. */
function networkCodeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" && /^[A-Z_]{1,40}$/.test(error.code) ? error.code : undefined;
}
