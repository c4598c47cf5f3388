import { describe, expect, it } from "vitest";
import { textWithNumberedMenu } from "../../src/channels/numbered-menu.ts";

const options = (labels: string[]) => labels.map((label) => ({ label }));

describe("textWithNumberedMenu", () => {
  it("puts '1. label' lines after the text, numbered as the engine reads them", () => {
    expect(textWithNumberedMenu("Bạn muốn biết gì?", options(["Tảo hôn", "Sinh con an toàn"]), 100)).toEqual([
      "Bạn muốn biết gì?\n\n1. Tảo hôn\n2. Sinh con an toàn",
    ]);
  });

  it("gives the menu parts of its own when it does not fit, never cutting a line", () => {
    const labels = Array.from({ length: 12 }, (_, index) => `Lựa chọn số ${index + 1}`);
    const parts = textWithNumberedMenu("x".repeat(90), options(labels), 100);
    expect(parts.every((part) => part.length <= 100)).toBe(true);
    const lines = parts.slice(1).join("\n").split("\n");
    expect(lines).toEqual(labels.map((label, index) => `${index + 1}. ${label}`));
  });

  it("returns the text parts alone when there is no menu", () => {
    expect(textWithNumberedMenu("Cảm ơn bạn.", [], 100)).toEqual(["Cảm ơn bạn."]);
  });
});
