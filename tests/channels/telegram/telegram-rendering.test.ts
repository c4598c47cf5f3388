import { describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../../src/channels/outbound-message.ts";
import { decodeCallbackData } from "../../../src/channels/telegram/callback-data.ts";
import { renderTelegramMedia, renderTelegramMessage, telegramLimits } from "../../../src/channels/telegram/telegram-rendering.ts";

const message = (text: string, options?: string[], nodeId = "main/topics"): OutboundMessage => ({
  text,
  contentKeys: ["common:menu"],
  locale: "vi",
  nodeId,
  ...(options === undefined ? {} : { options: options.map((label, index) => ({ id: `option-${index + 1}`, label })) }),
});

describe("renderTelegramMessage", () => {
  it("sends plain text as one message without a keyboard, NFC-normalised", () => {
    const parts = renderTelegramMessage(message("Chào bạn, đây là Loa.".normalize("NFD")));
    expect(parts).toEqual([{ text: "Chào bạn, đây là Loa.".normalize("NFC") }]);
  });

  it("makes a menu an inline keyboard: one button per row, in order, each naming its option and node", () => {
    const labels = ["Tảo hôn", "Hôn nhân cận huyết", "Sinh con an toàn", "Bạo lực gia đình"];
    const [part, ...rest] = renderTelegramMessage(message("Chọn một chủ đề:", labels.map((label) => label.normalize("NFD"))));
    expect(rest).toEqual([]);
    expect(part?.text).toBe("Chọn một chủ đề:");
    const rows = part?.replyMarkup?.inline_keyboard ?? [];
    expect(rows.map((row) => row.length)).toEqual([1, 1, 1, 1]);
    expect(rows.map((row) => row[0]?.text)).toEqual(labels.map((label) => label.normalize("NFC")));
    const choices = rows.map((row) => {
      const button = row[0];
      const data = button !== undefined && "callback_data" in button ? button.callback_data : "";
      expect(Buffer.byteLength(data, "utf8")).toBeLessThanOrEqual(64);
      return decodeCallbackData(data);
    });
    expect(choices).toEqual(labels.map((_, index) => ({ kind: "choice", optionId: `option-${index + 1}`, nodeId: "main/topics" })));
  });

  it("splits a 10,000-character message into parts of at most 4096 with the keyboard on the last only", () => {
    const text = "Một câu tiếng Việt có dấu để thử. ".repeat(300).slice(0, 10_000);
    const parts = renderTelegramMessage(message(text, ["Có", "Không"]));
    expect(parts.length).toBe(3);
    expect(parts.every((part) => part.text.length <= telegramLimits.maxTextLength)).toBe(true);
    expect(parts.slice(0, -1).every((part) => part.replyMarkup === undefined)).toBe(true);
    expect(parts.at(-1)?.replyMarkup?.inline_keyboard).toHaveLength(2);
    expect(parts.map((part) => part.text).join("").replace(/\s+/g, "")).toBe(text.replace(/\s+/g, ""));
  });

  it("shows a menu as numbered text when it has more options than buttons allowed", () => {
    const labels = Array.from({ length: telegramLimits.maxButtons + 1 }, (_, index) => `Xã ${index + 1}`);
    const parts = renderTelegramMessage(message("Chọn xã:", labels));
    expect(parts).toHaveLength(1);
    expect(parts[0]?.replyMarkup).toBeUndefined();
    expect(parts[0]?.text).toBe(`Chọn xã:\n\n${labels.map((label, index) => `${index + 1}. ${label}`).join("\n")}`);
    expect(renderTelegramMessage(message("Chọn xã:", labels.slice(0, telegramLimits.maxButtons)))[0]?.replyMarkup?.inline_keyboard).toHaveLength(12);
  });

  it("shows a menu as numbered text when its ids do not fit 64 bytes, rather than dropping the node", () => {
    const parts = renderTelegramMessage(message("Chọn:", ["Có", "Không"], `${"a".repeat(40)}/${"b".repeat(30)}`));
    expect(parts[0]?.replyMarkup).toBeUndefined();
    expect(parts[0]?.text).toBe("Chọn:\n\n1. Có\n2. Không");
  });
});

describe("renderTelegramMedia", () => {
  it("sends pictures as photos, OGG voice notes as voice messages and other audio as audio files, in order", () => {
    const calls = renderTelegramMedia({
      ...message("Nghe đây:"),
      media: [
        { kind: "image", url: "https://cdn.example.org/a.png", mimeType: "image/png" },
        { kind: "voice", url: "https://cdn.example.org/b.ogg", mimeType: "audio/ogg" },
        { kind: "voice", url: "https://cdn.example.org/c.mp3", mimeType: "audio/mpeg" },
        { kind: "voice", url: "https://cdn.example.org/d.aac", mimeType: "audio/aac" },
        { kind: "voice", url: "https://cdn.example.org/e.m4a", mimeType: "audio/mp4" },
      ],
    });
    expect(calls).toEqual([
      { method: "sendPhoto", url: "https://cdn.example.org/a.png" },
      { method: "sendVoice", url: "https://cdn.example.org/b.ogg" },
      { method: "sendAudio", url: "https://cdn.example.org/c.mp3" },
      { method: "sendAudio", url: "https://cdn.example.org/d.aac" },
      { method: "sendAudio", url: "https://cdn.example.org/e.m4a" },
    ]);
  });

  it("has nothing to send for a message without media", () => {
    expect(renderTelegramMedia(message("Chào bạn"))).toEqual([]);
  });
});
