import { describe, expect, it } from "vitest";
import { consoleText } from "../../src/console/console-locale.ts";
import { figureText, formatPercent, isHidden } from "../../src/console/stats-figures.ts";

describe("statistics figures", () => {
  it("writes shares the Vietnamese way, with a comma and a non-breaking space before %", () => {
    expect(formatPercent("vi", 0.805)).toBe("80,5\u00a0%");
    expect(formatPercent("vi", 0.8)).toBe("80\u00a0%");
    expect(formatPercent("vi", 1 / 3)).toBe("33,3\u00a0%");
    expect(formatPercent("en", 0.805)).toBe("80.5%");
    expect(formatPercent("vi", null)).toBe("–");
  });

  it("writes counts with thousands separators and hidden figures as <5 and ẩn, never their value", () => {
    const vi = consoleText("vi").stats;
    expect(figureText("vi", vi, { kind: "count", value: 12_345 })).toBe("12.345");
    expect(figureText("en", consoleText("en").stats, { kind: "count", value: 12_345 })).toBe("12,345");
    expect(figureText("vi", vi, { kind: "small", below: 5 })).toBe("<5");
    expect(figureText("vi", vi, { kind: "small", below: 10 })).toBe("<10");
    expect(figureText("vi", vi, { kind: "withheld" })).toBe("ẩn");
    expect(figureText("vi", vi, { kind: "text", value: "chưa nhập chỉ tiêu" })).toBe("chưa nhập chỉ tiêu");
    expect([isHidden({ kind: "small", below: 5 }), isHidden({ kind: "withheld" }), isHidden({ kind: "count", value: 3 })]).toEqual([true, true, false]);
  });
});
