import type { AxiosInstance } from "axios";
import { z } from "zod";
import type { Logger } from "../../logger.ts";
import { ChannelSendError, type ChannelAdapter } from "../channel-adapter.ts";
import type { OutboundMessage } from "../outbound-message.ts";
import { logSkippedMedia, type OutboundMedia, type SkippedMedia } from "../skipped-media.ts";
import { textWithNumberedMenu } from "../numbered-menu.ts";
import { createZaloBotApi, zaloBotChannel, zaloBotMaxTextLength, ZaloBotTransportError, type ZaloBotMethod, type ZaloBotReply } from "./zalo-bot-api.ts";
import { ZaloBotQuotaExhaustedError, ZaloBotUnauthorizedError } from "./zalo-bot-send-errors.ts";

/**
 * Options a menu can show. The Bot Platform has no buttons, so every option is a numbered line; the engine
 * matches typed numbers of one or two digits.
 */
export const zaloBotMaxMenuOptions = 99;

/** Outboxes whose partly sent message is remembered, so a retry does not repeat the parts already delivered. */
const maxRememberedPartialSends = 1000;

const sentMessageSchema = z.object({ message_id: z.union([z.string(), z.number()]) });

/**
 * A message as the texts `sendMessage` takes: the text NFC-normalised and split at 2,000 characters on
 * paragraph, sentence or word boundaries, then the menu as "1. label" lines after the last part (in parts of
 * their own, never cut mid-line, when it does not fit). Pure, so rendering is tested without a network.
 */
export function renderZaloBotTexts(message: OutboundMessage): string[] {
  return textWithNumberedMenu(message.text, message.options ?? [], zaloBotMaxTextLength);
}

/** One call that sends a picture or a voice note by its public URL, which Zalo fetches itself. */
export type ZaloBotMediaSend = { method: "sendPhoto" | "sendVoice"; url: string };

/** The parameter each media method takes the file's URL in. */
const mediaParameter = { sendPhoto: "photo", sendVoice: "voice_url" } as const;

/**
 * The calls that send a message's pictures and voice notes, in order, before its text, and the items skipped.
 * A picture is `sendPhoto` without a caption (the text follows as its own message, with the menu). A voice
 * note is `sendVoice`, which takes AAC only (a `voice_url` ending in `.aac`): one whose URL path ends in
 * `.aac` or whose type is `audio/aac` is sent, any other is skipped. `sendVoice` reaches 1:1 chats only,
 * which are the only chats Loa answers on Zalo Bot. Pure, so the rules are tested without a network.
 */
export function renderZaloBotMedia(message: OutboundMessage): { sends: ZaloBotMediaSend[]; skipped: SkippedMedia[] } {
  const sends: ZaloBotMediaSend[] = [];
  const skipped: SkippedMedia[] = [];
  for (const item of message.media ?? []) {
    if (item.kind === "image") sends.push({ method: "sendPhoto", url: item.url });
    else if (isAac(item)) sends.push({ method: "sendVoice", url: item.url });
    else skipped.push({ item, reason: "voice_not_aac" });
  }
  return { sends, skipped };
}

/** AAC by its type, or by the URL's path (not its query string) ending in `.aac`, in any case. */
function isAac(item: OutboundMedia): boolean {
  if (item.mimeType === "audio/aac") return true;
  try {
    return new URL(item.url).pathname.toLowerCase().endsWith(".aac");
  } catch {
    return false;
  }
}

/** The query string of a media URL (a signed link's secret), to keep out of errors; empty when there is none. */
function queryOf(url: string): string {
  try {
    return new URL(url).search.slice(1);
  } catch {
    return "";
  }
}

/**
 * Classifies a refused call by Zalo's error table (the envelope's `error_code`, else the HTTP status):
 * 429 quota exhausted (waits, alert code), 401 token rejected (retried, alert code), 400 and 404 (a request
 * Loa got wrong: not retried), 403 (Zalo's "internal server error"), 408, 5xx and anything undocumented (retried).
 * No documented code means "this person blocked the bot", so this channel never reports `blocked`.
 */
