import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One HTTP request the fake received, as the platform would see it. */
export type FakeZaloBotCall = { httpMethod: string; token: string; method: string; body: unknown };

/** A text the fake accepted through `sendMessage`. */
export type FakeZaloBotMessage = { chatId: string; text: string; messageId: string };

/** A picture (`sendPhoto`, `photo` URL, optional caption) or voice note (`sendVoice`, `voice_url`) the fake accepted. */
export type FakeZaloBotMedia = { chatId: string; method: "sendPhoto" | "sendVoice"; url: string; caption?: string; messageId: string };

/**
 * A programmed answer instead of the normal one: an HTTP status with the documented error envelope (Zalo may
 * also send the envelope with HTTP 200), a raw non-JSON body, or no answer at all.
 */
export type FakeZaloBotFailure =
  | { kind: "error"; httpStatus: number; errorCode: number; description: string }
  | { kind: "raw"; httpStatus: number; body: string }
  | { kind: "hang" };

/** The documented error table (`error_code` + `description`), each answered with that HTTP status by default. */
export const zaloBotErrors = {
  badRequest: { errorCode: 400, description: "Bad request" },
  unauthorized: { errorCode: 401, description: "Unauthorized" },
  internal: { errorCode: 403, description: "Internal server error" },
  notFound: { errorCode: 404, description: "Not found" },
  timeout: { errorCode: 408, description: "Request timeout" },
  quota: { errorCode: 429, description: "Quota exceeded" },
} as const;

/** `error` with the same HTTP status as the error code, or `onHttp200` to send the error body with HTTP 200. */
export function zaloBotError(error: { errorCode: number; description: string }, options: { onHttp200?: boolean } = {}): FakeZaloBotFailure {
  return { kind: "error", httpStatus: options.onHttp200 ? 200 : error.errorCode, ...error };
}

/**
 * A local Zalo Bot Platform on 127.0.0.1 speaking the documented wire format: `POST /bot<TOKEN>/<method>` with a
 * JSON body, answers `{ ok, result }` or `{ ok: false, error_code, description }`. It implements the methods Loa
 * uses (sendMessage, sendPhoto, sendVoice, getUpdates, deleteWebhook, setWebhook, getWebhookInfo), records every call, and fails calls as programmed.
 * `sendPhoto` and `sendVoice` take the file as an http(s) URL (Zalo fetches it; the fake does not).
 * `getUpdates` returns one queued update (wrapped in `{ ok: true, result }`), or holds the call and ends it
 * with 408 when none arrives in time.
 */
