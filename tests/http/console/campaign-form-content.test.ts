import { describe, expect, it } from "vitest";
import { consoleText } from "../../../src/console/console-locale.ts";
import type { CampaignFormField, CampaignFormValues } from "../../../src/console/view-models.ts";
import { formContent, textErrors } from "../../../src/http/console/campaign-form-content.ts";

const words = consoleText("vi").campaigns;
const values = (texts: Record<string, string>, topic = ""): CampaignFormValues => ({
  province: "14",
  name: "Thử",
  template: "",
  keys: [],
  texts,
  topic,
  communes: ["14-mau-04"],
  languages: [],
  channels: [],
  quietStart: "21:00",
  quietEnd: "07:00",
});

describe("the content of the new-campaign form", () => {
  it("is the library keys when no text was typed, and the typed texts otherwise, trimmed and in NFC", () => {
    const errors: Partial<Record<CampaignFormField, string>> = {};
    expect(formContent(values({ vi: "  ", en: "" }), ["violence:intro"], words, errors)).toEqual({ content: { keys: ["violence:intro"] }, writing: false });
    expect(formContent(values({ vi: " Nga\u0300y Gia đi\u0300nh ", en: "" }, "violence"), [], words, errors)).toEqual({
      content: { texts: { vi: "Ngày Gia đình" }, topic: "violence" },
      writing: true,
    });
    expect(errors).toEqual({});
  });

  it("puts each problem at its language's box: no Vietnamese, too long, or a topic not in the list", () => {
    const errors: Partial<Record<CampaignFormField, string>> = {};
    expect(formContent(values({ vi: "", en: "a".repeat(401) }, "weather"), [], words, errors).writing).toBe(true);
    expect(errors).toEqual({ "text-vi": words.textViMissing, "text-en": words.textTooLong.replace("{max}", "400"), topic: words.topicInvalid });
  });

  it("says every refused number or link of a language in one message at its box", () => {
    expect(
      textErrors(words, [
        { locale: "vi", kind: "number", found: "114" },
        { locale: "vi", kind: "link", found: "t.me/x" },
        { locale: "en", kind: "locale", found: "en" },
      ]),
    ).toEqual({ "text-vi": `${words.textNumber.replace("{found}", "114")} ${words.textLink.replace("{found}", "t.me/x")}`, "text-en": words.textLocale });
  });
});
