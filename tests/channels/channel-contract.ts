import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChannelAdapter } from "../../src/channels/channel-adapter.ts";
import type { ChannelAddress, OutboundMessage } from "../../src/channels/outbound-message.ts";

/** What a platform (or its local fake) received, reduced to what every channel must preserve. */
export type ReceivedMessage = { to: string; text: string; options: string[] };

/** A channel under test, wired to its platform fake. */
export type ChannelUnderTest = {
  adapter: ChannelAdapter;
  /** Everything the platform received so far, in order. */
  received(): Promise<ReceivedMessage[]>;
  /** True when the platform deduplicates on the idempotency key, so a resend after a crash is delivered once. */
  deliversOnce: boolean;
  close(): Promise<void>;
};

const message = (text: string, options?: string[]): OutboundMessage => ({
  text,
  contentKeys: ["common:welcome"],
  locale: "vi",
  ...(options === undefined ? {} : { options: options.map((label, index) => ({ id: String(index + 1), label })) }),
});

/**
 * The contract every channel adapter passes: the simulator now, Telegram and Zalo later, each against a
 * local fake of its platform. Rendering may differ (buttons or numbered text); what a person receives may not.
 */
export function defineChannelContract(name: string, create: () => Promise<ChannelUnderTest>): void {
  describe(`channel contract: ${name}`, () => {
    let channel: ChannelUnderTest;
    const to = (channelUserId: string): ChannelAddress => ({ channel: channel.adapter.channel, channelUserId });

    beforeEach(async () => {
      channel = await create();
    });
    afterEach(async () => {
      await channel.close();
    });

    it("declares usable capabilities", () => {
      expect(channel.adapter.capabilities.maxTextLength).toBeGreaterThanOrEqual(1000);
      expect(channel.adapter.capabilities.maxButtons).toBeGreaterThanOrEqual(1);
    });

    it("delivers text unchanged, including Vietnamese in NFC, emoji and other scripts", async () => {
      const text = "Chào bạn 👋 — Tiếng Việt có dấu: ắ ằ ẳ ẵ ặ, Thai: ꪀꪁ, Khmer: សួស្តី";
      await channel.adapter.send(to("u1"), message(text), { idempotencyKey: "1" });
      const [received] = await channel.received();
      expect(received?.text.normalize("NFC")).toContain(text.normalize("NFC"));
      expect(received?.to).toBe("u1");
    });

    it("shows every option of a menu, in order", async () => {
      await channel.adapter.send(to("u1"), message("Chọn một:", ["Tảo hôn", "Sinh con an toàn", "Bạo lực gia đình"]), { idempotencyKey: "1" });
      const received = await channel.received();
      const shown = received.flatMap((r) => [r.text, ...r.options]).join("\n");
      const positions = ["Tảo hôn", "Sinh con an toàn", "Bạo lực gia đình"].map((label) => shown.indexOf(label));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    });

    it("keeps one person's messages in the order they were sent and apart from another person's", async () => {
      for (const [index, user] of ["a", "b", "a", "a", "b"].entries()) {
        await channel.adapter.send(to(user), message(`m${index}`), { idempotencyKey: String(index + 1) });
      }
      const received = await channel.received();
      expect(received.filter((r) => r.to === "a").map((r) => r.text)).toEqual(["m0", "m2", "m3"]);
      expect(received.filter((r) => r.to === "b").map((r) => r.text)).toEqual(["m1", "m4"]);
    });

    it("delivers a message at the channel's length limit completely", async () => {
      const text = "Một câu ngắn. ".repeat(Math.ceil(channel.adapter.capabilities.maxTextLength / 14)).slice(0, channel.adapter.capabilities.maxTextLength);
      await channel.adapter.send(to("u1"), message(text), { idempotencyKey: "1" });
      const joined = (await channel.received()).map((r) => r.text).join("");
      expect(joined.replace(/\s+/g, "")).toBe(text.replace(/\s+/g, ""));
    });

    it("handles a resend with the same idempotency key as the platform allows", async () => {
      await channel.adapter.send(to("u1"), message("once"), { idempotencyKey: "7" });
      await channel.adapter.send(to("u1"), message("once"), { idempotencyKey: "7" });
      const count = (await channel.received()).filter((r) => r.text === "once").length;
      expect(count).toBe(channel.deliversOnce ? 1 : 2);
    });

    it("takes a campaign delivery's text key, as it takes an outbox row's number", async () => {
      await channel.adapter.send(to("u1"), message("campaign"), { idempotencyKey: "campaign-12" });
      await channel.adapter.send(to("u1"), message("campaign"), { idempotencyKey: "campaign-12" });
      await channel.adapter.send(to("u1"), message("campaign"), { idempotencyKey: "campaign-13" });
      const count = (await channel.received()).filter((r) => r.text === "campaign").length;
      expect(count).toBe(channel.deliversOnce ? 2 : 3);
    });
  });
}
