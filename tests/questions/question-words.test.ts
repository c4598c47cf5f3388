import { describe, expect, it } from "vitest";
import { questionFileSchema } from "../../src/questions/question-file.ts";
import { createQuestionWords } from "../../src/questions/question-words.ts";

const words = createQuestionWords(
  questionFileSchema.parse({
    answers: { include: ["violence:*"] },
    words: {
      ignore: ["có", "không", "được", "ở"],
      questionWords: ["không", "bao nhiêu"],
      shorthand: { ko: "không", ck: "chồng" },
      same: [
        ["sinh", "đẻ"],
        ["mang thai", "có bầu"],
        ["chửi", "chửi mắng"],
      ],
      minority: [{ lang: "hmn", word: "ntaus", means: "đánh" }],
    },
  }).words,
);

/** The folded words of a text after shorthand, minority words and same-meaning words. */
const unified = (text: string) => words.unify(words.split(text)).map((word) => word.folded);

describe("question words", () => {
  it("folds case and diacritics the engine's way and writes shorthand out", () => {
    expect(unified("CK đánh tôi ko")).toEqual(["chong", "danh", "toi", "khong"]);
  });

  it("reads words that mean the same as one, longest phrase first", () => {
    expect(unified("Đẻ ở nhà")).toEqual(["sinh", "o", "nha"]);
    expect(unified("có bầu nên ăn gì")).toEqual(["mang", "thai", "nen", "an", "gi"]);
  });

  it("puts minority words into Vietnamese", () => {
    expect(unified("txiv ntaus kuv")).toEqual(["txiv", "danh", "kuv"]);
  });

  it("compares the marks of a word typed with them, and only the folded letters of one typed without", () => {
    // "để" is not "đẻ" when typed with its marks; "de" may be either.
    expect(unified("để ở nhà")).toEqual(["de", "o", "nha"]);
    expect(unified("de o nha")).toEqual(["sinh", "o", "nha"]);
    expect(unified("đẻ ở nha")).toEqual(["sinh", "o", "nha"]);
    expect(unified("chửi mắng")).toEqual(["chui"]);
  });

  it("counts meaningful words and neighbouring pairs; a message gives accented words in both forms", () => {
    expect(words.terms(words.split("Gọi được không"), "question")).toEqual(["goi~̣0", "goi_duoc"]);
    expect(words.terms(words.split("Gọi được không"), "message")).toEqual(["goi", "goi~̣0", "goi_duoc"]);
    expect(words.terms(words.split("goi duoc khong"), "question")).toEqual(["goi", "goi_duoc"]);
  });

  it("tells a question from a mistyped answer", () => {
    expect(words.readsAsQuestion("đẻ ở nhà được không")).toBe(true);
    expect(words.readsAsQuestion("giá lúa bao nhieu")).toBe(true);
    expect(words.readsAsQuestion("đẻ ở nhà?")).toBe(true);
    expect(words.readsAsQuestion("hôm nay trời đẹp")).toBe(false);
    expect(words.readsAsQuestion("chồng tôi uống rượu rồi về nhà mắng chửi")).toBe(true);
  });

  it("knows the file's own words and pairs, so typo repair never turns them into others", () => {
    expect(words.knownWords.has("ntaus")).toBe(true);
    expect(words.knownPairs.has("mang thai")).toBe(true);
  });
});
