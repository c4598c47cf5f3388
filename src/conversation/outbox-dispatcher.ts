import { ChannelSendError, type ChannelCapabilities } from "../channels/channel-adapter.ts";
import type { ChannelRegistry } from "../channels/channel-registry.ts";
import { outboundMessageSchema } from "../channels/outbound-message.ts";
import { loggableError, type Logger } from "../logger.ts";
import type { Database } from "../store/database.ts";

/** How the dispatcher retries: exponential backoff from `baseDelayMs`, capped, then the dead state. */
export type RetryPolicy = { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 300_000 };

/** Dependencies of the outbox dispatcher. */
export type OutboxDispatcherDeps = {
  database: Database;
  channels: ChannelRegistry;
  now: () => Date;
  logger: Logger;
  retry?: RetryPolicy;
  /** How long a claimed row is left alone by other dispatchers; a crashed sender's rows are retried after it. */
  leaseMs?: number;
  /** Rows looked at per pass. */
  batchSize?: number;
  /** Conversations sent to at the same time (each conversation is always sent to in order). */
  concurrency?: number;
  /** The pacing shared with the campaign dispatcher, so both stay within one platform limit together. */
  pacing?: SendPacing;
};

type OutboxRow = {
  id: number;
  channel: string;
  channelUserId: string;
  contactId: string | null;
  payload: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
};