function sendError(method: ZaloBotMethod, reply: Extract<ZaloBotReply, { ok: false }>): ChannelSendError {
  const code = reply.errorCode ?? reply.status;
  const detail = `Zalo Bot ${method} refused: HTTP ${reply.status}, error_code ${reply.errorCode ?? "none"}${reply.description === undefined ? "" : ` (${reply.description})`}`;
  const options = { channel: zaloBotChannel, status: reply.status };
  switch (code) {
    case 429:
      return new ZaloBotQuotaExhaustedError(detail, options);
    case 401:
      return new ZaloBotUnauthorizedError(detail, options);
    case 400:
    case 404:
      return new ChannelSendError(detail, "permanent", options);
    default:
      return new ChannelSendError(detail, "transient", options);
  }
}

/** What the Zalo Bot channel needs. `http` lets tests and the composition root choose timeouts. */
export type ZaloBotAdapterOptions = {
  token: string;
  apiRoot: string;
  http?: AxiosInstance;
  /** Says at info which pictures or voice notes were skipped and why (never their URL). */
  logger?: Logger;
};

/** One platform call of a message: a picture or voice note first, then each text. */
type ZaloBotCall = { method: ZaloBotMethod; params: Record<string, string>; secrets: string[] };

/**
 * The Zalo Bot Platform channel: pictures by `sendPhoto` and AAC voice notes by `sendVoice` first, then
 * `sendMessage` with the text, menus as numbered lines. The platform cannot deduplicate, so a resend after a
 * crash may be delivered twice; within one process, a message that failed part-way is resumed after its last
 * delivered call (a picture or voice note counts as one, so a retry after the text failed does not send it
 * again). The token is in every URL and appears in no error.
 */
export function createZaloBotAdapter(options: ZaloBotAdapterOptions): ChannelAdapter {
  const api = createZaloBotApi(options);
  const partialSends = new Map<string, { delivered: number; lastMessageId?: string }>();

  function rememberPartialSend(key: string, progress: { delivered: number; lastMessageId?: string }): void {
    partialSends.delete(key);
    partialSends.set(key, progress);
    const oldest = partialSends.keys().next();
    if (partialSends.size > maxRememberedPartialSends && !oldest.done) partialSends.delete(oldest.value);
  }

  return {
    channel: zaloBotChannel,
    capabilities: { maxTextLength: zaloBotMaxTextLength, maxButtons: zaloBotMaxMenuOptions },
    async send(to, message, { idempotencyKey }) {
      const texts = renderZaloBotTexts(message);
      if (texts.length === 0) throw new ChannelSendError("Zalo Bot cannot send an empty message", "permanent", { channel: zaloBotChannel });
      const media = renderZaloBotMedia(message);
      logSkippedMedia(options.logger, zaloBotChannel, message, media.skipped);
      const calls: ZaloBotCall[] = [
        ...media.sends.map(({ method, url }) => ({ method, params: { [mediaParameter[method]]: url }, secrets: [queryOf(url)] })),
        ...texts.map((text) => ({ method: "sendMessage" as const, params: { text }, secrets: [] })),
      ];
      const progress = { ...(partialSends.get(idempotencyKey) ?? { delivered: 0 }) };
      for (const call of calls.slice(progress.delivered)) {
        let reply: ZaloBotReply;
        try {
          reply = await api.call(call.method, { chat_id: to.channelUserId, ...call.params });
        } catch (error) {
          if (progress.delivered > 0) rememberPartialSend(idempotencyKey, progress);
          if (!(error instanceof ZaloBotTransportError)) throw error;
          throw new ChannelSendError(error.message, "transient", { channel: zaloBotChannel, cause: error });
        }
        if (!reply.ok) {
          if (progress.delivered > 0) rememberPartialSend(idempotencyKey, progress);
          const description = reply.description === undefined ? undefined : api.redact(reply.description, [to.channelUserId, ...call.secrets]);
          throw sendError(call.method, { ...reply, description });
        }
        const sent = sentMessageSchema.safeParse(reply.result);
        progress.delivered += 1;
        if (sent.success) progress.lastMessageId = String(sent.data.message_id);
      }
      partialSends.delete(idempotencyKey);
      return progress.lastMessageId === undefined ? {} : { externalMessageId: progress.lastMessageId };
    },
  };
}
