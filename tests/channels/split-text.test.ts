import { describe, expect, it } from "vitest";
import { splitText } from "../../src/channels/split-text.ts";

describe("splitText", () => {
  it("keeps short text whole and NFC-normalises it", () => {
    expect(splitText("Xin chào".normalize("NFD"), 100)).toEqual(["Xin chào".normalize("NFC")]);
  });

  it("splits at sentence boundaries within the limit", () => {
    const text = "Câu một rất ngắn. Câu hai cũng ngắn thôi. Câu ba dài hơn một chút nữa.";
    const parts = splitText(text, 45);
    expect(parts.every((part) => part.length <= 45)).toBe(true);
    expect(parts[0]).toBe("Câu một rất ngắn. Câu hai cũng ngắn thôi.");
    expect(parts.join(" ")).toBe(text);
  });

  it("prefers paragraph breaks, then words, and cuts a word only when it is longer than the limit", () => {
    expect(splitText("aaaa bbbb\n\ncccc dddd", 15)).toEqual(["aaaa bbbb", "cccc dddd"]);
    expect(splitText("aaaa bbbb cccc", 10)).toEqual(["aaaa bbbb", "cccc"]);
    expect(splitText("x".repeat(25), 10)).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
  });

  it("never splits an emoji's surrogate pair", () => {
    const parts = splitText(`${"a".repeat(9)}😀b`, 10);
    expect(parts[0]).toBe("a".repeat(9));
    expect(parts[1]).toBe("😀b");
  });

  it("splits a 10,000-character message into parts that add up to it", () => {
    const text = "Một câu tiếng Việt có dấu. ".repeat(400).trim();
    const parts = splitText(text, 2000);
    expect(parts.every((part) => part.length <= 2000)).toBe(true);
    expect(parts.join(" ")).toBe(text);
  });
});
