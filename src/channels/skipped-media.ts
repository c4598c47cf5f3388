import type { Logger } from "../logger.ts";
import type { OutboundMessage } from "./outbound-message.ts";

/** One picture or voice note of an outbound message. */
export type OutboundMedia = NonNullable<OutboundMessage["media"]>[number];

/**
 * A picture or voice note a channel cannot send, and why in a few words (a stable reason such as
 * `voice_not_aac`). Skipping is not a failure: the rest of the message, and always its text, still goes.
 */
export type SkippedMedia = { item: OutboundMedia; reason: string };

/**
 * Logs each skipped item at info, so an operator can see which content a channel cannot carry and change it.
 * The line names the channel, the kind, the file type and size, the reason and the message's content keys;
 * never the URL (a signed link holds its secret in the query string), the person or the text.
 */
export function logSkippedMedia(logger: Logger | undefined, channel: string, message: OutboundMessage, skipped: readonly SkippedMedia[]): void {
  for (const { item, reason } of skipped) {
    logger?.info(
      {
        channel,
        kind: item.kind,
        mimeType: item.mimeType,
        ...(item.bytes === undefined ? {} : { bytes: item.bytes }),
        reason,
        contentKeys: message.contentKeys,
      },
      "media item skipped: the channel cannot send it",
    );
  }
}
