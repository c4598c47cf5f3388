import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A failure the fake answers instead of the next call(s) of a method, in the Bot API's wire format. */
export type FakeFailure =
  | { kind: "rate_limited"; retryAfter: number }
  | { kind: "blocked" }
  | { kind: "deactivated" }
  | { kind: "bad_request"; description?: string }
  | { kind: "server_error" }
  | { kind: "error"; code: number; description: string }
  /** Never answers (until the fake closes): the client's timeout has to fire. */
  | { kind: "hang" }
  /** Answers normally: lets a later call in the same `failNext` fail. */
  | { kind: "answer" };

/** One HTTP request the fake received, as the client sent it. */
export type RecordedCall = {
  httpMethod: string;
  path: string;
  token: string;
  method: string;
  contentType: string;
  params: Record<string, unknown>;
};

/** A message the fake "delivered" with `sendMessage`. */
export type DeliveredMessage = { chatId: string; messageId: number; text: string; replyMarkup?: unknown };

/** The methods that send a file, each with the parameter that names it (a URL or a file_id). */
const mediaParameters = { sendPhoto: "photo", sendVoice: "voice", sendAudio: "audio" } as const;

/** A picture or sound the fake "delivered" with `sendPhoto`, `sendVoice` or `sendAudio`, by URL or file_id. */
export type DeliveredMedia = { chatId: string; messageId: number; method: keyof typeof mediaParameters; file: string; caption?: string };

/** A local stand-in for api.telegram.org, for the adapter, polling and token tests. */
export type FakeTelegramApi = {
  /** Pass as grammY's `apiRoot`. */
  apiRoot: string;
  calls: RecordedCall[];
  /** Texts sent with `sendMessage`, in order. */
  delivered: DeliveredMessage[];
  /** Pictures and sounds sent with `sendPhoto`, `sendVoice` and `sendAudio`, in order. */
  deliveredMedia: DeliveredMedia[];
  answeredCallbackQueries: string[];
  /** The webhook URL set with `setWebhook` (getUpdates answers 409 while one is set). */
  webhookUrl: string | undefined;
  /** The last failed delivery `getWebhookInfo` reports (`last_error_date` in Unix seconds), if any. */
  webhookLastError?: { date: number; message: string };
  /** Answers the next calls of `method` with these failures, one per call. */
  failNext(method: string, ...failures: FakeFailure[]): void;
  /** Queues an update for `getUpdates`, giving it the next `update_id`; returns the id. */
  queueUpdate(update: Record<string, unknown>): number;
  close(): Promise<void>;
};

const botUser = { id: 4242, is_bot: true, first_name: "Loa test", username: "loa_test_bot", can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };

type Answer = { status: number; body: unknown };
const ok = (result: unknown): Answer => ({ status: 200, body: { ok: true, result } });
const error = (code: number, description: string, parameters?: Record<string, unknown>): Answer => ({
  status: code,
  body: { ok: false, error_code: code, description, ...(parameters === undefined ? {} : { parameters }) },
});

function failureAnswer(failure: Exclude<FakeFailure, { kind: "hang" | "answer" }>): Answer {
  switch (failure.kind) {
    case "rate_limited":
      return error(429, `Too Many Requests: retry after ${failure.retryAfter}`, { retry_after: failure.retryAfter });
    case "blocked":
      return error(403, "Forbidden: bot was blocked by the user");
    case "deactivated":
      return error(403, "Forbidden: user is deactivated");
    case "bad_request":
      return error(400, failure.description ?? "Bad Request: chat not found");
    case "server_error":
      return error(500, "Internal Server Error");
    case "error":
      return error(failure.code, failure.description);
  }
}

/**
 * Starts a fake Telegram Bot API on 127.0.0.1 with a random port. It speaks the real wire format for the
 * methods Loa uses: `POST /bot<token>/<method>` (GET with a query string too) with a JSON, urlencoded or
 * multipart body; answers `{ok:true,result}` or `{ok:false,error_code,description,parameters}` with the
 * same HTTP status; checks the token (401), `sendMessage`'s limits (4096 characters, 1–64-byte callback
 * data) and the media methods' (a file given, a caption of at most 1024 characters); and serves `getUpdates`
 * from a queue with offset confirmation and long polling. Texts and files share one message-id counter per chat.
 */
