import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { inboundMessageSchema, type InboundUpdate } from "../../conversation/inbound-message.ts";
import type { ChannelWebhook, WebhookParseResult, WebhookRequest } from "../channel-webhook.ts";
import { WebhookBodyError } from "../webhook-body-error.ts";
import { decodeButtonPayload } from "./zalo-oa-button-payload.ts";
import { zaloOaChannel } from "./zalo-oa-send-error.ts";

/** What the webhook needs to check Zalo's signature and tell the OA's own messages from hers. */
export type ZaloOaWebhookOptions = {
  appId: string;
  /** The OA's id: the other documented first term of the signature, and the sender of the OA's own messages. */
  oaId: string;
  /** The "OA Secret Key" (Khóa bí mật OA) from the app's webhook settings — not the App Secret. */
  oaSecretKey: string;
  /** With `now`, events whose `timestamp` is older than this are refused (a replay); off when not given. */
  maxEventAgeMs?: number;
  now?: () => Date;
};

/** Zalo sends every id and the timestamp as strings; numbers (which would lose digits) are malformed. */
const id = z.string().min(1).max(100);

const envelopeSchema = z.object({ event_name: z.string().min(1).max(100) });

const userMessageSchema = z.object({
  sender: z.object({ id }),
  recipient: z.object({ id }).optional(),
  message: z.object({ msg_id: id, text: z.string().optional() }),
});

const followerEventSchema = z.object({
  event_name: z.enum(["unfollow", "user_unfollow"]),
  follower: z.object({ id }),
  timestamp: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative().transform(String)]),
});

/**
 * True when a (verified) webhook body says she unfollowed the OA; `body.follower.id` is her user id. `parse`
 * already turns it into a `blocked` input (she is marked stopped in order with her other messages); this lets
 * other code recognise the event without parsing it twice. The documented event is `unfollow`;
 * `user_unfollow` is accepted too.
 */
export function isUnfollow(body: unknown): body is z.input<typeof followerEventSchema> {
  return followerEventSchema.safeParse(body).success;
}

/**
 * The Zalo OA webhook (POST /webhooks/zalo-oa). `verify` checks `X-ZEvent-Signature: mac=<hex>` where
 * hex = SHA-256(first + rawBody + timestamp + OA Secret Key), plain SHA-256 over the raw bytes, with `timestamp`
 * read from the body. Sources disagree on the first term, so both the app id and the OA id are tried.
 * `parse` turns her text and her taps on Loa's buttons into inbox updates keyed by `msg_id`, an unfollow into
 * a `blocked` input (she is marked stopped), and ignores the OA's own messages (`oa_send_*` echoes), messages
 * without text (stickers, images without a caption) and every other event, naming it.
 */
export function createZaloOaWebhook(options: ZaloOaWebhookOptions): ChannelWebhook {
  const candidates = [...new Set([options.appId, options.oaId])];

  function verify(request: WebhookRequest): boolean {
    const header = request.headers["x-zevent-signature"];
    const value = Array.isArray(header) ? header[0] : header;
    const mac = (value ?? "").replace(/^\s*mac\s*=\s*/i, "").trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(mac)) return false;
    const fields = signedFields(request.rawBody);
    if (fields === null) return false;
    if (fields.appId !== undefined && fields.appId !== options.appId) return false;
    if (options.maxEventAgeMs !== undefined && options.now !== undefined) {
      const age = options.now().getTime() - Number(fields.timestamp);
      if (!(age <= options.maxEventAgeMs)) return false;
    }
    const given = Buffer.from(mac, "hex");
    let matched = false;
    for (const first of candidates) {
      const expected = createHash("sha256").update(first).update(request.rawBody).update(fields.timestamp).update(options.oaSecretKey).digest();
      // Every candidate is compared, so timing does not tell which one matched.
      matched = timingSafeEqual(expected, given) || matched;
    }
    return matched;
  }

  function parse(body: unknown): WebhookParseResult {
    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) throw new WebhookBodyError(zaloOaChannel, "no event_name");
    const event = envelope.data.event_name;
    if (event === "unfollow" || event === "user_unfollow") {
      const unfollow = followerEventSchema.safeParse(body);
      if (!unfollow.success) throw new WebhookBodyError(zaloOaChannel, `${event} without follower.id or timestamp`);
      const { follower, timestamp } = unfollow.data;
      // No msg_id: the follower and the event's time identify it, so a redelivery is recognised.
      return { updates: [{ channel: zaloOaChannel, externalId: `unfollow:${follower.id}:${timestamp}`, channelUserId: follower.id, message: { kind: "blocked" } }] };
    }
    if (event.startsWith("oa_send_")) return { updates: [], ignored: `echo of the OA's own message (${event})` };
    if (!event.startsWith("user_send_")) return { updates: [], ignored: `event not handled: ${event}` };
    const parsed = userMessageSchema.safeParse(body);
    if (!parsed.success) throw new WebhookBodyError(zaloOaChannel, `${event} without sender.id or message.msg_id`);
    const { sender, message } = parsed.data;
    if (sender.id === options.oaId) return { updates: [], ignored: `the OA's own message (${event})` };
    const text = message.text ?? "";
    if (text.trim() === "") return { updates: [], ignored: `${event} without text` };
    const choice = decodeButtonPayload(text);
    const update: InboundUpdate = {
      channel: zaloOaChannel,
      externalId: message.msg_id,
      channelUserId: sender.id,
      message: inboundMessageSchema.parse(choice === null ? { kind: "text", text } : { kind: "choice", ...choice }),
    };
    return { updates: [update] };
  }

  return { channel: zaloOaChannel, route: zaloOaChannel, verify, parse };
}

/** The fields the signature covers besides the raw body; built once, as every webhook request uses it. */
const signedFieldsSchema = z.object({
  timestamp: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative().transform(String)]),
  app_id: z.string().optional().catch(undefined),
});

/** The body's `timestamp` (digits, as sent) and `app_id`, or null when the body is not a JSON object with a timestamp. */
function signedFields(rawBody: Buffer): { timestamp: string; appId?: string } | null {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return null;
  }
  const fields = signedFieldsSchema.safeParse(body);
  if (!fields.success) return null;
  return fields.data.app_id === undefined ? { timestamp: fields.data.timestamp } : { timestamp: fields.data.timestamp, appId: fields.data.app_id };
}
