import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileIndicators, indicatorsFile, loadIndicators, type IndicatorEvent } from "../../src/stats/indicators.ts";

const contentDir = fileURLToPath(new URL("../../content/", import.meta.url));

const event = (values: Partial<IndicatorEvent>): IndicatorEvent => ({ kind: "content_delivered", topic: null, channel: "telegram", locale: "vi", groups: {}, ...values });

describe("the indicators file", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "loa-indicators-"));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });
  const write = async (name: string, text: string) => {
    const file = join(folder, name);
    await writeFile(file, text);
    return file;
  };

  it("ships the seed plans' indicators Loa can serve, each with its unit, target and the plan's own words", async () => {
    const indicators = await loadIndicators(indicatorsFile(contentDir));
    expect(indicators.map(({ id, unit, target, denominator }) => ({ id, unit, target, hasDenominator: denominator !== null }))).toEqual([
      { id: "safe-birth-reach", unit: "người", target: 80, hasDenominator: true },
      { id: "gender-equality-households", unit: "hộ", target: 80, hasDenominator: true },
      { id: "child-marriage-consanguinity-reach", unit: "người", target: null, hasDenominator: false },
      { id: "trusted-address-referrals", unit: "lượt", target: null, hasDenominator: false },
    ]);
    const byId = new Map(indicators.map((indicator) => [indicator.id, indicator]));
    expect(byId.get("safe-birth-reach")?.sources.map((source) => source.quote)).toContain(
      "80% phụ nữ thuộc nhóm dân tộc có tỷ lệ sinh con tại nhà cao được tuyên truyền, vận động, tư vấn kiến thức và tiếp cận dịch vụ sinh đẻ an toàn.",
    );
    expect(byId.get("gender-equality-households")?.sources[0]?.quote).toMatch(/^Phấn đấu 80% số hộ gia đình/);
    // The household figure is a proxy, and the description says so in both languages.
    expect(byId.get("gender-equality-households")?.description.vi).toContain("Loa đếm người, không đếm hộ");
    expect(byId.get("gender-equality-households")?.description.en).toContain("Loa counts people, not households");
  });

  it("compiles each indicator into a predicate over an event's kind, topic, channel and groups", async () => {
    const compiled = compileIndicators(await loadIndicators(indicatorsFile(contentDir)));
    const matching = (values: Partial<IndicatorEvent>) => compiled.filter((indicator) => indicator.matches(event(values))).map((indicator) => indicator.id);
    expect(matching({ topic: "safe-birth" })).toEqual(["safe-birth-reach"]);
    expect(matching({ kind: "campaign_delivered", topic: "child-marriage" })).toEqual(["gender-equality-households", "child-marriage-consanguinity-reach"]);
    expect(matching({ kind: "quiz_answered", topic: "violence" })).toEqual(["gender-equality-households"]);
    expect(matching({ kind: "help_shown" })).toEqual(["trusted-address-referrals"]);
    expect(matching({ kind: "opted_out", topic: "safe-birth" })).toEqual([]);
    expect(matching({ kind: "content_delivered", topic: null })).toEqual([]);
  });

  it("counts only people who declared a listed group, and only on listed channels", async () => {
    const file = await write(
      "groups.yaml",
      `indicators:
  pregnant-on-zalo:
    name: { vi: Phụ nữ mang thai, en: Pregnant women }
    description: { vi: Mô tả, en: Description }
    numerator: { kinds: [content_delivered], topics: [safe-birth], groups: { pregnant: "yes", age: [15-17, 18-24] }, channels: [zalo-bot, zalo-oa] }
    unit: người
    sources: [{ plan: Kế hoạch của tỉnh, quote: "trích dẫn" }]
`,
    );
    const [indicator] = compileIndicators(await loadIndicators(file));
    const safeBirth = { topic: "safe-birth", channel: "zalo-oa" };
    expect(indicator?.matches(event({ ...safeBirth, groups: { pregnant: "yes", age: "18-24" } }))).toBe(true);
    expect(indicator?.matches(event({ ...safeBirth, groups: { pregnant: "no", age: "18-24" } }))).toBe(false);
    expect(indicator?.matches(event({ ...safeBirth, groups: { pregnant: "yes" } }))).toBe(false);
    expect(indicator?.matches(event({ ...safeBirth, groups: { pregnant: "yes", age: "25-34" } }))).toBe(false);
    expect(indicator?.matches(event({ ...safeBirth, channel: "telegram", groups: { pregnant: "yes", age: "15-17" } }))).toBe(false);
  });

  it("names the file, the indicator and the field when an entry is wrong", async () => {
    const entry = (numerator: string, extra = "") =>
      `indicators:\n  mine:\n    name: { vi: Tên, en: Name }\n    description: { vi: Mô tả, en: Description }\n    numerator: ${numerator}\n    unit: người\n${extra}    sources: [{ plan: Kế hoạch, quote: "trích dẫn" }]\n`;
    const unknownKind = await write("kind.yaml", entry("{ kinds: [content_read] }"));
    await expect(loadIndicators(unknownKind)).rejects.toThrow(/kind\.yaml: indicators\.mine\.numerator\.kinds\.0: /);
    const unknownTopic = await write("topic.yaml", entry("{ kinds: [content_delivered], topics: [gender] }"));
    await expect(loadIndicators(unknownTopic)).rejects.toThrow(/topic\.yaml: indicators\.mine\.numerator\.topics\.0: /);
    const targetAlone = await write("target.yaml", entry("{ kinds: [content_delivered] }", "    target: 80\n"));
    await expect(loadIndicators(targetAlone)).rejects.toThrow(/target\.yaml: indicators\.mine\.target: a target percentage needs a denominator/);
    const badUnit = await write("unit.yaml", entry("{ kinds: [content_delivered] }").replace("unit: người", "unit: cuộc"));
    await expect(loadIndicators(badUnit)).rejects.toThrow(/unit\.yaml: indicators\.mine\.unit: /);
    const badId = await write("id.yaml", entry("{ kinds: [content_delivered] }").replace("  mine:", "  Mine Two:"));
    await expect(loadIndicators(badId)).rejects.toThrow(/id\.yaml: indicators\.Mine Two: an id uses lower-case letters/);
    const unsourced = await write("source.yaml", entry("{ kinds: [content_delivered] }").replace('    sources: [{ plan: Kế hoạch, quote: "trích dẫn" }]\n', "    sources: []\n"));
    await expect(loadIndicators(unsourced)).rejects.toThrow(/source\.yaml: indicators\.mine\.sources: /);
  });

  it("takes a province's own indicator added to a copy of the shipped file, with no code", async () => {
    const shipped = await readFile(indicatorsFile(contentDir), "utf8");
    const file = await write(
      "province.yaml",
      `${shipped}
  pregnant-women-safe-birth:
    name:
      vi: Phụ nữ mang thai được tuyên truyền về sinh đẻ an toàn
      en: Pregnant women reached on safe childbirth
    description:
      vi: Người tự cho biết đang mang thai và đã nhận nội dung về sinh đẻ an toàn.
      en: People who said they are pregnant and received safe-childbirth content.
    numerator:
      kinds: [content_delivered, campaign_delivered]
      topics: [safe-birth]
      groups: { pregnant: "yes" }
    unit: người
    denominator: { vi: Số phụ nữ mang thai, en: Pregnant women }
    target: 90
    sources:
      - plan: Kế hoạch của tỉnh
        quote: "90% phụ nữ mang thai được tuyên truyền về sinh đẻ an toàn."
`,
    );
    const indicators = await loadIndicators(file);
    expect(indicators.map((indicator) => indicator.id)).toEqual([
      "safe-birth-reach",
      "gender-equality-households",
      "child-marriage-consanguinity-reach",
      "trusted-address-referrals",
      "pregnant-women-safe-birth",
    ]);
    const own = compileIndicators(indicators).find((indicator) => indicator.id === "pregnant-women-safe-birth");
    expect(own?.matches(event({ topic: "safe-birth", groups: { pregnant: "yes" } }))).toBe(true);
    expect(own?.matches(event({ topic: "safe-birth" }))).toBe(false);
  });
});
