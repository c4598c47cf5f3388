import { describe, expect, it } from "vitest";
import { containsPhrase, foldText, isSameWord, simplifyText } from "../../src/engine/text-folding.ts";

const nfc = "dừng";
const nfd = nfc.normalize("NFD");

describe("simplifyText and foldText", () => {
  it("treat NFC and NFD input alike", () => {
    expect(nfd).not.toBe(nfc);
    expect(simplifyText(nfd)).toBe(nfc);
    expect(foldText(nfd)).toBe("dung");
    expect(foldText(nfc)).toBe("dung");
  });

  it("lower-case, drop punctuation and collapse spaces", () => {
    expect(simplifyText("  DỪNG  LẠI!!! ")).toBe("dừng lại");
    expect(foldText("ĐÁNH")).toBe("danh");
  });

  it("remove zero-width characters inside a word instead of splitting it", () => {
    expect(simplifyText("d\u200Bừ\u200Dng\uFEFF")).toBe("dừng");
    expect(simplifyText("\u200B\u200C\u2060")).toBe("");
  });

  it("turn emoji into word breaks", () => {
    expect(simplifyText("🙏cứu🙏tôi😭")).toBe("cứu tôi");
    expect(simplifyText("😭😭😭")).toBe("");
  });
});

describe("isSameWord", () => {
  it("matches a keyword typed in any case, NFC or NFD, with or without diacritics", () => {
    for (const typed of ["dừng", "DỪNG", "Dừng", nfd, nfd.toUpperCase(), "dung", "DUNG", " dừng! "]) {
      expect(isSameWord(typed, "dừng"), typed).toBe(true);
    }
  });

  it("matches across zero-width characters and emoji", () => {
    expect(isSameWord("d\u200Bừng", "dừng")).toBe(true);
    expect(isSameWord("✋ dừng ✋", "dừng")).toBe(true);
  });

  it("does not match a word typed with different diacritics: 'đúng' (correct) is not 'dừng' (stop)", () => {
    expect(foldText("đúng")).toBe(foldText("dừng"));
    expect(isSameWord("đúng", "dừng")).toBe(false);
    expect(isSameWord("dung", "dừng")).toBe(true);
  });

  it("matches old and new tone placement ('xoá' is 'xóa', 'hoà' is 'hòa') but not other marks", () => {
    expect(isSameWord("xoá dữ liệu", "xóa dữ liệu")).toBe(true);
    expect(isSameWord("hoà", "hòa")).toBe(true);
    expect(isSameWord("xòa dữ liệu", "xóa dữ liệu")).toBe(false);
  });

  it("compares word by word, so a half-accented keyword still matches", () => {
    expect(isSameWord("xoa du liệu", "xóa dữ liệu")).toBe(true);
    expect(isSameWord("xoa du liều", "xóa dữ liệu")).toBe(false);
  });

  it("does not match a longer message that merely contains the keyword", () => {
    expect(isSameWord("tôi không muốn dừng học", "dừng")).toBe(false);
  });
});

describe("containsPhrase", () => {
  const phrase = "chồng tôi đánh tôi";

  it("finds a phrase inside a half-accented sentence ('chong toi đánh tôi')", () => {
    expect(containsPhrase("hôm qua chong toi đánh tôi rất đau", phrase)).toBe(true);
    expect(containsPhrase("CHONG TOI DANH TOI", phrase)).toBe(true);
    expect(containsPhrase(phrase.normalize("NFD"), phrase)).toBe(true);
  });

  it("needs the words together and whole", () => {
    expect(containsPhrase("chồng tôi không đánh tôi", phrase)).toBe(false);
    expect(containsPhrase("cứu", "cứu tôi")).toBe(false);
    expect(containsPhrase("cứuu", "cứu")).toBe(false);
  });

  it("trade-off: 'nuôi cừu' (raising sheep) is not 'cứu' (help), but unaccented 'nuoi cuu' is, since it could be either", () => {
    expect(containsPhrase("tôi nuôi cừu", "cứu")).toBe(false);
    expect(containsPhrase("toi nuoi cuu", "cứu")).toBe(true);
    expect(containsPhrase("cứu tôi với", "cứu")).toBe(true);
  });

  it("finds a phrase at the end of a 10,000-character message, and says no for one without it", () => {
    const filler = "tôi đi chợ mua rau ".repeat(600).slice(0, 9_980);
    const long = `${filler} cứu tôi`;
    expect(long.length).toBeGreaterThanOrEqual(9_980);
    expect(containsPhrase(long, "cứu tôi")).toBe(true);
    expect(containsPhrase(filler.padEnd(10_000, "a"), "cứu tôi")).toBe(false);
  });

  it("an empty phrase or message matches nothing", () => {
    expect(containsPhrase("cứu", "")).toBe(false);
    expect(containsPhrase("", "cứu")).toBe(false);
    expect(containsPhrase("\u200B", "cứu")).toBe(false);
  });
});
