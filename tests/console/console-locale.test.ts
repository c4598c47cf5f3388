import { describe, expect, it } from "vitest";
import { ConsoleTextError, consoleLocales, consoleText, fillText, formatCount, formatShare, parseConsoleLocale } from "../../src/console/console-locale.ts";
import { en } from "../../src/console/console-text/en.ts";
import { vi } from "../../src/console/console-text/vi.ts";

/** Every text of a locale by its dotted key. */
function flatten(value: object, prefix = ""): Map<string, string> {
  const texts = new Map<string, string>();
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (typeof inner === "string") texts.set(path, inner);
    else if (typeof inner === "object" && inner !== null) for (const [innerKey, text] of flatten(inner, path)) texts.set(innerKey, text);
    else throw new Error(`${path} is neither text nor a group of texts`);
  }
  return texts;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{([a-zA-Z]+)\}/g)].map((match) => match[1] ?? "").sort();
}

describe("console texts", () => {
  const viTexts = flatten(vi);
  const enTexts = flatten(en);

  it("have the same keys in Vietnamese and English", () => {
    expect([...enTexts.keys()].sort()).toEqual([...viTexts.keys()].sort());
    expect(viTexts.size).toBeGreaterThan(100);
  });

  it("have the same placeholders in both languages, and no empty text", () => {
    for (const [key, text] of viTexts) {
      expect(placeholders(enTexts.get(key) ?? ""), key).toEqual(placeholders(text));
      expect(text.trim(), key).not.toBe("");
      expect((enTexts.get(key) ?? "").trim(), key).not.toBe("");
    }
  });

  it("are Vietnamese by default and for unknown choices, English only when asked", () => {
    expect(consoleLocales[0]).toBe("vi");
    expect(parseConsoleLocale(undefined)).toBe("vi");
    expect(parseConsoleLocale("fr")).toBe("vi");
    expect(parseConsoleLocale(["en"])).toBe("vi");
    expect(parseConsoleLocale("en")).toBe("en");
    expect(consoleText("en")).toBe(en);
    expect(consoleText("vi")).toBe(vi);
  });
});

describe("fillText", () => {
  it("replaces every placeholder with its value", () => {
    expect(fillText("Thử lại sau {minutes} phút, {minutes}!", { minutes: 15 })).toBe("Thử lại sau 15 phút, 15!");
  });

  it("refuses a text whose placeholder has no value", () => {
    expect(() => fillText("Tệp: {file}", { name: "x" })).toThrow(ConsoleTextError);
  });
});

describe("numbers", () => {
  it("are grouped as each language writes them", () => {
    expect(formatCount("vi", 3321)).toBe("3.321");
    expect(formatCount("en", 3321)).toBe("3,321");
  });

  it("show a share with its percentage, and a dash when there is no whole", () => {
    expect(formatShare("en", 120, 412)).toBe("120/412 (29%)");
    expect(formatShare("vi", 0, 0)).toBe("0/0 (–)");
  });
});
