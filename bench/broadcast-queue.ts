// The queue half of bench:broadcast: how long it takes to put a campaign's deliveries on BullMQ, through the
// campaign queue's own enqueue (table read, Redis existence check, addBulk) and, for comparison, raw addBulk.
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { campaignQueueName, campaignQueuePrefix, createCampaignQueue } from "../src/campaigns/campaign-queue.ts";
import { createLogger } from "../src/logger.ts";
import { createDatabase } from "../src/store/database.ts";
import { migrateDatabase } from "../src/store/migrate.ts";
import { throwawayDatabase } from "./throwaway-database.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const redisUrl = process.env.LOA_BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const parsedRedisUrl = new URL(redisUrl);
const connection = { host: parsedRedisUrl.hostname, port: Number(parsedRedisUrl.port || 6379), maxRetriesPerRequest: null };

const rate = (jobs: number, seconds: number) => `${jobs} jobs in ${seconds.toFixed(2)} s = ${Math.round(jobs / seconds)} jobs/s`;

/** `enqueueOpenDeliveries()` of src/campaigns/campaign-queue.ts for `jobs` pending deliveries of a running campaign. */
async function campaignQueueEnqueue(kind: "sqlite" | "postgres", jobs: number): Promise<string> {
  const scratch = await throwawayDatabase(kind, "enqueue");
  await migrateDatabase({ url: scratch.url, projectRoot: root });
  const database = await createDatabase({ url: scratch.url, poolSize: 10 });
  const db = database.client;
  const databaseName = `bench-enqueue-${Date.now()}`;
  const now = () => new Date();
  const cleanup = new Queue(campaignQueueName("telegram"), { connection, prefix: campaignQueuePrefix(databaseName) });
  const queue = createCampaignQueue({
    redisUrl,
    databaseName,
    db,
    channels: ["telegram"],
    // Workers are never started: only the enqueue is timed.
    deliver: async () => ({ outcome: "busy" }),
    now,
    logger: createLogger({ level: "error" }),
    leaseMs: 30_000,
  });
  try {
    const at = now();
    await db.campaign.create({
      data: { id: "bench-campaign", name: "bench", provinceCode: "14", createdBy: "bench", status: "running", runNumber: 1, content: JSON.stringify({ keys: ["child-marriage:intro"] }), audience: "{}", createdAt: at, updatedAt: at },
    });
    for (let start = 0; start < jobs; start += 5_000) {
      await db.campaignDelivery.createMany({
        data: Array.from({ length: Math.min(5_000, jobs - start) }, (_, offset) => ({
          campaignId: "bench-campaign",
          runNumber: 1,
          pseudonym: `p-${start + offset}`,
          contactId: `c-${start + offset}`,
          channel: "telegram",
          locale: "vi",
          provinceCode: "14",
          communeCode: "14-mau-04",
          status: "pending",
          nextAttemptAt: at,
          createdAt: at,
        })),
      });
    }
    const started = performance.now();
    const added = await queue.enqueueOpenDeliveries();
    const seconds = (performance.now() - started) / 1000;
    const waiting = await cleanup.getWaitingCount();
    return `BullMQ enqueue via campaign-queue enqueueOpenDeliveries() (${kind}: reads the table, checks Redis, addBulk): ${rate(added, seconds)}; ${waiting} jobs waiting in Redis afterwards`;
  } finally {
    await queue.close();
    await cleanup.obliterate({ force: true });
    await cleanup.close();
    await database.close();
    await scratch.dispose();
  }
}

/** Raw `Queue.addBulk` of `jobs` jobs (job id `d-<id>`, data the delivery id) on a throw-away queue, 1,000 a call. */
async function rawAddBulk(jobs: number): Promise<string> {
  const queue = new Queue(`loa-bench-enqueue-${Date.now()}`, { connection });
  try {
    const started = performance.now();
    for (let start = 1; start <= jobs; start += 1000) {
      const ids = Array.from({ length: Math.min(1000, jobs - start + 1) }, (_, offset) => start + offset);
      await queue.addBulk(ids.map((id) => ({ name: "delivery", data: id, opts: { jobId: `d-${id}` } })));
    }
    return `BullMQ enqueue via raw Queue.addBulk (no database, for comparison): ${rate(jobs, (performance.now() - started) / 1000)}`;
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** Both enqueue measurements for `jobs` deliveries, as lines to print; a missing Redis is said, not thrown. */
export async function measureQueueEnqueue(kind: "sqlite" | "postgres", jobs: number): Promise<string[]> {
  try {
    return [await campaignQueueEnqueue(kind, jobs), await rawAddBulk(jobs)];
  } catch (error) {
    return [`BullMQ enqueue: not measured (${error instanceof Error ? error.message : String(error)}); Redis expected at ${redisUrl}`];
  }
}
