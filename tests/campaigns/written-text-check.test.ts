import { describe, expect, it } from "vitest";
import { describeWrittenTextProblem, dialledNumber, writtenTextProblems } from "../../src/campaigns/written-text-check.ts";

const known = { locales: ["vi", "en", "hmn"], helpNumbers: ["111", "113", "115", "1900 969 680", "0212 3845 123"] };
const check = (texts: Record<string, string> & { vi: string }) => writtenTextProblems({ texts }, known);

describe("the check of a campaign's written text", () => {
  it("accepts numbers of the help directory however they are grouped, and dates", () => {
    expect(check({ vi: "Gọi 111 hoặc 113. Ngôi nhà Bình yên: 1900969680. Trạm y tế: 0212.3845.123, +84 212 3845 123." })).toEqual([]);
    expect(check({ vi: "Ngày 28/6 và 1/7/2026 có buổi nói chuyện lúc 8:30 cho 25 người." })).toEqual([]);
  });

  it("refuses every other run of three or more digits, in each language, as written", () => {
    expect(check({ vi: "Gọi 0912 345 678 hoặc 114", en: "Call 0912-345-678", hmn: "Hu 111" })).toEqual([
      { locale: "vi", kind: "number", found: "0912 345 678" },
      { locale: "vi", kind: "number", found: "114" },
      { locale: "en", kind: "number", found: "0912-345-678" },
    ]);
    expect(check({ vi: "Năm 2026" })).toEqual([{ locale: "vi", kind: "number", found: "2026" }]);
  });

  it("reads digits written in another form as the digits they are", () => {
    expect(check({ vi: "Gọi １１３" })).toEqual([]);
    expect(check({ vi: "Gọi ０９１２３４５６７８" })).toEqual([{ locale: "vi", kind: "number", found: "0912345678" }]);
  });

  it("refuses links, with or without a scheme", () => {
    expect(check({ vi: "Xem https://example.org/a, www.loa.vn, t.me/loa_bot và zalo.me/123" }).map((problem) => [problem.kind, problem.found])).toEqual([
      ["link", "https://example.org/a,"],
      ["link", "www.loa.vn,"],
      ["link", "t.me/loa_bot"],
      ["link", "zalo.me/123"],
    ]);
    expect(check({ vi: "TP.HCM, v.v." })).toEqual([]);
  });

  it("refuses a language the locale registry does not have", () => {
    expect(check({ vi: "Chào", fr: "Bonjour" })).toEqual([{ locale: "fr", kind: "locale", found: "fr" }]);
  });

  it("says each problem in plain English, naming the language's text", () => {
    expect(describeWrittenTextProblem({ locale: "en", kind: "number", found: "114" })).toBe(`texts.en: "114" is not a number in the help directory of the campaign's communes`);
    expect(describeWrittenTextProblem({ locale: "vi", kind: "link", found: "t.me/x" })).toContain("no links");
  });

  it("dials numbers by their digits, with +84 as the leading 0", () => {
    expect(dialledNumber("+84 212 3845 123")).toBe("02123845123");
    expect(dialledNumber("1900 969 680")).toBe("1900969680");
  });
});
