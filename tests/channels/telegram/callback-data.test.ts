import { describe, expect, it } from "vitest";
import { decodeCallbackData, encodeCallbackData, maxCallbackDataBytes } from "../../../src/channels/telegram/callback-data.ts";
import { inboundMessageSchema } from "../../../src/conversation/inbound-message.ts";

describe("Telegram callback data", () => {
  it("is compact for the shipped flows' ids and reads back as the choice it encodes", () => {
    const data = encodeCallbackData("son-la", "main/place");
    expect(data).toBe("c|son-la|main/place");
    const choice = decodeCallbackData(data ?? "");
    expect(choice).toEqual({ kind: "choice", optionId: "son-la", nodeId: "main/place" });
    expect(inboundMessageSchema.parse(choice)).toEqual(choice);
  });

  it("round-trips any ids, including separators, percent signs and Vietnamese", () => {
    for (const [optionId, nodeId] of [
      ["1", "violence/ask_help"],
      ["a|b", "flow/node|x"],
      ["50%", "f/n%2F"],
      ["chọn", "đề/hỏi"],
      ["x", "a/b/c"],
    ] as const) {
      const data = encodeCallbackData(optionId, nodeId);
      expect(data, `${optionId} ${nodeId}`).toBeDefined();
      expect(decodeCallbackData(data ?? "")).toEqual({ kind: "choice", optionId, nodeId });
    }
  });

  it("encodes an option without a node", () => {
    expect(encodeCallbackData("agree", undefined)).toBe("c|agree");
    expect(decodeCallbackData("c|agree")).toEqual({ kind: "choice", optionId: "agree" });
  });

  it("never exceeds 64 bytes: up to the limit it encodes, past it it says so", () => {
    const fits = encodeCallbackData("o", `${"f".repeat(30)}/${"n".repeat(maxCallbackDataBytes - 4 - 30 - 1)}`);
    expect(fits).toBeDefined();
    expect(Buffer.byteLength(fits ?? "", "utf8")).toBe(maxCallbackDataBytes);
    expect(encodeCallbackData("o", `${"f".repeat(30)}/${"n".repeat(maxCallbackDataBytes - 4 - 30)}`)).toBeUndefined();
    // A Vietnamese letter takes 9 bytes once percent-encoded.
    expect(encodeCallbackData("ắ".repeat(11), "f/n")).toBeUndefined();
  });

  it("ignores data it did not write or cannot read", () => {
    for (const data of ["", "c", "c|", "c||main/topics", "c|1|", "x|1|main/topics", "menu:2", "c|1|a/b|extra", "c|%E0%A4%A|a/b", "c|%ZZ", `c|${"a".repeat(65)}`]) {
      expect(decodeCallbackData(data), data).toBeUndefined();
    }
  });
});
