import type { ChannelAdapter, SendFailureKind } from "../../src/channels/channel-adapter.ts";
import { ChannelSendError } from "../../src/channels/channel-adapter.ts";
import type { ChannelAddress, OutboundMessage } from "../../src/channels/outbound-message.ts";

/** One send attempt seen by the fake platform. */
export type RecordedSend = { to: ChannelAddress; message: OutboundMessage; idempotencyKey: string; outcome: "delivered" | SendFailureKind };

/**
 * A fake platform for dispatcher tests: records every send attempt, and fails the next sends as told
 * (rate limits with retry_after, blocked users, transient and permanent errors).
 */
export function createRecordingChannel(channel = "fake", capabilities: Partial<ChannelAdapter["capabilities"]> = {}) {
  const sends: RecordedSend[] = [];
  const failures: Array<{ kind: SendFailureKind; retryAfterSeconds?: number; scope?: "conversation" | "channel" }> = [];
  const adapter: ChannelAdapter = {
    channel,
    capabilities: { maxTextLength: 4096, maxButtons: 8, ...capabilities },
    async send(to, message, { idempotencyKey }) {
      const failure = failures.shift();
      sends.push({ to, message, idempotencyKey, outcome: failure?.kind ?? "delivered" });
      if (failure) {
        throw new ChannelSendError(`fake ${failure.kind}`, failure.kind, {
          channel,
          ...(failure.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: failure.retryAfterSeconds }),
          ...(failure.scope === undefined ? {} : { scope: failure.scope }),
        });
      }
      return { externalMessageId: `m${sends.length}` };
    },
  };
  return {
    adapter,
    sends,
    delivered: () => sends.filter((send) => send.outcome === "delivered"),
    failNext(kind: SendFailureKind, count = 1, retryAfterSeconds?: number, scope?: "conversation" | "channel") {
      for (let i = 0; i < count; i += 1) {
        failures.push({ kind, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }), ...(scope === undefined ? {} : { scope }) });
      }
    },
  };
}