/** Backoff before attempt `attempts + 1`: base · 2^(attempts − 1), capped. */
export function retryDelayMs(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends outbox rows through their channel adapters. Each conversation's rows go strictly in order; a row is
 * claimed with a conditional update (pending → sending, with a lease) so several processes can share the
 * work and none sends a row another holds. Success marks it sent; a rate limit waits out `retry_after`;
 * a blocked person is marked stopped; other failures back off and finally go to the dead state.
 * A row whose sender died is claimed again when its lease ends and resent with the same idempotency key.
 */
export function createOutboxDispatcher(deps: OutboxDispatcherDeps) {
  const policy = deps.retry ?? defaultRetryPolicy;
  const leaseMs = deps.leaseMs ?? 30_000;
  const batchSize = deps.batchSize ?? 200;
  const concurrency = deps.concurrency ?? 8;
  const db = deps.database.client;
  const pacing = deps.pacing ?? createSendPacing();

  /** The first undelivered row of each conversation among the oldest undelivered rows. */
  async function headsOfQueues(): Promise<OutboxRow[]> {
    // Only channels this process can send on: another process (a terminal chat beside the server) must not
    // take, and fail, rows meant for a platform it has no adapter for.
    const rows = await db.outboxMessage.findMany({
      where: { status: { in: ["pending", "sending"] }, channel: { in: [...deps.channels.keys()] } },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    const heads = new Map<string, OutboxRow>();
    for (const row of rows) {
      const key = `${row.channel}\u0000${row.channelUserId}`;
      if (!heads.has(key)) heads.set(key, row);
    }
    return [...heads.values()];
  }

  async function claim(row: OutboxRow, now: Date): Promise<boolean> {
    const due =
      row.status === "pending"
        ? row.nextAttemptAt.getTime() <= now.getTime()
        : row.leaseUntil !== null && row.leaseUntil.getTime() <= now.getTime();
    if (!due) return false;
    const capabilities = deps.channels.get(row.channel)?.capabilities;
    if (capabilities && !pacing.take(row.channel, row.channelUserId, capabilities, now.getTime())) return false;
    const claimed = await db.outboxMessage.updateMany({
      where: { id: row.id, status: row.status, attempts: row.attempts },
      data: { status: "sending", attempts: row.attempts + 1, leaseUntil: new Date(now.getTime() + leaseMs) },
    });
    return claimed.count === 1;
  }

  async function markFailed(row: OutboxRow, attempts: number, error: unknown): Promise<void> {
    const now = deps.now();
    const kind = error instanceof ChannelSendError ? error.kind : "transient";
    const code = error instanceof ChannelSendError ? error.code : error instanceof Error ? error.name : "unknown";
    const log = { outboxId: row.id, channel: row.channel, attempts, code };
    if (kind === "rate_limited") {
      const waitMs = Math.max(1, (error instanceof ChannelSendError ? error.retryAfterSeconds ?? 1 : 1)) * 1000;
      if (error instanceof ChannelSendError && error.scope === "channel") pacing.pauseChannel(row.channel, now.getTime() + waitMs);
      await db.outboxMessage.update({
        where: { id: row.id },
        data: { status: "pending", attempts: attempts - 1, nextAttemptAt: new Date(now.getTime() + waitMs), leaseUntil: null, lastError: code },
      });
      deps.logger.warn({ ...log, waitMs }, "send rate-limited; waiting as the platform asked");
      return;
    }
    if (kind === "blocked" || kind === "permanent" || attempts >= policy.maxAttempts) {
      await db.$transaction(async (tx) => {
        await tx.outboxMessage.update({ where: { id: row.id }, data: { status: "dead", leaseUntil: null, lastError: code } });
        if (kind === "blocked") {
          // She cannot receive anything more: her other waiting replies are cancelled, not tried one by one.
          await tx.outboxMessage.updateMany({
            where: { channel: row.channel, channelUserId: row.channelUserId, status: "pending" },
            data: { status: "cancelled" },
          });
          if (row.contactId !== null) await tx.contact.updateMany({ where: { id: row.contactId, stoppedAt: null }, data: { stoppedAt: now } });
        }
      });
      deps.logger.error({ error: loggableError(error), ...log, kind }, "message is dead: it will not be sent");
      return;
    }
    const nextAttemptAt = new Date(now.getTime() + retryDelayMs(policy, attempts));
    await db.outboxMessage.update({ where: { id: row.id }, data: { status: "pending", nextAttemptAt, leaseUntil: null, lastError: code } });
    deps.logger.warn({ error: loggableError(error), ...log, nextAttemptAt }, "send failed; will retry");
  }

  async function send(row: OutboxRow): Promise<void> {
    const attempts = row.attempts + 1;
    const adapter = deps.channels.get(row.channel);
    const message = outboundMessageSchema.safeParse(JSON.parse(row.payload));
    if (!adapter || !message.success) {
      const reason = adapter ? "payload_invalid" : "channel_unavailable";
      await markFailed(row, attempts, new ChannelSendError(`cannot send outbox row: ${reason}`, adapter ? "permanent" : "transient", { channel: row.channel }));
      return;
    }
    try {
      const receipt = await adapter.send(
        { channel: row.channel, channelUserId: row.channelUserId },
        message.data,
        { idempotencyKey: String(row.id) },
      );
      await db.outboxMessage.update({
        where: { id: row.id },
        data: { status: "sent", sentAt: deps.now(), leaseUntil: null, externalMessageId: receipt.externalMessageId ?? null, lastError: null },
      });
    } catch (error) {
      await markFailed(row, attempts, error);
    }
  }

  return {
    /** One pass: claims and sends the due head row of each conversation. Returns how many rows it sent or failed. */
    async dispatchDue(): Promise<number> {
      const now = deps.now();
      const heads = await headsOfQueues();
      let handled = 0;
      for (let start = 0; start < heads.length; start += concurrency) {
        const batch = heads.slice(start, start + concurrency);
        const results = await Promise.all(
          batch.map(async (row) => {
            if (!(await claim(row, now))) return 0;
            await send(row);
            return 1;
          }),
        );
        handled += results.reduce<number>((sum, n) => sum + n, 0);
      }
      return handled;
    },
  };
}

export type OutboxDispatcher = ReturnType<typeof createOutboxDispatcher>;

/**
 * Keeps this process's sends within a platform's limits before the platform has to say so: at most
 * `maxPerSecond` per channel in any one-second window, at least `perConversationIntervalMs` between two
 * messages to one person, and nothing at all on a channel the platform paused (a channel-wide 429).
 * Per process: several processes on one token share the platform's answer through 429s, which the
 * dispatcher honours; a global limiter across processes comes with the queue (BullMQ).
 */
export function createSendPacing() {
  const recent = new Map<string, number[]>();
  const lastToConversation = new Map<string, number>();
  const pausedUntil = new Map<string, number>();
  const conversationWaiting = new Map<string, number>();

  /** Why a send must wait: the channel is full or paused, or this person had a message less than the interval ago. */
  function refusal(channel: string, key: string, capabilities: ChannelCapabilities, now: number): "channel" | "conversation" | undefined {
    if ((pausedUntil.get(channel) ?? 0) > now) return "channel";
    const interval = capabilities.perConversationIntervalMs ?? 0;
    if (interval > 0 && now - (lastToConversation.get(key) ?? -Infinity) < interval) return "conversation";
    const limit = capabilities.maxPerSecond;
    if (limit !== undefined && (recent.get(channel) ?? []).filter((at) => at > now - 1000).length >= limit) return "channel";
    return undefined;
  }

  return {
    /**
     * Reserves a send now, or says no (the row stays pending and is looked at again on a later pass). A person's
     * own conversation goes first: when a reply finds the channel full, campaign sends on that channel give way
     * for a second, so the next free slots go to replies.
     */
    take(channel: string, conversation: string, capabilities: ChannelCapabilities, now: number, traffic: "conversation" | "campaign" = "conversation"): boolean {
      if (traffic === "campaign" && now - (conversationWaiting.get(channel) ?? -Infinity) < 1000) return false;
      const key = `${channel}\u0000${conversation}`;
      const refused = refusal(channel, key, capabilities, now);
      if (refused !== undefined) {
        if (refused === "channel" && traffic === "conversation") conversationWaiting.set(channel, now);
        return false;
      }
      const window = (recent.get(channel) ?? []).filter((at) => at > now - 1000);
      window.push(now);
      recent.set(channel, window);
      const interval = capabilities.perConversationIntervalMs ?? 0;
      if (interval > 0) {
        lastToConversation.set(key, now);
        if (lastToConversation.size > 10_000) {
          for (const [other, at] of lastToConversation) if (now - at >= interval) lastToConversation.delete(other);
        }
      }
      return true;
    },
    /** Stops every send on the channel until `until` (ms since epoch). */
    pauseChannel(channel: string, until: number): void {
      pausedUntil.set(channel, Math.max(until, pausedUntil.get(channel) ?? 0));
    },
  };
}

/** A send pacing, for code that shares one. */
export type SendPacing = ReturnType<typeof createSendPacing>;
