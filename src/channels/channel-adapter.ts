import { LoaError } from "../errors.ts";
import type { ChannelAddress, OutboundMessage } from "./outbound-message.ts";

/** What a platform can show, so rendering can fall back (too many buttons become numbered text). */
export type ChannelCapabilities = {
  maxTextLength: number;
  maxButtons: number;
  /** The platform's sending limit per bot or app (Telegram 30/s); the dispatcher stays under it. */
  maxPerSecond?: number;
  /** Least time between two messages to one person (Telegram ≈ 1 s sustained per chat). */
  perConversationIntervalMs?: number;
};

/**
 * The one contract every channel implements (Telegram, Zalo Bot, Zalo OA, the simulator). The rest of Loa
 * never imports a platform library. `send` is given the outbox row's idempotency key: a channel that can
 * deduplicate on it delivers exactly once even when a crash makes the dispatcher send again.
 */
export interface ChannelAdapter {
  readonly channel: string;
  readonly capabilities: ChannelCapabilities;
  send(to: ChannelAddress, message: OutboundMessage, options: { idempotencyKey: string }): Promise<{ externalMessageId?: string }>;
}

/** How a failed send should be treated by the dispatcher. */
export type SendFailureKind = "rate_limited" | "blocked" | "permanent" | "transient";

/** A send that did not go through, classified so the dispatcher knows whether and when to try again. */
export class ChannelSendError extends LoaError {
  constructor(
    message: string,
    readonly kind: SendFailureKind,
    options: {
      channel: string;
      status?: number;
      retryAfterSeconds?: number;
      /** For a rate limit: does it hold for this conversation only, or for every send on the channel? */
      scope?: "conversation" | "channel";
      cause?: unknown;
    },
  ) {
    super(message, `channel:${kind}`, {
      cause: options.cause,
      context: { channel: options.channel, status: options.status, retryAfterSeconds: options.retryAfterSeconds, scope: options.scope },
    });
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.scope = options.scope ?? "conversation";
  }

  readonly retryAfterSeconds: number | undefined;
  readonly scope: "conversation" | "channel";
}
