import { describe, expect, it } from "vitest";
import { campaignContentSchema, writtenTextMaxLength } from "../../src/campaigns/campaign-spec.ts";

describe("campaign content", () => {
  it("is content keys from the library, or text written per locale with Vietnamese required", () => {
    expect(campaignContentSchema.parse({ keys: ["violence:intro"] })).toEqual({ keys: ["violence:intro"] });
    expect(campaignContentSchema.parse({ texts: { vi: "Ngày Gia đình Việt Nam 28/6", en: "Vietnamese Family Day" }, topic: "violence" })).toEqual({
      texts: { vi: "Ngày Gia đình Việt Nam 28/6", en: "Vietnamese Family Day" },
      topic: "violence",
    });
    expect(campaignContentSchema.safeParse({ texts: { en: "Only English" } }).error?.issues.map((issue) => issue.message)).toEqual([
      "content is either { keys: [content keys] } or { texts: { vi: text, <other locale>: text }, topic? }, with the Vietnamese text required",
    ]);
    expect(campaignContentSchema.safeParse({ keys: ["violence:intro"], texts: { vi: "Cả hai" } }).success).toBe(false);
    expect(campaignContentSchema.safeParse({ texts: { vi: "Chủ đề lạ" }, topic: "weather" }).success).toBe(false);
  });

  it("trims each text and stores it in NFC, so the same words typed two ways are one text", () => {
    const decomposed = "  Tha\u0301ng ha\u0300nh đô\u0323ng  ";
    const parsed = campaignContentSchema.parse({ texts: { vi: decomposed } });
    expect(parsed).toEqual({ texts: { vi: "Tháng hành động" } });
    expect("texts" in parsed && parsed.texts.vi.length).toBe("Tháng hành động".length);
  });

  it("takes 1 to 400 characters after trimming, and locale codes of 2 or 3 lower-case letters", () => {
    const paths = (texts: Record<string, string>) => campaignContentSchema.safeParse({ texts }).error?.issues.map((issue) => issue.path.join(".")) ?? [];
    expect(paths({ vi: "   " })).toEqual(["texts.vi"]);
    expect(paths({ vi: "a".repeat(writtenTextMaxLength) })).toEqual([]);
    expect(paths({ vi: ` ${"a".repeat(writtenTextMaxLength)} ` })).toEqual([]);
    expect(paths({ vi: "a".repeat(writtenTextMaxLength + 1) })).toEqual(["texts.vi"]);
    expect(paths({ vi: "Chào", en: "" })).toEqual(["texts.en"]);
    expect(paths({ vi: "Chào", English: "Hello" })).toEqual(["texts.English"]);
  });
});
