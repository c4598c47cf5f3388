import { describe, expect, it } from "vitest";
import { groundingProblems, longestAnswer } from "../../src/questions/grounding-check.ts";

const sources = [
  "Người tổ chức cưới cho người chưa đủ tuổi có thể bị phạt tiền từ 1.000.000 đến 3.000.000 đồng.",
  "Con gái phải tròn 18 tuổi, con trai phải tròn 20 tuổi mới được lấy vợ, lấy chồng (Luật Hôn nhân và gia đình năm 2014).",
];
const directory = ["111", "113", "115", "1900 969 680"];

describe("groundingProblems", () => {
  it("accepts an answer that restates the sources' numbers and law, however the digits are grouped", () => {
    expect(groundingProblems("Con gái phải đủ 18 tuổi (Luật Hôn nhân và gia đình năm 2014). Có thể bị phạt 1000000 đến 3.000.000 đồng.", sources, directory)).toEqual([]);
  });

  it("accepts the help directory's phone numbers", () => {
    expect(groundingProblems("Bạn có thể gọi 111 hoặc 1900969680.", sources, directory)).toEqual([]);
  });

  it("refuses a number no source states: an age, an amount or a phone number", () => {
    expect(groundingProblems("Con gái phải đủ 16 tuổi.", sources, directory)).toEqual([{ kind: "number", value: "16" }]);
    expect(groundingProblems("Gọi 0912 345 678 để được giúp.", sources, directory)).toEqual([{ kind: "number", value: "0912 345 678" }]);
  });

  it("refuses a law, decree or article the sources do not name", () => {
    expect(groundingProblems("Theo Nghị định 82/2020, tảo hôn bị phạt.", sources, directory).map((problem) => problem.kind)).toEqual(["number", "law"]);
    expect(groundingProblems("Theo Luật Trẻ em, con gái phải đủ tuổi.", sources, directory)).toEqual([{ kind: "law", value: "Luật Trẻ" }]);
    expect(groundingProblems("Điều 8 nói vậy.", ["Điều 8 của luật nói vậy."], [])).toEqual([]);
  });

  it("does not take the law in general for a named law", () => {
    expect(groundingProblems("Theo luật, tảo hôn bị cấm.", sources, directory)).toEqual([]);
  });

  it("refuses numbers written out in words that the sources do not use", () => {
    expect(groundingProblems("Con gái phải đủ mười sáu tuổi.", sources, directory)).toEqual([{ kind: "number-word", value: "mười" }]);
    expect(groundingProblems("A girl must be eighteen.", ["A girl must be fully eighteen."], directory)).toEqual([]);
    expect(groundingProblems("A girl must be seventeen.", sources, directory)).toEqual([{ kind: "number-word", value: "seventeen" }]);
  });

  it("refuses an answer too long to read", () => {
    expect(groundingProblems("Hãy hỏi trạm y tế. ".repeat(40), sources, directory)).toEqual([{ kind: "length", value: String("Hãy hỏi trạm y tế. ".repeat(40).length) }]);
    expect("Hãy hỏi trạm y tế. ".repeat(40).length).toBeGreaterThan(longestAnswer);
  });
});
