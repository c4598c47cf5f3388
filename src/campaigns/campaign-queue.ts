import { createHash } from "node:crypto";
import { DelayedError, Queue, Worker, type Job, type RateLimiterOptions } from "bullmq";
import { Redis } from "ioredis";
import { z } from "zod";
import type { ChannelAdapter } from "../channels/channel-adapter.ts";
import type { ChannelRegistry } from "../channels/channel-registry.ts";
import { loggableError, type Logger } from "../logger.ts";
import type { DatabaseClient } from "../store/database.ts";
import type { CampaignDispatcher } from "./campaign-dispatcher.ts";
import { createSlidingRateGate, type SlidingLimit } from "./sliding-rate-gate.ts";

/** How fast campaign messages may leave on one platform token. */
export type CampaignRateLimit = {
  /** BullMQ's worker limiter, global across processes: workers take jobs no faster than this (fixed windows). */
  queue: RateLimiterOptions;
  /** The platform's own limit over a sliding window, taken right before each request; null when the queue's suffices. */
  sliding: SlidingLimit | null;
};

/**
 * Campaign sends allowed per platform token (one queue each). The BullMQ limiter keeps jobs in Redis rather than
 * in waiting workers; it counts fixed windows, so it lets more through in some sliding windows, and the sliding
 * gate, taken right before each request, then holds the platform's limit exactly. Sliding windows are 50 ms longer
 * than the platform's, for the time between taking a slot and the request reaching the platform. Null: no limit.
 */
export const campaignRateLimits: Readonly<Record<string, CampaignRateLimit | null>> = {
  // Telegram: "not more than 30 messages per second or so" for bulk notifications (Bot FAQ), a sliding limit.
  // 30 per 1,000 ms fixed windows let up to 51 through in a sliding second; 3 per 100 ms about 33–36.
  telegram: { queue: { max: 3, duration: 100 }, sliding: { max: 30, windowMs: 1_050 } },
  // Zalo OA Open API: 4,000 requests per minute per app (≈ 66.7 per second).
  "zalo-oa": { queue: { max: 65, duration: 1_000 }, sliding: { max: 4_000, windowMs: 60_050 } },
  // Zalo Bot Platform: no per-second limit is documented and the plan allows a few thousand messages a month
  // (ZALO_BOT_MONTHLY_QUOTA, checked per delivery by the dispatcher); 5 per second is well clear of any burst rule.
  "zalo-bot": { queue: { max: 5, duration: 1_000 }, sliding: null },
  // The local simulator writes to a table.
  simulator: null,
};

/** The queue of one channel's campaign deliveries. */
export function campaignQueueName(channel: string): string {
  return `loa-campaign-${channel}`;
}

/** A delivery's job id: BullMQ rejects ids with ':' and all-digit ids, so the row id gets a prefix. */
export function campaignJobId(deliveryId: number): string {
  return `d-${deliveryId}`;
}

/**
 * The BullMQ key prefix of one Loa installation. Jobs carry only delivery ids, which mean something only in their
 * own database, so the prefix is derived from the database (without its password): two installations, or two test
 * databases, sharing one Redis never take each other's jobs.
 */
export function campaignQueuePrefix(databaseName: string): string {
  return `loa-${createHash("sha256").update(databaseName).digest("hex").slice(0, 12)}`;
}

/** Handles one delivery by id: the campaign dispatcher's processDelivery. */
type Deliver = CampaignDispatcher["processDelivery"];

const jobDataSchema = z.object({ deliveryId: z.number().int().positive() }).strict();

/** The shortest wait before looking again at a delivery another sender holds. */
const busyWaitMs = 250;
/** Jobs one process handles at once per channel: enough to cover the platform's latency at its rate limit. */
const workerConcurrency = 8;
const enqueueChunk = 1_000;
const readChunk = 5_000;

