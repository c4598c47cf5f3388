import type { OutboundMessage } from "../outbound-message.ts";
import type { SkippedMedia } from "../skipped-media.ts";
import { textWithNumberedMenu } from "../numbered-menu.ts";
import { splitText } from "../split-text.ts";
import { encodeButtonPayload } from "./zalo-oa-button-payload.ts";

/** Characters (UTF-16 code units) in one consultation text message. */
export const zaloOaMaxTextLength = 2000;

/** Buttons on one consultation message; a menu with more options is shown as numbered text. */
export const zaloOaMaxButtons = 5;

/** A button that sends its hidden payload back as a `user_send_text` event (see zalo-oa-button-payload.ts). */
export type ZaloOaQueryButton = { type: "oa.query.hide"; title: string; payload: string };

/** Largest picture a consultation message may show: jpg or png of at most 1 MB (1,048,576 bytes). */
export const zaloOaMaxImageBytes = 1_048_576;

/** Picture types a consultation message may show. */
const zaloOaImageTypes: readonly string[] = ["image/jpeg", "image/png"];

/** The `message` of a consultation text: text, and buttons on the last part of a menu. */
export type ZaloOaTextMessage = {
  text: string;
  attachment?: { type: "template"; payload: { buttons: ZaloOaQueryButton[] } };
};

/** The `message` of a consultation picture: the media template with one image, fetched by Zalo from its URL. */
export type ZaloOaImageMessage = {
  attachment: { type: "template"; payload: { template_type: "media"; elements: [{ media_type: "image"; url: string }] } };
};

/** The `message` object of one `POST /v3.0/oa/message/cs` request. */
export type ZaloOaCsMessage = ZaloOaTextMessage | ZaloOaImageMessage;

/**
 * The consultation messages that show a message's pictures, in order, before its text, and the items skipped.
 * A picture goes in the media template, without a caption (the text follows as its own message, with the
 * buttons), when it is jpg or png and not known to be over 1 MB; Zalo refuses other pictures. A voice note is
 * always skipped: consultation messages cannot carry audio. Pure, so the rules are tested without a network.
 */
export function renderZaloOaMedia(message: OutboundMessage): { sends: ZaloOaImageMessage[]; skipped: SkippedMedia[] } {
  const sends: ZaloOaImageMessage[] = [];
  const skipped: SkippedMedia[] = [];
  for (const item of message.media ?? []) {
    if (item.kind === "voice") skipped.push({ item, reason: "voice_not_supported" });
    else if (!zaloOaImageTypes.includes(item.mimeType)) skipped.push({ item, reason: "image_not_jpeg_or_png" });
    else if (item.bytes !== undefined && item.bytes > zaloOaMaxImageBytes) skipped.push({ item, reason: "image_over_1mb" });
    else sends.push({ attachment: { type: "template", payload: { template_type: "media", elements: [{ media_type: "image", url: item.url }] } } });
  }
  return { sends, skipped };
}

/**
 * Turns a message into the consultation messages that show it: NFC text split at 2,000 characters on
 * sentence boundaries; up to 5 options as `oa.query.hide` buttons under the last part, more as a numbered
 * list ("1. …") the person answers by typing the number. Pure, so the rendering is tested without a network.
 */
export function renderZaloOaMessage(message: OutboundMessage): ZaloOaTextMessage[] {
  const options = message.options ?? [];
  const buttons = options.length <= zaloOaMaxButtons ? toButtons(message) : undefined;
  const parts = buttons !== undefined ? splitText(message.text, zaloOaMaxTextLength) : textWithNumberedMenu(message.text, options, zaloOaMaxTextLength);
  return parts.map((part, index) =>
    index === parts.length - 1 && buttons !== undefined && buttons.length > 0
      ? { text: part, attachment: { type: "template", payload: { buttons } } }
      : { text: part },
  );
}

/** The option buttons, or undefined when an option's ids cannot be carried in a payload (numbered text then). */
function toButtons(message: OutboundMessage): ZaloOaQueryButton[] | undefined {
  const buttons: ZaloOaQueryButton[] = [];
  for (const option of message.options ?? []) {
    const payload = encodeButtonPayload({ optionId: option.id, ...(message.nodeId === undefined ? {} : { nodeId: message.nodeId }) });
    if (payload === undefined) return undefined;
    buttons.push({ type: "oa.query.hide", title: option.label.normalize("NFC"), payload });
  }
  return buttons;
}
