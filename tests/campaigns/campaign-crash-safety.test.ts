// Crash safety of campaign delivery with the real `loa worker` command, on both dispatchers. Worker processes
// (node --import tsx src/main.ts worker, configured only through the environment: the database, REDIS_URL or
// not, and Telegram with its API root pointed at a local fake Bot API that records every sendMessage) send a
// campaign to 300 people, and every one of them is SIGKILLed three times mid-campaign and started again.
//
// What "0 duplicates" can honestly mean on Telegram. The database guards every send: one delivery row per person,
// claimed pending → sending before the request and marked sent after it, so a delivery is never sent by two
// senders and no one gets two deliveries. But Telegram has no idempotency key: when a process dies after Telegram
// accepted a message and before the row was marked sent, the row is still `sending`, and after the restart it is
// sent again, with the same key, and the person sees that message twice. No sender can avoid this on a platform
// that cannot deduplicate (the simulator can, by key; see docs/campaigns.md, "What survives"). So the test
// asserts the exact bound: a person gets exactly one message, except a person whose delivery was on Telegram but
// unmarked when a kill landed, who gets exactly one more for each such kill (caught again by a later kill before
// it was resent, it is still the same single resend). Any other extra message, such as two live senders sending
// one delivery, fails the test. Each kill lands the moment the fake records a message and before it answers, so
// every kill catches at least that one delivery and the resend path is always exercised, and asserted.
import { afterEach, describe, expect, it } from "vitest";
import { campaignQueuePrefix } from "../../src/campaigns/campaign-queue.ts";
import type { DatabaseClient } from "../../src/store/database.ts";
import { redactDatabaseUrl } from "../../src/store/database.ts";
import { seedCommuneCampaign } from "../support/campaign-fixture.ts";
import { killAllLoaProcesses, startLoaWorker, waitUntil, withDatabase, type LoaChild } from "../support/loa-process.ts";
import { dropQueueKeys, requireRedis, testRedisUrl } from "../support/test-redis.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { startCrashTelegramApi, type CrashTelegramApi } from "./crash-telegram-api.ts";

const recipients = 300;
/** Each kill lands as soon as messages have reached this many different people. */
const killAtPeopleReached = [30, 110, 200];
/** The fake answers each message this long after recording it: the window in which a kill leaves it unmarked. */
const telegramLatencyMs = 40;
const telegram = { token: "7000000001:AAE-crashTest_bot-token", webhookSecret: "Loa_crash-test_webhook_secret_01" };

// SQLite runs one worker: two processes starting at the same moment on a fresh file collide in start-up seeding.
const setups = [
  { name: "table dispatcher on postgres", kind: "postgres", redis: false, workers: 2 },
  { name: "BullMQ queue on postgres", kind: "postgres", redis: true, workers: 2 },
  { name: "table dispatcher on sqlite", kind: "sqlite", redis: false, workers: 1 },
] as const;

/** 300 people on Telegram, a third reading English, and an approved campaign to all of them that is due now, at any hour. */
async function seed(db: DatabaseClient): Promise<Map<string, { chatId: string; locale: string }>> {
  await seedCommuneCampaign(db, { id: "campaign-crash", name: "Tháng hành động vì bình đẳng giới", channel: "telegram", count: recipients, status: "approved", locale: (index) => (index % 3 === 0 ? "en" : "vi") });
  const contacts = await db.contact.findMany({ select: { id: true, channelUserId: true, locale: true } });
  return new Map(contacts.map((contact) => [contact.id, { chatId: contact.channelUserId, locale: contact.locale ?? "none" }]));
}

async function progress(db: DatabaseClient) {
  const [sent, sending, pending] = await Promise.all(["sent", "sending", "pending"].map((status) => db.campaignDelivery.count({ where: { status } })));
  return { sent: sent ?? 0, sending: sending ?? 0, pending: pending ?? 0 };
}

/** `promise`, or a failure naming what did not happen (with what the workers wrote) after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(describe())), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Messages the fake recorded, by chat. */
function countByChat(api: CrashTelegramApi): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of api.messages) counts.set(message.chatId, (counts.get(message.chatId) ?? 0) + 1);
  return counts;
}