/** Dependencies of the campaign queue. */
export type CampaignQueueDeps = {
  /** redis:// or rediss:// */
  redisUrl: string;
  /** Names the database the delivery ids belong to (see campaignQueuePrefix). */
  databaseName: string;
  db: DatabaseClient;
  /** The channels this process can send on: one queue and one worker each. */
  channels: readonly string[];
  /** Handles one delivery by id: the campaign dispatcher's processDelivery. */
  deliver: Deliver;
  now: () => Date;
  logger: Logger;
  /** The dispatcher's claim lease; a dead worker's jobs are taken back on about this time scale. */
  leaseMs: number;
  /** How often the whole table is compared with Redis, to bring back jobs Redis lost. */
  sweepIntervalMs?: number;
};

/**
 * Campaign delivery through BullMQ, for any number of worker processes (`loa worker`) sharing the platform limits.
 * The delivery table stays the truth: a job carries only a delivery id (job id `d-<id>`, so adding it twice is a
 * no-op), the worker hands it to the dispatcher, whose conditional pending → sending update still guards against
 * double sends, and a sweep adds a job for every open delivery that has none (after Redis lost its data, a job
 * dropped while the campaign was paused, or a failed job). A deferred delivery goes back to the queue with a
 * delay until it may be tried again.
 */
