import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTelegramPolling, type TelegramPolling } from "../../../src/channels/telegram/telegram-polling.ts";
import type { InboundUpdate } from "../../../src/conversation/inbound-message.ts";
import { LoaError } from "../../../src/errors.ts";
import { renderingsOf } from "./error-renderings.ts";
import { startFakeTelegramApi, type FakeTelegramApi } from "./fake-telegram-api.ts";

const token = "7345109283:AAF-polling_TOKEN-Nevershow42";
const chatA = 1001;
const chatB = 1002;

const text = (chatId: number, words: string) => ({
  message: { message_id: Math.floor(Math.random() * 1e6), date: 1764115200, chat: { id: chatId, type: "private", first_name: "T" }, from: { id: chatId, is_bot: false, first_name: "T" }, text: words },
});
const press = (chatId: number, queryId: string, data: string) => ({
  callback_query: {
    id: queryId,
    from: { id: chatId, is_bot: false, first_name: "T" },
    message: { message_id: 9, date: 1764115200, chat: { id: chatId, type: "private", first_name: "T" }, text: "Chọn:" },
    chat_instance: "1",
    data,
  },
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe("Telegram long polling", () => {
  let fake: FakeTelegramApi;
  let polling: TelegramPolling | undefined;
  let accepted: InboundUpdate[];
  let errors: unknown[];

  beforeEach(async () => {
    fake = await startFakeTelegramApi({ token });
    accepted = [];
    errors = [];
    polling = undefined;
  });
  afterEach(async () => {
    await polling?.stop();
    await fake.close();
  });

  const start = (accept: (update: InboundUpdate) => Promise<void> = async (update) => void accepted.push(update)) =>
    startTelegramPolling({ token, apiRoot: fake.apiRoot, pollTimeoutSeconds: 1, accept, onError: (error) => void errors.push(error) });

  it("deletes the webhook, then delivers every update once, each person's in order, and acknowledges button presses", async () => {
    fake.webhookUrl = "https://loa.example/webhooks/telegram";
    const ids = [
      fake.queueUpdate(text(chatA, "a1")),
      fake.queueUpdate(text(chatB, "b1")),
      fake.queueUpdate(text(chatA, "a2")),
      fake.queueUpdate(press(chatA, "query-1", "c|2|main/topics")),
      fake.queueUpdate(text(chatB, "b2")),
    ];
    // The first update of A is slow to store: A's later updates must still come after it.
    polling = await start(async (update) => {
      if (update.message.kind === "text" && update.message.text === "a1") await sleep(150);
      accepted.push(update);
    });
    await waitFor(() => accepted.length === 5 && fake.answeredCallbackQueries.length === 1, "the first batch");

    const methods = fake.calls.map((call) => call.method);
    expect(methods.slice(0, 3)).toEqual(["getMe", "deleteWebhook", "getUpdates"]);
    expect(fake.calls[2]?.params).toMatchObject({ allowed_updates: ["message", "callback_query", "my_chat_member"] });
    const of = (chat: number) => accepted.filter((update) => update.channelUserId === String(chat)).map((update) => update.message);
    expect(of(chatA)).toEqual([
      { kind: "text", text: "a1" },
      { kind: "text", text: "a2" },
      { kind: "choice", optionId: "2", nodeId: "main/topics" },
    ]);
    expect(of(chatB)).toEqual([
      { kind: "text", text: "b1" },
      { kind: "text", text: "b2" },
    ]);
    expect(accepted.map((update) => update.externalId).sort()).toEqual(ids.map(String).sort());
    expect(accepted.every((update) => update.channel === "telegram")).toBe(true);
    expect(fake.answeredCallbackQueries).toEqual(["query-1"]);

    // Later updates arrive through the long poll; confirmed ones are never delivered again.
    const later = fake.queueUpdate(text(chatB, "b3"));
    await waitFor(() => accepted.length === 6, "the later update");
    await sleep(100);
    expect(accepted.map((update) => update.externalId)).toHaveLength(6);
    expect(accepted.at(-1)).toMatchObject({ externalId: String(later), message: { kind: "text", text: "b3" } });
    const offsets = fake.calls.filter((call) => call.method === "getUpdates").map((call) => Number(call.params.offset ?? 0));
    expect(offsets.at(-1)).toBeGreaterThan(later);
    expect(errors).toEqual([]);

    await polling.stop();
    expect(polling.isRunning()).toBe(false);
  });

  it("passes a block through as a blocked input, and ignores what the inbox does not take", async () => {
    fake.queueUpdate({ my_chat_member: { chat: { id: chatB, type: "private" }, from: { id: chatB }, date: 1, old_chat_member: { status: "member" }, new_chat_member: { status: "kicked" } } });
    fake.queueUpdate({ edited_message: { message_id: 1, date: 1, chat: { id: chatA, type: "private" }, text: "x" } });
    fake.queueUpdate(press(chatA, "query-2", "not-ours"));
    fake.queueUpdate(text(chatA, "after"));
    polling = await start();
    await waitFor(() => accepted.length === 2 && fake.answeredCallbackQueries.length === 1, "the updates");
    expect(accepted.map((update) => [update.channelUserId, update.message])).toEqual([
      [String(chatB), { kind: "blocked" }],
      [String(chatA), { kind: "text", text: "after" }],
    ]);
    expect(fake.answeredCallbackQueries).toEqual(["query-2"]);
  });

  it("reports a failed getUpdates and a failed accept without the token or the text, and keeps polling", async () => {
    fake.failNext("getUpdates", { kind: "server_error" });
    fake.queueUpdate(text(chatA, "Xin chào bí mật"));
    fake.queueUpdate(text(chatA, "second"));
    polling = await start(async (update) => {
      if (update.message.kind === "text" && update.message.text === "Xin chào bí mật") throw new LoaError("inbox unavailable", "test:inbox");
      accepted.push(update);
    });
    await waitFor(() => accepted.length === 1, "the second update");
    expect(errors.map((error) => (error instanceof LoaError ? error.code : String(error)))).toEqual(["telegram:polling-failed", "test:inbox"]);
    for (const error of errors) {
      for (const rendering of renderingsOf(error)) {
        expect(rendering).not.toContain(token);
        expect(rendering).not.toContain("Xin chào bí mật");
      }
    }
  });

  it("reports that polling stopped when Telegram refuses it (a webhook was set again: 409)", async () => {
    polling = await start();
    await waitFor(() => fake.calls.some((call) => call.method === "getUpdates"), "the first poll");
    fake.webhookUrl = "https://elsewhere.example/hook";
    await waitFor(() => errors.some((error) => error instanceof LoaError && error.code === "telegram:polling-stopped"), "the stop report");
    expect(polling.isRunning()).toBe(false);
    expect(errors.flatMap(renderingsOf).some((rendering) => rendering.includes(token))).toBe(false);
  });

  it("refuses to start with a token the API rejects, naming the step but not the token", async () => {
    const wrongToken = "7345109283:AAF-WRONG-token";
    const failure = await startTelegramPolling({ token: wrongToken, apiRoot: fake.apiRoot, accept: async () => undefined, onError: () => undefined }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(LoaError);
    expect(failure).toMatchObject({ code: "telegram:polling-start-failed", context: { method: "getMe" }, cause: { kind: "transient", context: { status: 401 } } });
    for (const rendering of renderingsOf(failure)) expect(rendering).not.toContain(wrongToken);
  });
});
