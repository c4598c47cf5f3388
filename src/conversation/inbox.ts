import type { DatabaseClient } from "../store/database.ts";
import { isUniqueViolation } from "../store/database.ts";
import { inboundMessageSchema, type InboundUpdate } from "./inbound-message.ts";

/** The result of accepting an update: its inbox row, and whether it was new or a redelivery. */
export type AcceptedUpdate = { inboxId: number; duplicate: boolean };

/**
 * Writes an inbound update to the inbox, the durable point after which a webhook may answer 200.
 * The row is unique on channel + external id, so a platform that redelivers an update gets the same row back.
 */
export async function acceptInboundUpdate(db: DatabaseClient, update: InboundUpdate, now: Date): Promise<AcceptedUpdate> {
  const message = inboundMessageSchema.parse(update.message);
  try {
    const row = await db.inboxMessage.create({
      data: {
        channel: update.channel,
        externalId: update.externalId,
        channelUserId: update.channelUserId,
        payload: JSON.stringify(message),
        receivedAt: now,
      },
      select: { id: true },
    });
    return { inboxId: row.id, duplicate: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await db.inboxMessage.findUniqueOrThrow({
      where: { channel_externalId: { channel: update.channel, externalId: update.externalId } },
      select: { id: true },
    });
    return { inboxId: existing.id, duplicate: true };
  }
}