describe("campaign crash safety", () => {
  let testDatabase: TestDatabase | undefined;
  let api: CrashTelegramApi | undefined;

  afterEach(async () => {
    await killAllLoaProcesses();
    if (testDatabase) await dropQueueKeys(campaignQueuePrefix(redactDatabaseUrl(testDatabase.url)));
    await testDatabase?.drop();
    await api?.close();
    testDatabase = undefined;
    api = undefined;
  });

  it.each(setups)(
    "$name: SIGKILLing every `loa worker` mid-campaign again and again loses no delivery and resends only what a kill left unmarked",
    async (setup) => {
      if (setup.redis) await requireRedis("the campaign crash test");
      const startedAt = Date.now();
      testDatabase = await createTestDatabase(setup.kind);
      const people = await seed(testDatabase.database.client);
      // Connections are opened only while no process starts (SQLite's start-up migration needs the file alone).
      await testDatabase.database.close();
      const url = testDatabase.url;
      const fake = await startCrashTelegramApi({ token: telegram.token, latencyMs: telegramLatencyMs });
      api = fake;
      const env: Record<string, string> = {
        DATABASE_URL: url,
        SIMULATOR_ENABLED: "false",
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        TELEGRAM_MODE: "webhook",
        TELEGRAM_WEBHOOK_SECRET: telegram.webhookSecret,
        PUBLIC_URL: "https://loa.example",
        // Claims held by a killed worker are taken back after 2 s (BullMQ locks after 4 s), instead of 30 s.
        OUTBOX_LEASE_SECONDS: "2",
        ...(setup.redis ? { REDIS_URL: testRedisUrl } : {}),
      };
      let workers: LoaChild[] = [];
      const startWorkers = async () => {
        workers = await Promise.all(Array.from({ length: setup.workers }, () => startLoaWorker({ env })));
      };
      const workerOutput = () => workers.map((worker) => `--- loa worker ${worker.pid} ---\n${worker.stderr()}${worker.stdoutLines.slice(-10).join("\n")}`).join("\n");

      await startWorkers();
      /** For each chat, the message counts at which a kill found its delivery on Telegram but not marked sent. */
      const caught = new Map<string, Set<number>>();
      const kills: Array<{ caught: number } & Awaited<ReturnType<typeof progress>>> = [];
      for (const planned of killAtPeopleReached) {
        // At least one more person than now, so that the kill always lands as a message arrives (a worker that
        // became ready first may have reached the planned number before the last one was ready).
        const reached = Math.max(planned, countByChat(fake).size + 1);
        await within(fake.whenChatsReached(reached), 60_000, () => `messages did not reach ${reached} people: ${fake.messages.length} recorded\n${workerOutput()}`);
        // In the same turn as the fake recorded the message, long before it answers: that delivery is in flight.
        await Promise.all(workers.map((worker) => worker.kill()));
        await fake.quiet();
        const counts = countByChat(fake);
        const sending = await withDatabase(url, (db) => db.campaignDelivery.findMany({ where: { status: "sending" }, select: { contactId: true } }));
        const unmarked = sending.map((row) => people.get(row.contactId ?? "")?.chatId ?? "").filter((chatId) => (counts.get(chatId) ?? 0) > 0);
        for (const chatId of unmarked) caught.set(chatId, (caught.get(chatId) ?? new Set()).add(counts.get(chatId) ?? 0));
        kills.push({ caught: unmarked.length, ...(await withDatabase(url, progress)) });
        await startWorkers();
      }
      await withDatabase(url, (db) =>
        waitUntil(async () => (await db.campaign.findUniqueOrThrow({ where: { id: "campaign-crash" } })).status === "completed", {
          timeoutMs: 60_000,
          describe: async () => `the campaign did not complete: ${JSON.stringify(await progress(db))}\n${workerOutput()}`,
        }),
      );
      const exits = await Promise.all(workers.map((worker) => worker.stop()));

      const counts = countByChat(fake);
      const expected = new Map([...people.values()].map(({ chatId }) => [chatId, 1 + (caught.get(chatId)?.size ?? 0)]));
      const resends = fake.messages.length - counts.size;
      console.log(
        `[campaign crash ${setup.name}] ${((Date.now() - startedAt) / 1000).toFixed(1)} s, ${recipients} recipients, ${setup.workers} loa worker(s), ` +
          `${kills.length} kills of every worker, ${fake.messages.length} messages on Telegram, ${resends} resent after a kill between send and mark, ` +
          `exits on SIGTERM ${JSON.stringify(exits)}\n  at each kill (sent/sending/pending, caught on Telegram but unmarked): ${kills.map((k) => `${k.sent}/${k.sending}/${k.pending}, ${k.caught}`).join("  ")}`,
      );

      expect(kills.filter((kill) => kill.sent < recipients)).toHaveLength(killAtPeopleReached.length);
      expect(kills.filter((kill) => kill.caught === 0)).toEqual([]);
      expect(exits).toEqual(workers.map(() => ({ code: 0, signal: null })));
      // 0 lost, and no message beyond the resends the kills made unavoidable.
      expect([...expected].filter(([chatId, count]) => counts.get(chatId) !== count).map(([chatId, count]) => ({ chatId, expected: count, got: counts.get(chatId) ?? 0 }))).toEqual([]);
      expect(counts.size).toBe(recipients);
      expect(resends).toBe([...caught.values()].reduce((sum, at) => sum + at.size, 0));
      // Each in her own language: one text for every English reader, another for every Vietnamese reader.
      const localeOf = new Map([...people.values()].map(({ chatId, locale }) => [chatId, locale]));
      const textsByLocale = new Map<string, Set<string>>();
      for (const message of fake.messages) {
        const locale = localeOf.get(message.chatId) ?? "unknown";
        textsByLocale.set(locale, (textsByLocale.get(locale) ?? new Set()).add(message.text));
      }
      expect([...textsByLocale.keys()].sort()).toEqual(["en", "vi"]);
      expect([...textsByLocale.values()].map((texts) => texts.size)).toEqual([1, 1]);
      expect(textsByLocale.get("en")).not.toEqual(textsByLocale.get("vi"));
      await withDatabase(url, async (db) => {
        const deliveries = await db.campaignDelivery.findMany({ orderBy: { id: "asc" } });
        // One delivery row per person, every one sent, and reach counts each person once.
        expect(deliveries).toHaveLength(recipients);
        expect(deliveries.filter((row) => row.status !== "sent").map((row) => ({ id: row.id, status: row.status, reason: row.reason }))).toEqual([]);
        expect(new Set(deliveries.map((row) => row.contactId)).size).toBe(recipients);
        expect(await db.engagementEvent.count({ where: { kind: "campaign_delivered" } })).toBe(recipients);
      });
    },
    180_000,
  );
});
