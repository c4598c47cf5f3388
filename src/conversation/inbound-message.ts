import { z } from "zod";

/** The largest text kept from one inbound message; longer text is cut, never rejected, so nothing crashes. */
export const maxInboundTextLength = 10_000;

/**
 * What a person sent, as stored in the inbox until it is handled: typed text, a tapped option, or the
 * platform's word that she blocked the bot.
 * Channel adapters produce it from their platform's update; the worker turns it into engine input.
 */
export const inboundMessageSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text"), text: z.string().transform((text) => text.slice(0, maxInboundTextLength)) }),
  z.object({ kind: z.literal("choice"), optionId: z.string().max(64), nodeId: z.string().max(64).optional() }),
  /** The person blocked or unfollowed the bot on the platform: she is marked stopped and nothing is sent. */
  z.object({ kind: z.literal("blocked") }),
]);
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

/** One update from a channel, with the platform's own id for it (the key that makes redelivery harmless). */
export type InboundUpdate = {
  channel: string;
  externalId: string;
  channelUserId: string;
  message: InboundMessage;
};
