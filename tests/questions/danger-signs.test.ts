import { describe, expect, it } from "vitest";
import { createDangerSigns } from "../../src/questions/danger-signs.ts";
import { questionFileSchema } from "../../src/questions/question-file.ts";

const danger = createDangerSigns(
  questionFileSchema.parse({
    answers: { include: ["a:*"] },
    words: {
      shorthand: { ck: "chồng", e: "em" },
      minority: [
        { lang: "hmn", word: "ntaus", means: "đánh" },
        { lang: "hmn", word: "kuv", means: "tôi" },
        { lang: "hmn", word: "xeeb tub", means: "mang thai" },
        { lang: "hmn", word: "los ntshav", means: "ra máu" },
      ],
    },
    markedOnly: ["đấm"],
    danger: [
      { id: "violence-now", topic: "violence", all: [["đánh", "đấm"], ["tôi", "em", "đang"]] },
      { id: "married-off", topic: "child-marriage", all: [["cưới", "gả"], ["sắp", "tuần sau"], ["<under-18>", "học sinh"]] },
      { id: "birth-danger", topic: "safe-birth", all: [["mang thai", "có bầu"], ["ra máu", "chảy máu", "băng huyết"]] },
    ],
  }),
);

describe("danger signs", () => {
  it("needs a phrase of every group, in any order", () => {
    expect(danger("chồng đang đánh")).toEqual({ topic: "violence", sign: "violence-now" });
    expect(danger("ra máu nhiều khi mang thai")).toEqual({ topic: "safe-birth", sign: "birth-danger" });
    expect(danger("đánh vợ có bị phạt không")).toBeNull();
    expect(danger("mang thai nên ăn gì")).toBeNull();
  });

  it("matches text typed without diacritics, shorthand and minority words", () => {
    expect(danger("ck danh e")?.sign).toBe("violence-now");
    expect(danger("kuv txiv ntaus kuv")?.sign).toBe("violence-now");
    expect(danger("xeeb tub los ntshav ntau")?.sign).toBe("birth-danger");
  });

  it("forgives one typo in a word of five letters or more, never in a short one", () => {
    expect(danger("mang thai bị băng huyếtt")?.sign).toBe("birth-danger");
    expect(danger("mang thai bi chay mauu")).toBeNull();
  });

  it("respects the marks of a word typed with them: 'gà' is not 'gả'", () => {
    expect(danger("sắp gả con gái 15 tuổi")?.sign).toBe("married-off");
    expect(danger("sắp bán gà cho con gái 15 tuổi")).toBeNull();
  });

  it("counts a marked-only word only when typed with its marks", () => {
    expect(danger("nó vừa đấm em")?.sign).toBe("violence-now");
    expect(danger("dam cuoi cua em")).toBeNull();
  });

  it("reads an age under 18 written in digits or words", () => {
    expect(danger("tuần sau cưới con gái 15t")?.sign).toBe("married-off");
    expect(danger("tuần sau cưới con gái mười lăm tuổi")?.sign).toBe("married-off");
    expect(danger("tuần sau cưới con gái 19 tuổi")).toBeNull();
    expect(danger("sắp cưới cho cháu đang là học sinh")?.sign).toBe("married-off");
  });
});
