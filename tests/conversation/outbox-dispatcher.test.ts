import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSendPacing, retryDelayMs } from "../../src/conversation/outbox-dispatcher.ts";
import { createPipeline, type Pipeline } from "../support/pipeline-harness.ts";
import { createRecordingChannel } from "../support/recording-channel.ts";
import { databaseKinds } from "../support/test-database.ts";

const retry = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 };

describe("retry delays", () => {
  it("double from the base and stop at the cap", () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(retry, attempts))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(retryDelayMs(retry, 20)).toBe(60_000);
  });
});

describe("send pacing", () => {
  const telegramLike = { maxTextLength: 4096, maxButtons: 8, maxPerSecond: 3, perConversationIntervalMs: 1000 };

  it("allows at most maxPerSecond sends in any one-second window of a channel", () => {
    const pacing = createSendPacing();
    const allowed = [0, 1, 2, 3, 4].map((person) => pacing.take("tg", `p${person}`, telegramLike, 10_000));
    expect(allowed).toEqual([true, true, true, false, false]);
    expect(pacing.take("tg", "p3", telegramLike, 10_999)).toBe(false);
    expect(pacing.take("tg", "p3", telegramLike, 11_000)).toBe(true);
    expect(pacing.take("other", "p3", telegramLike, 10_000)).toBe(true);
  });

  it("spaces messages to one person", () => {
    const pacing = createSendPacing();
    expect(pacing.take("tg", "ana", telegramLike, 0)).toBe(true);
    expect(pacing.take("tg", "ana", telegramLike, 999)).toBe(false);
    expect(pacing.take("tg", "bao", telegramLike, 999)).toBe(true);
    expect(pacing.take("tg", "ana", telegramLike, 1000)).toBe(true);
  });

  it("gives the next slots to a person's replies when a broadcast has filled the channel", () => {
    const pacing = createSendPacing();
    expect(["a", "b", "c"].map((person) => pacing.take("tg", person, telegramLike, 0, "campaign"))).toEqual([true, true, true]);
    expect(pacing.take("tg", "reply-to-her", telegramLike, 10)).toBe(false);
    expect(pacing.take("tg", "d", telegramLike, 1001, "campaign")).toBe(false);
    expect(pacing.take("tg", "reply-to-her", telegramLike, 1002)).toBe(true);
    expect(pacing.take("tg", "e", telegramLike, 1011, "campaign")).toBe(true);
  });

  it("does not hold a broadcast back while one person's multi-message reply waits its turn", () => {
    const pacing = createSendPacing();
    expect(pacing.take("tg", "her", telegramLike, 0)).toBe(true);
    expect(pacing.take("tg", "her", telegramLike, 100)).toBe(false);
    expect(pacing.take("tg", "someone", telegramLike, 200, "campaign")).toBe(true);
  });

  it("holds every send on a paused channel until the pause ends", () => {
    const pacing = createSendPacing();
    pacing.pauseChannel("tg", 5_000);
    expect(pacing.take("tg", "ana", telegramLike, 4_999)).toBe(false);
    expect(pacing.take("zalo", "ana", telegramLike, 4_999)).toBe(true);
    expect(pacing.take("tg", "ana", telegramLike, 5_000)).toBe(true);
  });
});

