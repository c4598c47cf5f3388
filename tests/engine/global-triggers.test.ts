import { describe, expect, it } from "vitest";
import type { TriggerKeywords } from "../../src/engine/flow-definition.ts";
import { matchesAnswer, matchTrigger, triggerOrder } from "../../src/engine/global-triggers.ts";
import { testKeywords } from "./engine-fixture.ts";

describe("matchTrigger", () => {
  it("checks triggers in the order emergency > stop > deletion > language > home > help", () => {
    expect(triggerOrder).toEqual(["emergency", "stop", "deletion", "language", "home", "help"]);
    // "chung" is a keyword of every trigger from position i on: the earliest of them must win.
    for (const [index, expected] of triggerOrder.entries()) {
      const keywords: TriggerKeywords = { ...testKeywords };
      for (const later of triggerOrder.slice(index)) keywords[later] = [...testKeywords[later], "chung"];
      expect(matchTrigger("chung", keywords)).toBe(expected);
    }
  });

  it("finds each trigger in Vietnamese and English, regardless of case and diacritics", () => {
    const cases: Array<[string, string]> = [
      ["Cứu tôi với", "emergency"],
      ["HELP ME please", "emergency"],
      ["DUNG", "stop"],
      ["Stop", "stop"],
      ["XÓA DỮ LIỆU".normalize("NFD"), "deletion"],
      ["xoa du lieu", "deletion"],
      ["Delete my data!", "deletion"],
      ["ngon ngu", "language"],
      ["LANGUAGE", "language"],
      ["Trang chủ", "home"],
      ["menu", "home"],
      ["tro giup", "help"],
      ["Help", "help"],
    ];
    for (const [typed, trigger] of cases) expect(matchTrigger(typed, testKeywords), typed).toBe(trigger);
  });

  it("finds an emergency phrase anywhere in a sentence, but other keywords only as the whole message", () => {
    expect(matchTrigger("em ơi chồng tôi đánh tôi, phải làm sao", testKeywords)).toBe("emergency");
    expect(matchTrigger("tôi không muốn dừng học", testKeywords)).toBeNull();
    expect(matchTrigger("dừng", testKeywords)).toBe("stop");
    expect(matchTrigger("please help", testKeywords)).toBeNull();
  });

  it("needs a one-word emergency keyword to be the whole message ('nghiên cứu' is research, not help)", () => {
    expect(matchTrigger("Cứu!!!", testKeywords)).toBe("emergency");
    expect(matchTrigger("cuu", testKeywords)).toBe("emergency");
    expect(matchTrigger("tôi làm nghiên cứu", testKeywords)).toBeNull();
    expect(matchTrigger("toi nuoi cuu", testKeywords)).toBeNull();
    expect(matchTrigger("làm ơn cứu tôi", testKeywords)).toBe("emergency");
  });

  it("a message matching two triggers picks the earlier: emergency inside a stop-like message", () => {
    expect(matchTrigger("dừng cứu tôi", testKeywords)).toBe("emergency");
    expect(matchTrigger("help me", testKeywords)).toBe("emergency");
  });

  it("ignores keywords in messages longer than 60 characters, but still finds emergencies there", () => {
    const padded = `${" ".repeat(60)}dừng`;
    expect(matchTrigger(padded.trim(), testKeywords)).toBe("stop");
    expect(matchTrigger(padded, testKeywords)).toBeNull();
    expect(matchTrigger(`${" ".repeat(60)}cứu tôi`, testKeywords)).toBe("emergency");
  });

  it("matches nothing in empty, emoji-only and zero-width-only messages", () => {
    for (const typed of ["", "   ", "😀🙏", "\u200B\u200D\uFEFF"]) expect(matchTrigger(typed, testKeywords)).toBeNull();
  });
});

describe("matchesAnswer", () => {
  it("recognises yes words in either locale, not a sentence that contains one", () => {
    expect(matchesAnswer("Có", testKeywords, "yes")).toBe(true);
    expect(matchesAnswer("co", testKeywords, "yes")).toBe(true);
    expect(matchesAnswer("YES", testKeywords, "yes")).toBe(true);
    expect(matchesAnswer("có lẽ không", testKeywords, "yes")).toBe(false);
    expect(matchesAnswer("cô", testKeywords, "yes")).toBe(false);
    expect(matchesAnswer(`${" ".repeat(60)}có`, testKeywords, "yes")).toBe(false);
  });
});
