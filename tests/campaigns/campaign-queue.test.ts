// The BullMQ path of campaign delivery, against a real Redis at 127.0.0.1:6379 (the tests fail, never skip,
// when it is missing): idempotent enqueueing, one send per delivery, deferred deliveries coming back, the sweep
// that rebuilds jobs Redis lost, and the per-platform limiter shared by several worker processes.
import { Queue } from "bullmq";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCampaignDispatcher } from "../../src/campaigns/campaign-dispatcher.ts";
import { campaignQueueName, campaignQueuePrefix, campaignRateLimits, createCampaignQueue, type CampaignQueue } from "../../src/campaigns/campaign-queue.ts";
import type { ChannelAdapter } from "../../src/channels/channel-adapter.ts";
import { createChannelRegistry } from "../../src/channels/channel-registry.ts";
import { createSendPacing } from "../../src/conversation/outbox-dispatcher.ts";
import type { DatabaseClient } from "../../src/store/database.ts";
import { createLogCapture } from "../support/log-capture.ts";
import { loadShippedAssets, loadShippedIndicators } from "../support/pipeline-harness.ts";
import { createRecordingChannel } from "../support/recording-channel.ts";
import { seedCommuneCampaign } from "../support/campaign-fixture.ts";
import { dropQueueKeys, requireRedis, testRedisUrl } from "../support/test-redis.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

const redisUrl = testRedisUrl;



