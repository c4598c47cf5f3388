import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { inboundMessageSchema } from "../../conversation/inbound-message.ts";
import { LoaError } from "../../errors.ts";
import type { ChannelWebhook, WebhookParseResult } from "../channel-webhook.ts";
import { WebhookBodyError } from "../webhook-body-error.ts";
import { zaloBotChannel } from "./zalo-bot-api.ts";

/** The header in which Zalo echoes the `secret_token` given to `setWebhook`. */
export const zaloBotSecretHeader = "x-bot-api-secret-token";

/** The only event Loa turns into an inbox update: a typed text message. */
const textEvent = "message.text.received";

/** A platform id (20 hex characters in practice); bounded so a bad body cannot fill the inbox with junk keys. */
const platformId = z.string().min(1).max(128);

/** `{ ok: true, result: <update> }`, the shape of the official docs and of `getUpdates`. */
const wrappedSchema = z.object({ ok: z.literal(true), result: z.unknown() });

/** Any update: only `event_name` is needed to decide whether to read further. */
const eventSchema = z.object({ event_name: z.string().min(1) });

/** A `message.text.received` update, with the fields Loa relies on; other documented fields are allowed. */
const textUpdateSchema = z.object({
  event_name: z.literal(textEvent),
  message: z.object({
    message_id: platformId,
    text: z.string(),
    from: z.object({ id: platformId, is_bot: z.boolean().optional() }),
    chat: z.object({ id: platformId, chat_type: z.string() }),
  }),
});

/**
 * Turns one Bot Platform update into inbox updates. Accepts it wrapped in `{ ok: true, result }` (the official
 * docs, and every `getUpdates` reply) or bare (what live webhooks send). A private-chat text message becomes a
 * text update keyed by `message_id` and addressed to `chat.id` (Zalo says to reply to `chat.id`; in private
 * chats it is the sender's id). Group messages, messages from bots, other events (images, stickers, voice,
 * unsupported) and an empty probe are ignored with a reason that holds no personal data. A body of another
 * shape throws `WebhookBodyError`.
 */
export function parseZaloBotUpdate(body: unknown): WebhookParseResult {
  if (body === undefined || body === null || body === "") return { updates: [], ignored: "empty body" };
  const wrapped = wrappedSchema.safeParse(body);
  const update = wrapped.success ? wrapped.data.result : body;
  const event = eventSchema.safeParse(update);
  if (!event.success) throw new WebhookBodyError(zaloBotChannel, `no event_name (${describeIssues(event.error)})`);
  const eventName = event.data.event_name;
  if (eventName !== textEvent) return { updates: [], ignored: `event ${eventName.replace(/[^\w.-]/g, "?").slice(0, 64)} is not a text message` };
  const text = textUpdateSchema.safeParse(update);
  if (!text.success) throw new WebhookBodyError(zaloBotChannel, describeIssues(text.error));
  const { message } = text.data;
  if (message.chat.chat_type !== "PRIVATE") return { updates: [], ignored: message.chat.chat_type === "GROUP" ? "group chat" : "chat type is not PRIVATE" };
  if (message.from.is_bot === true) return { updates: [], ignored: "sent by a bot" };
  return {
    updates: [
      {
        channel: zaloBotChannel,
        externalId: message.message_id,
        channelUserId: message.chat.id,
        message: inboundMessageSchema.parse({ kind: "text", text: message.text }),
      },
    ],
  };
}

/** Where a body failed its schema and why, without quoting any value from it. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "body"}: ${issue.code}`)
    .join("; ");
}

/**
 * The Bot Platform's webhook (`POST /webhooks/zalo-bot`). `verify` compares `X-Bot-Api-Secret-Token` with the
 * secret in constant time (both sides are hashed first, so not even the length leaks); `parse` is
 * `parseZaloBotUpdate`. The secret must be 8–256 characters, as `setWebhook` requires.
 */
export function createZaloBotWebhook(options: { secretToken: string }): ChannelWebhook {
  const { secretToken } = options;
  if (secretToken.length < 8 || secretToken.length > 256) {
    throw new LoaError("The Zalo Bot webhook secret must be 8–256 characters", "config:invalid", { context: { key: "ZALO_BOT_WEBHOOK_SECRET" } });
  }
  const expected = digest(secretToken);
  return {
    channel: zaloBotChannel,
    route: zaloBotChannel,
    verify({ headers }) {
      const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === zaloBotSecretHeader);
      const received = entry?.[1];
      if (typeof received !== "string") return false;
      return timingSafeEqual(digest(received), expected);
    },
    parse: parseZaloBotUpdate,
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
