import { describe, expect, it } from "vitest";
import { createLexicalIndex, type IndexedMessage } from "../../src/questions/lexical-index.ts";
import { questionFileSchema } from "../../src/questions/question-file.ts";
import { createQuestionWords } from "../../src/questions/question-words.ts";

const words = createQuestionWords(
  questionFileSchema.parse({
    answers: { include: ["a:*"] },
    words: { ignore: ["có", "không", "được", "là", "gì", "khi", "nên"], same: [["mang thai", "có bầu"]] },
  }).words,
);

const messages: IndexedMessage[] = [
  { key: "a:checkups", topic: "safe-birth", text: "Khi mang thai, hãy đi khám thai ít nhất 4 lần." },
  { key: "a:care", topic: "safe-birth", text: "Khi mang thai, ăn nhiều hơn, ăn đủ các loại thức ăn.", phrasings: ["nên ăn gì"] },
  { key: "a:marriage", topic: "child-marriage", text: "Tảo hôn là lấy vợ, lấy chồng khi chưa đủ tuổi kết hôn." },
  { key: "a:family", topic: "violence", text: "Bạo lực gia đình là khi một người trong gia đình làm hại người khác." },
  { key: "a:price", topic: "safe-birth", text: "Giá một viên sắt rất rẻ." },
];
const index = createLexicalIndex(messages, words);
const best = (question: string) => index.search(question)[0];

describe("lexical index", () => {
  it("ranks the message that shares the rarest words first", () => {
    expect(best("khám thai mấy lần")?.key).toBe("a:checkups");
    expect(best("tảo hôn là gì")?.key).toBe("a:marriage");
  });

  it("matches with and without diacritics, and through same-meaning words", () => {
    expect(best("kham thai may lan")?.key).toBe("a:checkups");
    expect(best("có bầu nên ăn gì")?.key).toBe("a:care");
  });

  it("matches a message's phrasings as if they were its text", () => {
    expect(best("nen an gi")?.key).toBe("a:care");
  });

  it("repairs a typo into a known word that pairs with its neighbour, and splits two words typed as one", () => {
    expect(index.repair("mag thai").map((word) => word.folded)).toEqual(["mang", "thai"]);
    expect(index.repair("tảohôn").map((word) => word.folded)).toEqual(["tao", "hon"]);
    expect(best("khám thia mấy lần")?.key).toBe("a:checkups");
  });

  it("leaves a short unknown word alone when no neighbour supports a repair", () => {
    expect(index.repair("trời đẹp").map((word) => word.folded)).toEqual(["troi", "dep"]);
  });

  it("counts a word typed with diacritics as itself ('giá' is not 'gia'), one typed without as any form", () => {
    expect(index.search("giá").map((result) => result.key)).toEqual(["a:price"]);
    expect(index.search("gia").map((result) => result.key).sort()).toEqual(["a:family", "a:price"]);
  });

  it("reads a word whose marks no message has as typed without them (a slipped mark)", () => {
    expect(best("khám thải mấy lần")?.key).toBe("a:checkups");
  });

  it("measures how much of the question a message covers, so one shared word is not a match", () => {
    const covered = best("khám thai mấy lần");
    const partial = index.search("giá phân bón gia đình nhà bên").find((result) => result.key === "a:family");
    expect(covered?.coverage).toBe(1);
    expect(partial?.coverage).toBeLessThan(0.5);
  });

  it("finds nothing for a question with no word in common", () => {
    expect(index.search("xe máy hỏng sửa ở đâu")).toEqual([]);
  });
});