/** A running campaign with one pending delivery for each of `count` people on `channel`. */
async function seedCampaign(db: DatabaseClient, channel: string, count: number): Promise<number[]> {
  const now = new Date();
  await seedCommuneCampaign(db, { id: "campaign-1", name: "Ngày Gia đình Việt Nam", channel, count, status: "running" });
  await db.campaignDelivery.createMany({
    data: Array.from({ length: count }, (_, index) => ({
      campaignId: "campaign-1",
      runNumber: 1,
      pseudonym: `p-${index}`,
      contactId: `c${index}`,
      channel,
      locale: "vi",
      provinceCode: "14",
      communeCode: "14-mau-04",
      status: "pending",
      nextAttemptAt: now,
      createdAt: now,
    })),
  });
  return (await db.campaignDelivery.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((row) => row.id);
}

async function waitForFinalStatuses(db: DatabaseClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await db.campaignDelivery.count({ where: { status: { in: ["pending", "sending"] } } });
    if (open === 0) return;
    if (Date.now() > deadline) throw new Error(`${open} deliveries still open after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A recording fake platform that also notes when each send arrived. */
function timedChannel(channel: string) {
  const recording = createRecordingChannel(channel);
  const sentAt: number[] = [];
  const adapter: ChannelAdapter = {
    ...recording.adapter,
    send: (to, message, options) => {
      sentAt.push(Date.now());
      return recording.adapter.send(to, message, options);
    },
  };
  return { ...recording, adapter, sentAt };
}

beforeAll(() => requireRedis("the campaign queue tests"));

describe.each(databaseKinds)("campaign queue on %s", (kind) => {
  let test: TestDatabase;
  let prefix: string;
  const opened: Array<CampaignQueue | Queue> = [];

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    prefix = campaignQueuePrefix(test.url);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((closable) => closable.close()));
    await dropQueueKeys(prefix);
    await test.drop();
  });

  async function queueFor(channel: ReturnType<typeof timedChannel>, options: { sweepIntervalMs?: number } = {}): Promise<CampaignQueue> {
    const assets = await loadShippedAssets();
    const db = test.database.client;
    const now = () => new Date();
    const logger = createLogCapture().logger;
    const queue = createCampaignQueue({
      redisUrl,
      databaseName: test.url,
      db,
      channels: [channel.adapter.channel],
      deliver: (id) => dispatcher.processDelivery(id),
      now,
      logger,
      leaseMs: 2_000,
      ...options,
    });
    const channels = queue.limitedChannels(createChannelRegistry([channel.adapter]));
    const dispatcher = createCampaignDispatcher({ db, channels, bot: () => assets, now, logger, pacing: createSendPacing(), leaseMs: 2_000, indicators: await loadShippedIndicators() });
    opened.push(queue);
    return queue;
  }

  function inspect(channel: string): Queue {
    const queue = new Queue(campaignQueueName(channel), { connection: { host: "127.0.0.1", port: 6379 }, prefix });
    opened.push(queue);
    return queue;
  }

  it("adds one job per pending delivery however often it is asked, and rebuilds the jobs after Redis lost them", async () => {
    const count = 2_000;
    const ids = await seedCampaign(test.database.client, "fake", count);
    const channel = timedChannel("fake");
    const queue = await queueFor(channel, { sweepIntervalMs: 0 });
    const jobs = inspect("fake");

    const started = performance.now();
    expect(await queue.enqueueOpenDeliveries()).toBe(count);
    const firstMs = performance.now() - started;
    expect(await queue.enqueueOpenDeliveries()).toBe(0);
    const again = createCampaignQueue({ redisUrl, databaseName: test.url, db: test.database.client, channels: ["fake"], deliver: async () => ({ outcome: "busy" }), now: () => new Date(), logger: createLogCapture().logger, leaseMs: 2_000 });
    opened.push(again);
    expect(await again.enqueueOpenDeliveries()).toBe(0);
    expect(await jobs.getJobCountByTypes("wait", "delayed")).toBe(count);
    const stored = await jobs.getJobs(["wait"], 0, 4, true);
    expect(stored.map((job) => job.id)).toEqual(ids.slice(0, 5).map((id) => `d-${id}`));
    expect(stored.map((job) => job.data)).toEqual(ids.slice(0, 5).map((id) => ({ deliveryId: id })));

    // Redis loses everything: the table is the truth, and the next sweep adds every job again.
    await dropQueueKeys(prefix);
    expect(await jobs.getJobCountByTypes("wait", "delayed")).toBe(0);
    expect(await queue.enqueueOpenDeliveries()).toBe(count);
    expect(await jobs.getJobCountByTypes("wait", "delayed")).toBe(count);
    console.log(`[campaign-queue ${kind}] enqueued ${count} deliveries in ${firstMs.toFixed(0)} ms (table read, existence check and addBulk)`);
  });

  it("sends each delivery once with two workers on the same queue, and brings a deferred delivery back when it may go", async () => {
    const count = 60;
    const ids = await seedCampaign(test.database.client, "fake", count);
    const channel = timedChannel("fake");
    // The platform answers the first send with a rate limit and retry_after = 1 s: that delivery is deferred.
    channel.failNext("rate_limited", 1, 1);
    const first = await queueFor(channel);
    const second = await queueFor(channel);
    await Promise.all([first.enqueueOpenDeliveries(), second.enqueueOpenDeliveries()]);
    first.start();
    second.start();
    await waitForFinalStatuses(test.database.client, 15_000);

    const rows = await test.database.client.campaignDelivery.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((row) => row.status)).toEqual(ids.map(() => "sent"));
    const delivered = channel.delivered().map((send) => send.idempotencyKey);
    expect(delivered).toHaveLength(count);
    expect(new Set(delivered).size).toBe(count);
    const limited = channel.sends.findIndex((send) => send.outcome === "rate_limited");
    const limitedKey = channel.sends[limited]?.idempotencyKey;
    expect(channel.sends.filter((send) => send.idempotencyKey === limitedKey).map((send) => send.outcome)).toEqual(["rate_limited", "delivered"]);
    const retried = channel.sends.findIndex((send, index) => index > limited && send.idempotencyKey === limitedKey);
    expect((channel.sentAt[retried] ?? 0) - (channel.sentAt[limited] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("drops the job of a paused campaign and adds it again when the campaign runs again", async () => {
    const ids = await seedCampaign(test.database.client, "fake", 3);
    const db = test.database.client;
    await db.campaign.update({ where: { id: "campaign-1" }, data: { status: "paused" } });
    const channel = timedChannel("fake");
    const queue = await queueFor(channel, { sweepIntervalMs: 0 });
    const jobs = inspect("fake");
    // Jobs that were added before the pause are taken and dropped by the workers.
    await jobs.addBulk(ids.map((id) => ({ name: "deliver", data: { deliveryId: id }, opts: { jobId: `d-${id}`, removeOnComplete: true } })));
    expect(await queue.enqueueOpenDeliveries()).toBe(0);
    queue.start();
    for (let tries = 0; (await jobs.getJobCountByTypes("wait", "active", "delayed")) > 0; tries += 1) {
      if (tries > 100) throw new Error("the paused campaign's jobs were not dropped");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(channel.sends).toHaveLength(0);
    await db.campaign.update({ where: { id: "campaign-1" }, data: { status: "running" } });
    expect(await queue.enqueueOpenDeliveries()).toBe(3);
    await waitForFinalStatuses(db, 10_000);
    expect(channel.delivered().map((send) => send.idempotencyKey).sort()).toEqual(ids.map((id) => `campaign-${id}`).sort());
  });
});

describe("campaign queue limiter", () => {
  let test: TestDatabase;
  const opened: CampaignQueue[] = [];

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
    await dropQueueKeys(campaignQueuePrefix(test.url));
    await test.drop();
  });

  it("keeps Telegram within 30 messages in every sliding second, with three worker processes sharing the limit", async () => {
    test = await createTestDatabase("postgres");
    const db = test.database.client;
    const count = 120;
    await seedCampaign(db, "telegram", count);
    const channel = timedChannel("telegram");
    const assets = await loadShippedAssets();
    for (let worker = 0; worker < 3; worker += 1) {
      const logger = createLogCapture().logger;
      const now = () => new Date();
      const queue = createCampaignQueue({ redisUrl, databaseName: test.url, db, channels: ["telegram"], deliver: (id) => dispatcher.processDelivery(id), now, logger, leaseMs: 2_000 });
      const dispatcher = createCampaignDispatcher({ db, channels: queue.limitedChannels(createChannelRegistry([channel.adapter])), bot: () => assets, now, logger, pacing: createSendPacing(), indicators: await loadShippedIndicators() });
      opened.push(queue);
    }
    expect(campaignRateLimits.telegram).toEqual({ queue: { max: 3, duration: 100 }, sliding: { max: 30, windowMs: 1_050 } });
    await opened[0]?.enqueueOpenDeliveries();
    for (const queue of opened) queue.start();
    await waitForFinalStatuses(db, 20_000);

    expect(new Set(channel.delivered().map((send) => send.idempotencyKey)).size).toBe(count);
    const times = [...channel.sentAt].sort((a, b) => a - b);
    let busiestSecond = 0;
    for (let start = 0, end = 0; start < times.length; start += 1) {
      while (end < times.length && (times[end] ?? 0) < (times[start] ?? 0) + 1_000) end += 1;
      busiestSecond = Math.max(busiestSecond, end - start);
    }
    console.log(`[campaign-queue limiter] ${count} Telegram sends by 3 workers: at most ${busiestSecond} in any sliding second`);
    expect(busiestSecond).toBeLessThanOrEqual(30);
    // The limiter holds the rate down rather than the workers being slow: most seconds are close to full.
    expect(busiestSecond).toBeGreaterThanOrEqual(20);
  });
});