describe.each(databaseKinds)("outbox dispatcher on %s", (kind) => {
  let pipeline: Pipeline;
  let fake: ReturnType<typeof createRecordingChannel>;

  beforeEach(async () => {
    fake = createRecordingChannel();
    pipeline = await createPipeline(kind, { channels: [fake.adapter], retry, leaseMs: 30_000 });
  });
  afterEach(async () => {
    await pipeline.drop();
  });

  async function queue(userId: string, texts: string[], contactId: string | null = null) {
    for (const text of texts) {
      await pipeline.database.client.outboxMessage.create({
        data: {
          channel: "fake",
          channelUserId: userId,
          contactId,
          payload: JSON.stringify({ text, contentKeys: ["common:welcome"], locale: "vi" }),
          nextAttemptAt: pipeline.clock.now(),
          createdAt: pipeline.clock.now(),
        },
      });
    }
  }

  const statuses = async () => (await pipeline.database.client.outboxMessage.findMany({ orderBy: { id: "asc" } })).map((row) => row.status);

  it("sends each conversation's messages in order, marking them sent", async () => {
    await queue("a", ["a1", "a2", "a3"]);
    await queue("b", ["b1"]);
    await pipeline.settle();
    expect(fake.delivered().filter((send) => send.to.channelUserId === "a").map((send) => send.message.text)).toEqual(["a1", "a2", "a3"]);
    expect(await statuses()).toEqual(["sent", "sent", "sent", "sent"]);
  });

  it("retries a transient failure after its backoff, and holds the person's later messages until then", async () => {
    await queue("a", ["a1", "a2"]);
    fake.failNext("transient");
    expect(await pipeline.dispatcher.dispatchDue()).toBe(1);
    expect(await pipeline.dispatcher.dispatchDue()).toBe(0);
    expect(fake.delivered()).toHaveLength(0);
    pipeline.clock.advance(999);
    expect(await pipeline.dispatcher.dispatchDue()).toBe(0);
    pipeline.clock.advance(1);
    await pipeline.settle();
    expect(fake.delivered().map((send) => send.message.text)).toEqual(["a1", "a2"]);
    const first = await pipeline.database.client.outboxMessage.findFirstOrThrow({ orderBy: { id: "asc" } });
    expect(first.attempts).toBe(2);
  });

  it("marks a message dead after the last attempt and goes on with the next", async () => {
    await queue("a", ["a1", "a2"]);
    fake.failNext("transient", 3);
    for (let i = 0; i < 3; i += 1) {
      await pipeline.dispatcher.dispatchDue();
      pipeline.clock.advance(60_000);
    }
    await pipeline.settle();
    expect(await statuses()).toEqual(["dead", "sent"]);
    expect(fake.sends.filter((send) => send.message.text === "a1")).toHaveLength(3);
  });

  it("waits out a rate limit's retry_after without counting it as an attempt", async () => {
    await queue("a", ["a1"]);
    fake.failNext("rate_limited", 1, 7);
    await pipeline.dispatcher.dispatchDue();
    const row = await pipeline.database.client.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: "pending", attempts: 0 });
    expect(row.nextAttemptAt.getTime() - pipeline.clock.now().getTime()).toBe(7_000);
    pipeline.clock.advance(6_999);
    expect(await pipeline.dispatcher.dispatchDue()).toBe(0);
    pipeline.clock.advance(1);
    await pipeline.settle();
    expect(await statuses()).toEqual(["sent"]);
  });

  it("pauses the whole channel on a channel-wide rate limit", async () => {
    await queue("a", ["a1"]);
    await queue("b", ["b1"]);
    fake.failNext("rate_limited", 1, 5, "channel");
    await pipeline.dispatcher.dispatchDue();
    const delivered = fake.delivered().length;
    pipeline.clock.advance(4_000);
    await pipeline.dispatcher.dispatchDue();
    expect(fake.delivered()).toHaveLength(delivered);
    pipeline.clock.advance(1_000);
    await pipeline.settle();
    expect(await statuses()).toEqual(["sent", "sent"]);
  });

  it("stops a contact who blocked the bot, with no retry", async () => {
    const contact = await pipeline.database.client.contact.create({
      data: { id: "c1", pseudonym: "p1", channel: "fake", channelUserId: "a", createdAt: pipeline.clock.now(), lastSeenAt: pipeline.clock.now() },
    });
    await queue("a", ["a1", "a2", "a3"], contact.id);
    fake.failNext("blocked");
    await pipeline.settle();
    await queue("b", ["b1"]);
    await pipeline.settle();
    expect(await statuses()).toEqual(["dead", "cancelled", "cancelled", "sent"]);
    expect(fake.sends.filter((send) => send.to.channelUserId === "a")).toHaveLength(1);
    expect((await pipeline.database.client.contact.findUniqueOrThrow({ where: { id: "c1" } })).stoppedAt).not.toBeNull();
  });

  it("does not touch a message another sender holds, and resends it with the same key once the lease ends", async () => {
    await queue("a", ["a1"]);
    const row = await pipeline.database.client.outboxMessage.findFirstOrThrow();
    await pipeline.database.client.outboxMessage.update({
      where: { id: row.id },
      data: { status: "sending", attempts: 1, leaseUntil: new Date(pipeline.clock.now().getTime() + 30_000) },
    });
    expect(await pipeline.dispatcher.dispatchDue()).toBe(0);
    pipeline.clock.advance(30_000);
    await pipeline.settle();
    expect(fake.sends.map((send) => send.idempotencyKey)).toEqual([String(row.id)]);
    expect(await statuses()).toEqual(["sent"]);
  });

  it("leaves rows of a channel this process has no adapter for untouched", async () => {
    await pipeline.database.client.outboxMessage.create({
      data: { channel: "telegram", channelUserId: "t1", payload: "{}", nextAttemptAt: pipeline.clock.now(), createdAt: pipeline.clock.now() },
    });
    await pipeline.settle();
    const row = await pipeline.database.client.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("lets only one of two dispatchers claim a message", async () => {
    await queue("a", ["a1"]);
    const [one, two] = await Promise.all([pipeline.dispatcher.dispatchDue(), pipeline.dispatcher.dispatchDue()]);
    expect(one + two).toBe(1);
    expect(fake.sends).toHaveLength(1);
  });
});