export function createCampaignQueue(deps: CampaignQueueDeps) {
  const { db, logger } = deps;
  const prefix = campaignQueuePrefix(deps.databaseName);
  const sweepIntervalMs = deps.sweepIntervalMs ?? 10_000;
  const lockDuration = Math.min(Math.max(deps.leaseMs * 2, 2_000), 30_000);
  const connection = new Redis(deps.redisUrl, { maxRetriesPerRequest: null });
  connection.on("error", (error: unknown) => logger.warn({ error: loggableError(error) }, "campaign queue: Redis connection problem"));
  const queues = new Map(
    deps.channels.map((channel) => [
      channel,
      new Queue(campaignQueueName(channel), { connection, prefix, defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 } }),
    ]),
  );
  const limitOf = (channel: string): CampaignRateLimit | null => campaignRateLimits[channel] ?? null;
  const gates = new Map(
    [...queues].flatMap(([channel, queue]) => {
      const sliding = limitOf(channel)?.sliding;
      return sliding ? [[channel, createSlidingRateGate(connection, queue.toKey("send-times"), sliding)] as const] : [];
    }),
  );
  const workers: Worker[] = [];
  let highestSeen = 0;
  let lastSweep: number | undefined;

  /** How long a job must wait before its delivery is looked at again, or undefined when the job is done. */
  async function waitBeforeRetry(deliveryId: number, result: Awaited<ReturnType<Deliver>>): Promise<number | undefined> {
    const untilRetry = result.retryAt === undefined ? 0 : result.retryAt.getTime() - deps.now().getTime();
    if (result.outcome === "deferred") return Math.max(0, untilRetry);
    if (result.outcome !== "busy" || result.retryAt === undefined) return undefined;
    const row = await db.campaignDelivery.findUnique({ where: { id: deliveryId }, select: { status: true } });
    if (row === null || (row.status !== "pending" && row.status !== "sending")) return undefined;
    return Math.max(busyWaitMs, untilRetry);
  }

  async function handleJob(job: Job, token: string | undefined): Promise<string> {
    const { deliveryId } = jobDataSchema.parse(job.data);
    const result = await deps.deliver(deliveryId);
    const waitMs = await waitBeforeRetry(deliveryId, result);
    if (waitMs === undefined) return result.outcome;
    await job.moveToDelayed(Date.now() + waitMs, token);
    throw new DelayedError();
  }

  /** Adds a job for each delivery that has none; returns how many were added. */
  async function addMissing(rows: ReadonlyArray<{ id: number; channel: string; nextAttemptAt: Date }>): Promise<number> {
    let added = 0;
    for (const [channel, queue] of queues) {
      const mine = rows.filter((row) => row.channel === channel);
      for (let start = 0; start < mine.length; start += enqueueChunk) {
        const chunk = mine.slice(start, start + enqueueChunk);
        const pipeline = connection.pipeline();
        for (const row of chunk) pipeline.exists(queue.toKey(campaignJobId(row.id)));
        const exists = (await pipeline.exec()) ?? [];
        const missing = chunk.filter((_, index) => exists[index]?.[1] !== 1);
        if (missing.length === 0) continue;
        const now = deps.now().getTime();
        await queue.addBulk(
          missing.map((row) => ({
            name: "deliver",
            data: { deliveryId: row.id },
            opts: { jobId: campaignJobId(row.id), delay: Math.max(0, row.nextAttemptAt.getTime() - now) },
          })),
        );
        added += missing.length;
      }
    }
    return added;
  }

  /** Open deliveries of running campaigns on this process's channels, above `afterId`, page by page. */
  async function addJobsForOpenDeliveries(afterId: number, withLapsedLeases: boolean): Promise<number> {
    let cursor = afterId;
    let added = 0;
    for (;;) {
      const now = deps.now();
      const rows = await db.campaignDelivery.findMany({
        where: {
          id: { gt: cursor },
          channel: { in: [...queues.keys()] },
          campaign: { status: "running" },
          OR: withLapsedLeases ? [{ status: "pending" }, { status: "sending", leaseUntil: { lte: now } }] : [{ status: "pending" }],
        },
        orderBy: { id: "asc" },
        take: readChunk,
        select: { id: true, channel: true, nextAttemptAt: true },
      });
      const last = rows.at(-1);
      if (last === undefined) return added;
      added += await addMissing(rows);
      cursor = last.id;
      highestSeen = Math.max(highestSeen, last.id);
    }
  }

  return {
    /**
     * Adds jobs for deliveries the planner created since the last call and, every sweep interval (and on the
     * first call), compares the whole table with Redis. Safe from several processes at once; returns how many
     * jobs it added.
     */
    async enqueueOpenDeliveries(): Promise<number> {
      const sweep = lastSweep === undefined || Date.now() - lastSweep >= sweepIntervalMs;
      if (!sweep) return addJobsForOpenDeliveries(highestSeen, false);
      lastSweep = Date.now();
      return addJobsForOpenDeliveries(0, true);
    },

    /**
     * The channels with each send first taking a slot of its platform's sliding limit, right before the request
     * leaves: the campaign dispatcher of the queue path sends through these.
     */
    limitedChannels(channels: ChannelRegistry): ChannelRegistry {
      return new Map(
        [...channels].map(([channel, adapter]) => {
          const gate = gates.get(channel);
          const limited: ChannelAdapter = gate
            ? { channel, capabilities: adapter.capabilities, send: (to, message, options) => gate.acquire().then(() => adapter.send(to, message, options)) }
            : adapter;
          return [channel, limited];
        }),
      );
    },

    /** Starts one worker per channel, with its platform's limiter. */
    start(): void {
      if (workers.length > 0) return;
      for (const channel of queues.keys()) {
        const limiter = limitOf(channel)?.queue;
        const worker = new Worker(campaignQueueName(channel), handleJob, {
          connection,
          prefix,
          concurrency: workerConcurrency,
          lockDuration,
          stalledInterval: lockDuration,
          // A job whose worker died is handed out again however often that happens: the table guards the send.
          maxStalledCount: 1_000,
          ...(limiter === undefined ? {} : { limiter }),
        });
        worker.on("failed", (job, error) => logger.error({ error: loggableError(error), channel, job: job?.id }, "campaign job failed; the sweep adds it again"));
        worker.on("error", (error) => logger.error({ error: loggableError(error), channel }, "campaign queue worker error"));
        workers.push(worker);
      }
    },

    /** Lets the workers finish their current jobs, then closes the queues and the Redis connection. */
    async close(): Promise<void> {
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      connection.disconnect();
    },
  };
}

/** The campaign queue's interface, for code that is handed one. */
export type CampaignQueue = ReturnType<typeof createCampaignQueue>;
