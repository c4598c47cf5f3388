import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZaloBotAdapter } from "../../../src/channels/zalo-bot/zalo-bot-adapter.ts";
import { zaloBotQuotaExhaustedCode, zaloBotQuotaRetryAfterSeconds } from "../../../src/channels/zalo-bot/zalo-bot-send-errors.ts";
import { parseZaloBotUpdate } from "../../../src/channels/zalo-bot/zalo-bot-webhook.ts";
import { acceptInboundUpdate } from "../../../src/conversation/inbox.ts";
import { createPipeline, type Pipeline } from "../../support/pipeline-harness.ts";
import { databaseKinds } from "../../support/test-database.ts";
import { startFakeZaloBotPlatform, zaloBotError, zaloBotErrors, type FakeZaloBotPlatform } from "./fake-zalo-bot-platform.ts";

const token = "1459232241:Zb-SECRET_token.value";
const chatId = "6ede9afa66b88fe6d6a9";

const webhookBody = (messageId: string, text: string) => ({
  event_name: "message.text.received",
  message: { from: { id: chatId, is_bot: false }, chat: { id: chatId, chat_type: "PRIVATE" }, text, message_id: messageId, date: 1750316131602 },
});

describe.each(databaseKinds)("Zalo Bot through the pipeline on %s", (kind) => {
  let fake: FakeZaloBotPlatform;
  let pipeline: Pipeline;

  beforeEach(async () => {
    fake = await startFakeZaloBotPlatform({ token });
    pipeline = await createPipeline(kind, { channels: [createZaloBotAdapter({ token, apiRoot: fake.apiRoot })] });
  });
  afterEach(async () => {
    await pipeline.drop();
    await fake.close();
  });

  async function write(messageId: string, text: string): Promise<void> {
    for (const update of parseZaloBotUpdate(webhookBody(messageId, text)).updates) {
      await acceptInboundUpdate(pipeline.database.client, update, pipeline.clock.now());
    }
  }

  it("answers a person who writes to the bot, menus as numbered lines she can answer with a digit", async () => {
    await write("m1", "xin chào");
    await pipeline.settle();
    const firstReplies = fake.messages.length;
    expect(firstReplies).toBeGreaterThan(0);
    expect(fake.messages.every((sent) => sent.chatId === chatId && sent.text.length <= 2000)).toBe(true);
    expect(fake.messages.some((sent) => /\n\n1\. \S.*\n2\. \S/.test(sent.text))).toBe(true);
    await write("m2", "1");
    await pipeline.settle();
    expect(fake.messages.length).toBeGreaterThan(firstReplies);
  });

  it("holds every Zalo Bot send for an hour when the monthly quota is used up, with a code an alert can match", async () => {
    fake.fail("sendMessage", zaloBotError(zaloBotErrors.quota));
    await write("m1", "xin chào");
    await pipeline.settle();
    expect(fake.messages).toEqual([]);
    const rows = await pipeline.database.client.outboxMessage.findMany({ orderBy: { id: "asc" } });
    expect(rows[0]).toMatchObject({ status: "pending", attempts: 0, lastError: zaloBotQuotaExhaustedCode });
    expect(rows[0]?.nextAttemptAt.getTime()).toBe(pipeline.clock.now().getTime() + zaloBotQuotaRetryAfterSeconds * 1000);
    expect(pipeline.logs.lines.join("")).toContain(`"code":"${zaloBotQuotaExhaustedCode}"`);
    expect(pipeline.logs.lines.join("")).not.toContain(token);

    pipeline.clock.advance(zaloBotQuotaRetryAfterSeconds * 1000 - 1);
    await pipeline.settle();
    expect(fake.messages).toEqual([]);
    pipeline.clock.advance(1);
    await pipeline.settle();
    expect(fake.messages.length).toBe(rows.length);
  });
});
