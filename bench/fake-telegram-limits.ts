// A local Telegram Bot API for the broadcast benchmark that enforces Telegram's flood limits the strict way:
// at most 30 messages per bot in each fixed one-second window and at most one message a second to one chat,
// answering 429 with `retry_after` when a send exceeds them, and 403 "bot was blocked by the user" for chats
// marked blocked. It records what it delivered and every send that came inside an announced retry_after window.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the limiting fake saw during a run. */
export type FakeTelegramLimitsReport = {
  /** sendMessage calls received. */
  calls: number;
  /** Messages accepted, by chat id (more than one for a chat is a duplicate). */
  deliveredByChat: ReadonlyMap<string, number>;
  /** Calls answered 403 blocked, by chat id (more than one for a chat is a retry of a blocked person). */
  blockedByChat: ReadonlyMap<string, number>;
  /** 429 answers the fake gave. */
  tooManyRequests: number;
  /** Sends made while a retry_after window the fake had announced (for the bot or that chat) was still open. */
  violations: number;
  /** Calls the fake let through (delivered or answered blocked) in each fixed one-second window, by second. */
  perWindow: ReadonlyMap<number, number>;
};

/** A running limiting fake: point grammY's `apiRoot` at `apiRoot`. */
export type FakeTelegramLimits = {
  apiRoot: string;
  report(): FakeTelegramLimitsReport;
  close(): Promise<void>;
};

/** Telegram's limits as the fake applies them. */
export type TelegramLimits = { perBotPerSecond: number; perChatIntervalMs: number };

const botUser = { id: 4242, is_bot: true, first_name: "Loa bench", username: "loa_bench_bot" };

type Answer = { status: number; body: unknown };
const ok = (result: unknown): Answer => ({ status: 200, body: { ok: true, result } });
const failure = (code: number, description: string, parameters?: Record<string, unknown>): Answer => ({
  status: code,
  body: { ok: false, error_code: code, description, ...(parameters === undefined ? {} : { parameters }) },
});

/**
 * Starts the limiting fake on 127.0.0.1 with a random port. Only `getMe` and `sendMessage` (JSON or
 * urlencoded) are served: the broadcast benchmark needs nothing else. A 429 announces a window of
 * `retry_after` whole seconds, for the whole bot when the per-second budget ran out, for the chat when the
 * per-chat interval was not kept; any send arriving inside an open window counts as a violation and is
 * refused again. A 403 for a blocked chat counts towards the bot's budget, like every other call.
 */
export async function startFakeTelegramLimits(options: { token: string; blockedChats: ReadonlySet<string>; limits?: TelegramLimits }): Promise<FakeTelegramLimits> {
  const limits = options.limits ?? { perBotPerSecond: 30, perChatIntervalMs: 1000 };
  const deliveredByChat = new Map<string, number>();
  const blockedByChat = new Map<string, number>();
  const lastToChat = new Map<string, number>();
  const chatRetryUntil = new Map<string, number>();
  let botRetryUntil = 0;
  let window = -1;
  let inWindow = 0;
  let calls = 0;
  let tooManyRequests = 0;
  let violations = 0;
  let messageId = 0;
  const perWindow = new Map<number, number>();

  const tooMany = (now: number, until: number): Answer => {
    tooManyRequests += 1;
    const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
    return failure(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  };

  function sendMessage(params: Record<string, unknown>): Answer {
    const now = Date.now();
    calls += 1;
    const chatId = typeof params.chat_id === "string" || typeof params.chat_id === "number" ? String(params.chat_id) : "";
    if (chatId === "") return failure(400, "Bad Request: chat_id is empty");
    if (typeof params.text !== "string" || params.text.trim() === "") return failure(400, "Bad Request: message text is empty");
    const openWindow = Math.max(botRetryUntil, chatRetryUntil.get(chatId) ?? 0);
    if (now < openWindow) {
      violations += 1;
      return tooMany(now, openWindow);
    }
    const second = Math.floor(now / 1000);
    if (second !== window) {
      window = second;
      inWindow = 0;
    }
    if (inWindow >= limits.perBotPerSecond) {
      const answer = tooMany(now, (second + 1) * 1000);
      botRetryUntil = now + 1000 * Math.max(1, Math.ceil(((second + 1) * 1000 - now) / 1000));
      return answer;
    }
    const last = lastToChat.get(chatId);
    if (last !== undefined && now - last < limits.perChatIntervalMs) {
      const answer = tooMany(now, last + limits.perChatIntervalMs);
      chatRetryUntil.set(chatId, now + 1000 * Math.max(1, Math.ceil((last + limits.perChatIntervalMs - now) / 1000)));
      return answer;
    }
    inWindow += 1;
    perWindow.set(second, inWindow);
    lastToChat.set(chatId, now);
    if (options.blockedChats.has(chatId)) {
      blockedByChat.set(chatId, (blockedByChat.get(chatId) ?? 0) + 1);
      return failure(403, "Forbidden: bot was blocked by the user");
    }
    deliveredByChat.set(chatId, (deliveredByChat.get(chatId) ?? 0) + 1);
    messageId += 1;
    return ok({ message_id: messageId, from: botUser, chat: { id: Number(chatId), type: "private", first_name: "Bench" }, date: Math.floor(now / 1000), text: params.text });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(request.url ?? "/", "http://fake");
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    let answer: Answer;
    if (match === null) answer = failure(404, "Not Found");
    else if (match[1] !== options.token) answer = failure(401, "Unauthorized");
    else {
      const contentType = request.headers["content-type"] ?? "";
      const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
      if (raw.length > 0 && contentType.startsWith("application/json")) {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed === "object" && parsed !== null) Object.assign(params, parsed);
      } else if (raw.length > 0) Object.assign(params, Object.fromEntries(new URLSearchParams(raw)));
      answer = match[2] === "sendMessage" ? sendMessage(params) : match[2] === "getMe" ? ok(botUser) : failure(404, "Not Found: method not found");
    }
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(JSON.stringify(answer.body));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ ok: false, error_code: 400, description: "Bad Request: can't parse request body" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${address.port}`,
    report: () => ({ perWindow, calls, deliveredByChat, blockedByChat, tooManyRequests, violations }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
