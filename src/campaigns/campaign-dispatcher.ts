import type { ActiveBot } from "../bot/bot-assets.ts";
import { ChannelSendError, type ChannelCapabilities } from "../channels/channel-adapter.ts";
import type { ChannelRegistry } from "../channels/channel-registry.ts";
import type { OutboundMessage } from "../channels/outbound-message.ts";
import { fallbackNoticeKey, type MessageRenderer } from "../content/message-renderer.ts";
import { defaultRetryPolicy, retryDelayMs, type RetryPolicy, type SendPacing } from "../conversation/outbox-dispatcher.ts";
import { emptyContact, type ContactSnapshot } from "../engine/contact-snapshot.ts";
import { topicSchema } from "../engine/flow-schema.ts";
import { loggableError, type Logger } from "../logger.ts";
import type { CompiledIndicator } from "../stats/indicators.ts";
import { recordEngagement } from "../stats/stats-recorder.ts";
import type { DatabaseClient } from "../store/database.ts";
import { campaignContentSchema, type WrittenContent } from "./campaign-spec.ts";
import { nextSendableTime } from "./quiet-hours.ts";

/** Zalo OA may send a free consultation message only within 48 hours of the person's last message. */
export const zaloOaWindowHours = 48;

/** How long a campaign message waits while the person's own conversation has replies to send. */
const conversationFirstMs = 2_000;

type DeliveryRow = {
  id: number;
  campaignId: string;
  runNumber: number;
  contactId: string | null;
  pseudonym: string;
  channel: string;
  locale: string;
  provinceCode: string | null;
  communeCode: string | null;
  status: string;
  attempts: number;
  leaseUntil: Date | null;
};

/**
 * The longest a delivery claimed by a table-driven pass waits for the send pacing (one rate window and a little),
 * and never more than a quarter of the claim's lease, so no other sender can take the claim while it waits.
 */
const paceWaitMs = 1_100;
/** How often a waiting delivery asks the pacing again. */
const paceStepMs = 5;

/** What one pass did with a delivery. */
type Outcome = "sent" | "skipped" | "failed" | "deferred";

/** Dependencies of the campaign dispatcher. */
export type CampaignDispatcherDeps = {
  db: DatabaseClient;
  channels: ChannelRegistry;
  bot: () => ActiveBot;
  now: () => Date;
  logger: Logger;
  pacing: SendPacing;
  retry?: RetryPolicy;
  leaseMs?: number;
  batchSize?: number;
  /** Messages a month a channel may send in all (Zalo Bot's plan quota); past it deliveries are skipped. */
  monthlyQuota?: Readonly<Record<string, number>>;
  /** The indicators a delivered message counts toward, as the statistics are updated with each send. */
  indicators: readonly CompiledIndicator[];
};

function groupsOf(text: string): Record<string, string> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null) return {};
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/**
 * The message of written content for one person: the text in her language when the team wrote one, else the
 * Vietnamese text after the fallback notice, which the renderer gives in her language (with its voice note),
 * as it does for library content missing in her language. `contentKeys` names the campaign, as the text has
 * no content key.
 */
function writtenMessage(renderer: MessageRenderer, content: WrittenContent, contact: ContactSnapshot, locale: string, campaignId: string): OutboundMessage {
  const campaignKey = `campaign:${campaignId}`;
  const own = content.texts[locale];
  if (own !== undefined) return { text: own, contentKeys: [campaignKey], locale };
  const notice = renderer.render({ keys: [fallbackNoticeKey] }, { ...contact, locale }, undefined, { announceFallback: false }).message;
  return { ...notice, text: `${notice.text}\n\n${content.texts.vi}`, contentKeys: [fallbackNoticeKey, campaignKey] };
}

/**
 * Sends campaign deliveries without a queue server: it works from the delivery table, so it survives restarts.
 * A delivery is claimed with a conditional update (pending → sending, with a lease), checked again just before
 * sending (she may have opted out, deleted her data or left Zalo OA's window since the run was planned), held
 * back during quiet hours and while her own conversation has replies waiting, paced with the conversation
 * dispatcher's limits, and sent with the delivery's id as idempotency key. Sent, skipped (with a reason) and
 * failed are final; a crashed sender's deliveries are claimed again when their lease ends.
 */
