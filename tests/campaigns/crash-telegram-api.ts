// A local Telegram Bot API for the campaign crash test. Like Telegram, it has no idempotency key: every
// sendMessage it accepts is a message the person sees, and it records each one the moment the whole request has
// arrived. It answers only after `latencyMs` (a platform's latency), so a worker SIGKILLed while it waits leaves
// a message that reached "Telegram" but was never marked sent: exactly the case crash safety is about.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One sendMessage the fake accepted. */
export type RecordedMessage = { chatId: string; text: string };

/** A running fake: point TELEGRAM_API_ROOT at `apiRoot`. */
export type CrashTelegramApi = {
  apiRoot: string;
  /** Every message accepted, in arrival order, resends included. */
  messages: readonly RecordedMessage[];
  /** Resolves as soon as (in the same turn as) messages have reached `count` different chats. */
  whenChatsReached(count: number): Promise<void>;
  /**
   * Resolves once no client connection is open any more. Called after every sender was killed, it means every
   * request that had fully arrived is recorded, so `messages` is final for that moment.
   */
  quiet(): Promise<void>;
  close(): Promise<void>;
};

const botUser = { id: 4242, is_bot: true, first_name: "Loa crash test", username: "loa_crash_bot" };

type Answer = { status: number; body: unknown };
const ok = (result: unknown): Answer => ({ status: 200, body: { ok: true, result } });
const failure = (code: number, description: string): Answer => ({ status: code, body: { ok: false, error_code: code, description } });
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Starts the fake on 127.0.0.1 with a random port. It serves `getMe` and `sendMessage` with a JSON body (what
 * grammY sends for text), checks the token (401), and refuses an empty chat or text (400) as Telegram does.
 */
export async function startCrashTelegramApi(options: { token: string; latencyMs: number }): Promise<CrashTelegramApi> {
  const messages: RecordedMessage[] = [];
  const chats = new Set<string>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const sockets = new Set<Socket>();
  let messageId = 0;

  function record(chatId: string, text: string): void {
    messages.push({ chatId, text });
    chats.add(chatId);
    for (const waiter of waiters.filter((entry) => chats.size >= entry.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  function sendMessage(params: Record<string, unknown>): Answer {
    const chatId = typeof params.chat_id === "string" || typeof params.chat_id === "number" ? String(params.chat_id) : "";
    if (chatId === "") return failure(400, "Bad Request: chat_id is empty");
    if (typeof params.text !== "string" || params.text.trim() === "") return failure(400, "Bad Request: message text is empty");
    record(chatId, params.text);
    messageId += 1;
    return ok({ message_id: messageId, from: botUser, chat: { id: 0, type: "private", first_name: "Crash" }, date: Math.floor(Date.now() / 1000), text: params.text });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(request.url ?? "/", "http://fake").pathname);
    let answer: Answer;
    if (match === null) answer = failure(404, "Not Found");
    else if (match[1] !== options.token) answer = failure(401, "Unauthorized");
    else if (match[2] === "getMe") answer = ok(botUser);
    else if (match[2] !== "sendMessage") answer = failure(404, "Not Found: method not found");
    else if (!(request.headers["content-type"] ?? "").startsWith("application/json")) answer = failure(400, "Bad Request: expected a JSON body");
    else {
      const parsed = parseJson(Buffer.concat(chunks).toString("utf8"));
      answer = typeof parsed === "object" && parsed !== null ? sendMessage({ ...parsed }) : failure(400, "Bad Request: can't parse request body");
    }
    await sleep(options.latencyMs);
    if (response.destroyed) return;
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(JSON.stringify(answer.body));
  }

  const server = createServer((request, response) => {
    // A request cut off by a killed sender never fully arrived: like Telegram, the fake does not act on it.
    handle(request, response).catch(() => response.destroy());
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${address.port}`,
    messages,
    whenChatsReached(count) {
      if (chats.size >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async quiet() {
      // A connection the kernel queued just before its sender died is accepted on a later turn: give it a moment.
      await sleep(50);
      while (sockets.size > 0) await sleep(5);
      await new Promise((resolve) => setImmediate(resolve));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
