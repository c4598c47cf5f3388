import type { OutboundMessage } from "../outbound-message.ts";
import { splitText } from "../split-text.ts";
import { encodeButtonPayload } from "./zalo-oa-button-payload.ts";

/** Characters (UTF-16 code units) in one consultation text message. */
export const zaloOaMaxTextLength = 2000;

/** Buttons on one consultation message; a menu with more options is shown as numbered text. */
export const zaloOaMaxButtons = 5;

/** A button that sends its hidden payload back as a `user_send_text` event (see zalo-oa-button-payload.ts). */
export type ZaloOaQueryButton = { type: "oa.query.hide"; title: string; payload: string };

/** The `message` object of one `POST /v3.0/oa/message/cs` request: text, and buttons on the last part of a menu. */
export type ZaloOaCsMessage = {
  text: string;
  attachment?: { type: "template"; payload: { buttons: ZaloOaQueryButton[] } };
};

/**
 * Turns a message into the consultation messages that show it: NFC text split at 2,000 characters on
 * sentence boundaries; up to 5 options as `oa.query.hide` buttons under the last part, more as a numbered
 * list ("1. …") the person answers by typing the number. Pure, so the rendering is tested without a network.
 */
export function renderZaloOaMessage(message: OutboundMessage): ZaloOaCsMessage[] {
  const options = message.options ?? [];
  const buttons = options.length <= zaloOaMaxButtons ? toButtons(message) : undefined;
  const text = buttons !== undefined || options.length === 0
    ? message.text
    : `${message.text}\n\n${options.map((option, index) => `${index + 1}. ${option.label}`).join("\n")}`;
  const parts = splitText(text, zaloOaMaxTextLength);
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