export function createCampaignDispatcher(deps: CampaignDispatcherDeps) {
  const { db } = deps;
  const policy = deps.retry ?? defaultRetryPolicy;
  const leaseMs = deps.leaseMs ?? 30_000;
  const batchSize = deps.batchSize ?? 200;

  const finish = async (row: DeliveryRow, status: "skipped" | "failed", reason: string) => {
    await db.campaignDelivery.updateMany({ where: { id: row.id, status: "sending" }, data: { status, reason, leaseUntil: null } });
  };
  const release = async (row: DeliveryRow, at: Date, countAttempt: boolean) => {
    await db.campaignDelivery.updateMany({
      where: { id: row.id, status: "sending" },
      data: { status: "pending", nextAttemptAt: at, leaseUntil: null, ...(countAttempt ? {} : { attempts: row.attempts }) },
    });
  };

  /**
   * Reserves a send with the pacing at the current time, waiting up to `waitMs` for a free slot (checking every
   * few milliseconds). The table-driven pass waits about one rate window, which keeps it sending at the platform's pace:
   * putting the delivery back instead cost four database round trips per refused row, judged the whole pass
   * by the clock read at its start, and ended in a pass that sent nothing, after which the polling loop idles
   * a full second, so a broadcast reached only about two thirds of Telegram's 30 messages a second.
   */
  async function takeSendSlot(channel: string, conversation: string, capabilities: ChannelCapabilities, waitMs: number): Promise<boolean> {
    for (let waited = 0; ; waited += paceStepMs) {
      if (deps.pacing.take(channel, conversation, capabilities, deps.now().getTime(), "campaign")) return true;
      if (waited >= waitMs) return false;
      await new Promise((resolve) => setTimeout(resolve, paceStepMs));
    }
  }

  async function sentThisMonth(channel: string, now: Date): Promise<number> {
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const [conversation, campaign] = await Promise.all([
      db.outboxMessage.count({ where: { channel, status: "sent", sentAt: { gte: monthStart } } }),
      db.campaignDelivery.count({ where: { channel, status: "sent", sentAt: { gte: monthStart } } }),
    ]);
    return conversation + campaign;
  }

  async function handle(row: DeliveryRow, campaign: { content: string; quietStart: string; quietEnd: string }, now: Date, waitForSlotMs: number): Promise<Outcome> {
    const contact = row.contactId === null ? null : await db.contact.findUnique({ where: { id: row.contactId } });
    if (contact === null) return finish(row, "skipped", "deleted").then(() => "skipped");
    if (contact.stoppedAt !== null) return finish(row, "skipped", "opted-out").then(() => "skipped");
    if (row.channel === "zalo-oa" && now.getTime() - contact.lastSeenAt.getTime() > zaloOaWindowHours * 3_600_000) {
      return finish(row, "skipped", "out-of-window").then(() => "skipped");
    }
    const quota = deps.monthlyQuota?.[row.channel];
    if (quota !== undefined && (await sentThisMonth(row.channel, now)) >= quota) return finish(row, "skipped", "quota").then(() => "skipped");
    const sendable = nextSendableTime(now, campaign.quietStart, campaign.quietEnd);
    if (sendable.getTime() > now.getTime()) return release(row, sendable, false).then(() => "deferred");
    const waiting = await db.outboxMessage.count({ where: { channel: contact.channel, channelUserId: contact.channelUserId, status: { in: ["pending", "sending"] } } });
    if (waiting > 0) return release(row, new Date(now.getTime() + conversationFirstMs), false).then(() => "deferred");
    const adapter = deps.channels.get(row.channel);
    if (adapter === undefined) return release(row, new Date(now.getTime() + 60_000), false).then(() => "deferred");
    const content = campaignContentSchema.parse(JSON.parse(campaign.content));
    const snapshot: ContactSnapshot = {
      ...emptyContact,
      locale: contact.locale,
      provinceCode: contact.provinceCode,
      communeCode: contact.communeCode,
      consented: contact.consentedAt !== null,
      groups: groupsOf(contact.groups),
    };
    const { renderer } = deps.bot();
    const message = "keys" in content ? renderer.render({ keys: content.keys }, snapshot).message : writtenMessage(renderer, content, snapshot, contact.locale ?? row.locale, row.campaignId);
    // Rendered before the slot is taken, so the send follows its slot as closely as it can.
    if (!(await takeSendSlot(row.channel, contact.channelUserId, adapter.capabilities, waitForSlotMs))) return release(row, deps.now(), false).then(() => "deferred");
    try {
      await adapter.send({ channel: contact.channel, channelUserId: contact.channelUserId }, message, { idempotencyKey: `campaign-${row.id}` });
    } catch (error) {
      return failed(row, contact.id, error);
    }
    const sentAt = deps.now();
    const firstKey = "keys" in content ? (content.keys[0] ?? null) : null;
    const topic = topicSchema.safeParse("keys" in content ? firstKey?.split(":")[0] : content.topic);
    await db.$transaction(async (tx) => {
      const sent = await tx.campaignDelivery.updateMany({ where: { id: row.id, status: "sending" }, data: { status: "sent", sentAt, leaseUntil: null, reason: null } });
      // A sender whose lease ran out lets the one that took the delivery over count it, so no message counts twice.
      if (sent.count === 0) return;
      const { teamId } = await tx.campaign.findUniqueOrThrow({ where: { id: row.campaignId }, select: { teamId: true } });
      const event = { kind: "campaign_delivered", occurredAt: sentAt, pseudonym: row.pseudonym, channel: row.channel, locale: row.locale, provinceCode: row.provinceCode, communeCode: row.communeCode };
      await recordEngagement(
        tx,
        [{ ...event, topic: topic.success ? topic.data : null, contentKey: firstKey, detail: { campaignId: row.campaignId, run: row.runNumber }, teamId, campaignId: row.campaignId, groups: snapshot.groups }],
        deps,
      );
    });
    return "sent";
  }

  async function failed(row: DeliveryRow, contactId: string, error: unknown): Promise<Outcome> {
    const now = deps.now();
    const attempts = row.attempts + 1;
    const kind = error instanceof ChannelSendError ? error.kind : "transient";
    const code = error instanceof ChannelSendError ? error.code : error instanceof Error ? error.name : "unknown";
    if (kind === "rate_limited") {
      const waitMs = Math.max(1, error instanceof ChannelSendError ? (error.retryAfterSeconds ?? 1) : 1) * 1000;
      if (error instanceof ChannelSendError && error.scope === "channel") deps.pacing.pauseChannel(row.channel, now.getTime() + waitMs);
      await release(row, new Date(now.getTime() + waitMs), false);
      return "deferred";
    }
    if (kind === "blocked") {
      await finish(row, "skipped", "blocked");
      await db.contact.updateMany({ where: { id: contactId, stoppedAt: null }, data: { stoppedAt: now } });
      return "skipped";
    }
    if (kind === "permanent" || attempts >= policy.maxAttempts) {
      deps.logger.error({ error: loggableError(error), deliveryId: row.id, channel: row.channel, attempts, code }, "campaign delivery failed for good");
      await finish(row, "failed", code);
      return "failed";
    }
    deps.logger.warn({ error: loggableError(error), deliveryId: row.id, channel: row.channel, attempts, code }, "campaign delivery failed; will retry");
    await release(row, new Date(now.getTime() + retryDelayMs(policy, attempts)), true);
    return "deferred";
  }

  const withCampaign = { campaign: { select: { content: true, quietStart: true, quietEnd: true } } } as const;

  /** Claims a delivery (pending and due, or sending with a lapsed lease) and handles it; undefined when another has it. */
  async function claimAndHandle(row: DeliveryRow & { nextAttemptAt: Date; campaign: { content: string; quietStart: string; quietEnd: string } }, now: Date, waitForSlotMs: number): Promise<Outcome | undefined> {
    const due = row.status === "pending" ? row.nextAttemptAt <= now : row.status === "sending" && row.leaseUntil !== null && row.leaseUntil <= now;
    if (!due) return undefined;
    const claimed = await db.campaignDelivery.updateMany({
      where: { id: row.id, status: row.status, attempts: row.attempts },
      // The lease runs from the claim, not from the start of the pass: a pass paced at the platform's rate lasts seconds.
      data: { status: "sending", attempts: row.attempts + 1, leaseUntil: new Date(deps.now().getTime() + leaseMs) },
    });
    if (claimed.count !== 1) return undefined;
    return handle(row, row.campaign, now, waitForSlotMs);
  }

  return {
    /** One pass over due deliveries of running campaigns; returns how many were sent, skipped or failed for good. */
    async dispatchDue(): Promise<number> {
      const now = deps.now();
      const rows = await db.campaignDelivery.findMany({
        where: {
          channel: { in: [...deps.channels.keys()] },
          campaign: { status: "running" },
          OR: [{ status: "pending", nextAttemptAt: { lte: now } }, { status: "sending", leaseUntil: { lte: now } }],
        },
        orderBy: { id: "asc" },
        take: batchSize,
        include: withCampaign,
      });
      let done = 0;
      for (const row of rows) {
        const outcome = await claimAndHandle(row, now, Math.min(paceWaitMs, leaseMs / 4));
        if (outcome !== undefined && outcome !== "deferred") done += 1;
      }
      return done;
    },

    /**
     * Handles one delivery by id, as a queue worker does with a job: "deferred" (with when to try again) when it
     * must wait, "busy" when it is not due, not running or held by another sender, else its final outcome.
     */
    async processDelivery(id: number): Promise<{ outcome: Outcome | "busy"; retryAt?: Date }> {
      const now = deps.now();
      const row = await db.campaignDelivery.findFirst({ where: { id, campaign: { status: "running" } }, include: withCampaign });
      if (row === null) return { outcome: "busy" };
      // No waiting here: a queue worker's send must follow the slot its queue's limiter just gave it.
      const outcome = await claimAndHandle(row, now, 0);
      if (outcome === undefined) return { outcome: "busy", retryAt: row.status === "pending" ? row.nextAttemptAt : (row.leaseUntil ?? now) };
      if (outcome !== "deferred") return { outcome };
      const after = await db.campaignDelivery.findUnique({ where: { id }, select: { nextAttemptAt: true } });
      return { outcome, retryAt: after?.nextAttemptAt ?? now };
    },
  };
}

/** The campaign dispatcher's interface, for code that is handed one. */
export type CampaignDispatcher = ReturnType<typeof createCampaignDispatcher>;