export async function startFakeZaloBotPlatform(options: { token: string; idleHoldMs?: number }) {
  const calls: FakeZaloBotCall[] = [];
  const messages: FakeZaloBotMessage[] = [];
  const media: FakeZaloBotMedia[] = [];
  const failures = new Map<string, Array<FakeZaloBotFailure | "normal">>();
  const updates: unknown[] = [];
  const waiting = new Set<() => void>();
  const hanging = new Set<ServerResponse>();
  const idleHoldMs = options.idleHoldMs ?? 50;
  let webhook: { url: string; secretToken: string } | undefined;
  let webhookUpdatedAt = Date.now();

  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    response.end(JSON.stringify(body));
  };
  const sendError = (response: ServerResponse, status: number, errorCode: number, description: string) =>
    send(response, status, { ok: false, error_code: errorCode, description });
  const ok = (response: ServerResponse, result?: unknown) => send(response, 200, result === undefined ? { ok: true } : { ok: true, result });

  async function readJson(request: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    return raw === "" ? {} : JSON.parse(raw);
  }

  function getUpdates(response: ServerResponse): void {
    if (updates.length > 0) return ok(response, updates.shift());
    const answer = () => {
      clearTimeout(timer);
      waiting.delete(answer);
      if (response.writableEnded) return;
      if (updates.length > 0) ok(response, updates.shift());
      else sendError(response, 408, zaloBotErrors.timeout.errorCode, zaloBotErrors.timeout.description);
    };
    const timer = setTimeout(answer, idleHoldMs);
    waiting.add(answer);
    response.on("close", () => {
      clearTimeout(timer);
      waiting.delete(answer);
    });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/([^/?]+)$/.exec(request.url ?? "");
    const body = await readJson(request).catch(() => undefined);
    if (!match) return sendError(response, 404, zaloBotErrors.notFound.errorCode, zaloBotErrors.notFound.description);
    const [, token = "", method = ""] = match;
    calls.push({ httpMethod: request.method ?? "", token, method, body });
    if (token !== options.token) return sendError(response, 401, zaloBotErrors.unauthorized.errorCode, zaloBotErrors.unauthorized.description);
    const programmed = failures.get(method)?.shift();
    const failure = programmed === "normal" ? undefined : programmed;
    if (failure?.kind === "hang") {
      hanging.add(response);
      return;
    }
    if (failure?.kind === "raw") {
      response.writeHead(failure.httpStatus, { "content-type": "text/html" });
      response.end(failure.body);
      return;
    }
    if (failure?.kind === "error") return sendError(response, failure.httpStatus, failure.errorCode, failure.description);
    const params = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : undefined;
    if (params === undefined) return sendError(response, 400, zaloBotErrors.badRequest.errorCode, zaloBotErrors.badRequest.description);
    switch (method) {
      case "sendMessage": {
        const { chat_id: chatId, text } = params;
        if (typeof chatId !== "string" || chatId === "" || typeof text !== "string" || text.length < 1 || text.length > 2000) {
          return sendError(response, 400, zaloBotErrors.badRequest.errorCode, zaloBotErrors.badRequest.description);
        }
        const messageId = randomBytes(10).toString("hex");
        messages.push({ chatId, text, messageId });
        return ok(response, { message_id: messageId, date: Date.now() });
      }
      case "sendPhoto": {
        const { chat_id: chatId, photo, caption } = params;
        const captionOk = caption === undefined || (typeof caption === "string" && caption.length >= 1 && caption.length <= 2000);
        if (typeof chatId !== "string" || chatId === "" || !isHttpUrl(photo) || !captionOk) {
          return sendError(response, 400, zaloBotErrors.badRequest.errorCode, zaloBotErrors.badRequest.description);
        }
        const messageId = randomBytes(10).toString("hex");
        media.push({ chatId, method: "sendPhoto", url: photo, ...(typeof caption === "string" ? { caption } : {}), messageId });
        return ok(response, { message_id: messageId, date: Date.now() });
      }
      case "sendVoice": {
        const { chat_id: chatId, voice_url: voiceUrl } = params;
        if (typeof chatId !== "string" || chatId === "" || !isHttpUrl(voiceUrl)) {
          return sendError(response, 400, zaloBotErrors.badRequest.errorCode, zaloBotErrors.badRequest.description);
        }
        const messageId = randomBytes(10).toString("hex");
        media.push({ chatId, method: "sendVoice", url: voiceUrl, messageId });
        return ok(response, { message_id: messageId, date: Date.now() });
      }
      case "getUpdates":
        return getUpdates(response);
      case "deleteWebhook":
        webhook = undefined;
        webhookUpdatedAt = Date.now();
        return ok(response, { url: "", updated_at: webhookUpdatedAt });
      case "getWebhookInfo":
        return ok(response, { url: webhook?.url ?? "", updated_at: webhookUpdatedAt });
      case "setWebhook": {
        const { url, secret_token: secretToken } = params;
        if (typeof url !== "string" || !url.startsWith("https://") || typeof secretToken !== "string" || secretToken.length < 8 || secretToken.length > 256) {
          return sendError(response, 400, zaloBotErrors.badRequest.errorCode, zaloBotErrors.badRequest.description);
        }
        webhook = { url, secretToken };
        webhookUpdatedAt = Date.now();
        return ok(response, { url, updated_at: webhookUpdatedAt });
      }
      default:
        return sendError(response, 400, zaloBotErrors.badRequest.errorCode, zaloBotErrors.badRequest.description);
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => sendError(response, 500, 500, "fake platform error"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    /** Every request, in arrival order. */
    calls,
    /** Texts delivered by `sendMessage`, in order. */
    messages,
    /** Pictures and voice notes delivered by `sendPhoto` and `sendVoice`, in order. */
    media,
    /** The webhook set with `setWebhook`, until `deleteWebhook`. */
    webhook: () => webhook,
    /** The next calls of `method` get these answers, in order ("normal" answers as usual); later calls answer normally. */
    fail(method: string, ...answers: Array<FakeZaloBotFailure | "normal">): void {
      failures.set(method, [...(failures.get(method) ?? []), ...answers]);
    },
    /** Queues an update for `getUpdates`; a call already waiting gets it at once. */
    queueUpdate(update: unknown): void {
      updates.push(update);
      const [first] = waiting;
      first?.();
    },
    pendingUpdates: () => updates.length,
    async close(): Promise<void> {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function isHttpUrl(value: unknown): value is string {
  return typeof value === "string" && /^https?:\/\/[^\s/]+/.test(value);
}

/** A running fake Zalo Bot Platform. */
export type FakeZaloBotPlatform = Awaited<ReturnType<typeof startFakeZaloBotPlatform>>;
