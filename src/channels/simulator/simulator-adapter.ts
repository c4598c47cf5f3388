import type { DatabaseClient } from "../../store/database.ts";
import { isUniqueViolation } from "../../store/database.ts";
import type { ChannelAdapter } from "../channel-adapter.ts";
import type { ChannelAddress, OutboundMessage } from "../outbound-message.ts";

/** The simulator's channel name; its user ids are conversation ids chosen by the chat page or terminal. */
export const simulatorChannel = "simulator";

/**
 * The local simulator's "platform": a mailbox table any process can read, so the terminal chat and the web
 * page see replies whichever process handled the message. Delivery is keyed by the sender's idempotency key
 * (an outbox row, or a campaign delivery), so a resend after a crash is recognised and delivered once.
 */
export function createSimulatorAdapter(deps: { db: DatabaseClient; now: () => Date }): ChannelAdapter {
  return {
    channel: simulatorChannel,
    capabilities: { maxTextLength: 4096, maxButtons: 12 },
    async send(to: ChannelAddress, message: OutboundMessage, { idempotencyKey }) {
      try {
        const row = await deps.db.simulatorMessage.create({
          data: { sendKey: idempotencyKey, conversationId: to.channelUserId, payload: JSON.stringify(message), createdAt: deps.now() },
        });
        return { externalMessageId: String(row.id) };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const existing = await deps.db.simulatorMessage.findUniqueOrThrow({ where: { sendKey: idempotencyKey } });
        return { externalMessageId: String(existing.id) };
      }
    },
  };
}