export async function startFakeTelegramApi(options: { token: string }): Promise<FakeTelegramApi> {
  const calls: RecordedCall[] = [];
  const delivered: DeliveredMessage[] = [];
  const deliveredMedia: DeliveredMedia[] = [];
  const answeredCallbackQueries: string[] = [];
  const failures = new Map<string, FakeFailure[]>();
  let pendingUpdates: Array<Record<string, unknown> & { update_id: number }> = [];
  let nextUpdateId = 500_000;
  const updateWaiters = new Set<() => void>();
  const messageIds = new Map<string, number>();
  let closing = false;

  const fake: FakeTelegramApi = {
    apiRoot: "",
    calls,
    delivered,
    deliveredMedia,
    answeredCallbackQueries,
    webhookUrl: undefined,
    failNext(method, ...next) {
      failures.set(method, [...(failures.get(method) ?? []), ...next]);
    },
    queueUpdate(update) {
      const updateId = nextUpdateId++;
      pendingUpdates.push({ ...update, update_id: updateId });
      for (const wake of updateWaiters) wake();
      return updateId;
    },
    async close() {
      closing = true;
      for (const wake of updateWaiters) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function getUpdates(params: Record<string, unknown>, request: IncomingMessage): Promise<Answer> {
    if (fake.webhookUrl !== undefined) {
      return error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeoutSeconds = Math.min(50, Math.max(0, Number(params.timeout ?? 0)));
    // An offset confirms every update before it: they are never sent again.
    if (offset > 0) pendingUpdates = pendingUpdates.filter((update) => update.update_id >= offset);
    const available = () => pendingUpdates.filter((update) => update.update_id >= offset).slice(0, limit);
    if (available().length === 0 && timeoutSeconds > 0 && !closing) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          updateWaiters.delete(done);
          request.off("close", done);
          resolve();
        };
        const timer = setTimeout(done, timeoutSeconds * 1000);
        updateWaiters.add(done);
        request.on("close", done);
      });
    }
    return ok(available());
  }

  function sendMessage(params: Record<string, unknown>): Answer {
    const chatId = params.chat_id === undefined ? "" : String(params.chat_id);
    if (chatId === "") return error(400, "Bad Request: chat_id is empty");
    const text = typeof params.text === "string" ? params.text : "";
    if (text.trim() === "") return error(400, "Bad Request: message text is empty");
    if (text.length > 4096) return error(400, "Bad Request: message is too long");
    const markup = typeof params.reply_markup === "string" ? (JSON.parse(params.reply_markup) as unknown) : params.reply_markup;
    for (const data of callbackDataOf(markup)) {
      const bytes = Buffer.byteLength(data, "utf8");
      if (bytes < 1 || bytes > 64) return error(400, "Bad Request: BUTTON_DATA_INVALID");
    }
    const messageId = nextMessageId(chatId);
    delivered.push({ chatId, messageId, text, ...(markup === undefined ? {} : { replyMarkup: markup }) });
    const numericChat = /^-?\d+$/.test(chatId) ? Number(chatId) : 1_000_000 + messageIds.size;
    return ok({
      message_id: messageId,
      from: botUser,
      chat: { id: numericChat, type: "private", first_name: "Test" },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(markup === undefined ? {} : { reply_markup: markup }),
    });
  }

  function nextMessageId(chatId: string): number {
    const messageId = (messageIds.get(chatId) ?? 0) + 1;
    messageIds.set(chatId, messageId);
    return messageId;
  }

  /** `sendPhoto`, `sendVoice`, `sendAudio` with a URL or file_id (an uploaded file is recorded as "[file]"). */
  function sendMedia(method: keyof typeof mediaParameters, params: Record<string, unknown>): Answer {
    const chatId = params.chat_id === undefined ? "" : String(params.chat_id);
    if (chatId === "") return error(400, "Bad Request: chat_id is empty");
    const file = params[mediaParameters[method]];
    if (typeof file !== "string" || file === "") return error(400, `Bad Request: there is no ${mediaParameters[method]} in the request`);
    const caption = typeof params.caption === "string" ? params.caption : undefined;
    if (caption !== undefined && caption.length > 1024) return error(400, "Bad Request: message caption is too long");
    const messageId = nextMessageId(chatId);
    deliveredMedia.push({ chatId, messageId, method, file, ...(caption === undefined ? {} : { caption }) });
    const fileIds = { file_id: `${method}-${chatId}-${messageId}`, file_unique_id: `u${messageId}` };
    const content =
      method === "sendPhoto"
        ? { photo: [{ ...fileIds, width: 800, height: 600 }] }
        : method === "sendVoice"
          ? { voice: { ...fileIds, duration: 5, mime_type: "audio/ogg" } }
          : { audio: { ...fileIds, duration: 5 } };
    return ok({
      message_id: messageId,
      from: botUser,
      chat: { id: /^-?\d+$/.test(chatId) ? Number(chatId) : 1_000_000 + messageIds.size, type: "private", first_name: "Test" },
      date: Math.floor(Date.now() / 1000),
      ...content,
      ...(caption === undefined ? {} : { caption }),
    });
  }

  async function answer(request: IncomingMessage, method: string, params: Record<string, unknown>): Promise<Answer | "hang"> {
    const queued = failures.get(method);
    const failure = queued?.shift();
    if (failure?.kind === "hang") return "hang";
    if (failure && failure.kind !== "answer") return failureAnswer(failure);
    switch (method) {
      case "getMe":
        return ok(botUser);
      case "sendMessage":
        return sendMessage(params);
      case "sendPhoto":
      case "sendVoice":
      case "sendAudio":
        return sendMedia(method, params);
      case "answerCallbackQuery":
        if (typeof params.callback_query_id !== "string" || params.callback_query_id === "") return error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
        answeredCallbackQueries.push(params.callback_query_id);
        return ok(true);
      case "setWebhook":
        fake.webhookUrl = String(params.url ?? "") || undefined;
        return ok(true);
      case "getWebhookInfo":
        return ok({
          url: fake.webhookUrl ?? "",
          has_custom_certificate: false,
          pending_update_count: pendingUpdates.length,
          ...(fake.webhookLastError === undefined ? {} : { last_error_date: fake.webhookLastError.date, last_error_message: fake.webhookLastError.message }),
        });
      case "deleteWebhook":
        fake.webhookUrl = undefined;
        if (params.drop_pending_updates === true || params.drop_pending_updates === "true") pendingUpdates = [];
        return ok(true);
      case "getUpdates":
        return getUpdates(params, request);
      default:
        return error(404, "Not Found: method not found");
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://fake");
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const raw = await readBody(request);
    const contentType = request.headers["content-type"] ?? "";
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    let answered: Answer | "hang";
    try {
      Object.assign(params, await parseBody(raw, contentType));
      if (!match) answered = error(404, "Not Found");
      else {
        const [, token = "", method = ""] = match;
        calls.push({ httpMethod: request.method ?? "", path: url.pathname, token, method, contentType, params });
        answered = token === options.token ? await answer(request, method, params) : error(401, "Unauthorized");
      }
    } catch {
      answered = error(400, "Bad Request: can't parse request body");
    }
    if (answered === "hang") return;
    if (response.destroyed) return;
    response.writeHead(answered.status, { "content-type": "application/json" });
    response.end(JSON.stringify(answered.body));
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON, urlencoded and multipart bodies, as the Bot API accepts them (form values are strings). */
async function parseBody(raw: Buffer, contentType: string): Promise<Record<string, unknown>> {
  if (raw.length === 0) return {};
  if (contentType.startsWith("application/json")) return JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
  if (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
    const fields: Record<string, unknown> = {};
    form.forEach((value, key) => {
      fields[key] = typeof value === "string" ? value : "[file]";
    });
    return fields;
  }
  throw new Error("unsupported content type");
}

function callbackDataOf(markup: unknown): string[] {
  if (typeof markup !== "object" || markup === null || !("inline_keyboard" in markup) || !Array.isArray(markup.inline_keyboard)) return [];
  return markup.inline_keyboard.flat().flatMap((button: unknown) =>
    typeof button === "object" && button !== null && "callback_data" in button && typeof button.callback_data === "string" ? [button.callback_data] : [],
  );
}
