import { describe, expect, it } from "vitest";
import type { QuestionIndex } from "../../src/questions/question-index.ts";
import { loadShippedAssets } from "../support/pipeline-harness.ts";

/** The shipped content/questions.yaml over the shipped messages. */
async function shippedIndex(): Promise<QuestionIndex> {
  const index = (await loadShippedAssets()).questionIndex;
  if (index === undefined) throw new Error("the shipped content has no questions.yaml");
  return index;
}

const answer = async (text: string, locale: string | null = "vi") => (await shippedIndex()).match(text, locale);

describe("the shipped question index", () => {
  it.each([
    ["with diacritics", "Đẻ ở nhà có được không?", "safe-birth", "safe-birth:facility"],
    ["without diacritics", "de o nha co duoc khong", "safe-birth", "safe-birth:facility"],
    ["with a typo and shorthand", "con gai may tuoi dc lay chog", "child-marriage", "common:questions.facts.marriage_age"],
    ["with Mông words", "xeeb tub thì đi khám mấy lần", "safe-birth", "safe-birth:checkups"],
    ["about the phone", "xóa tin nhắn zalo thế nào", "safety", "safety:delete_zalo"],
    ["about help", "địa chỉ tin cậy là gì", "help", "help-guide:trusted"],
  ])("answers a question %s", async (_, text, topic, key) => {
    const found = await answer(text);
    expect(found).toMatchObject({ kind: "answer", topic });
    expect(found.kind === "answer" && found.keys[0]).toBe(key);
  });

  it("sends at most three messages, all about the answer's topic", async () => {
    const found = await answer("con cô con cậu lấy nhau có được không, con sinh ra có bị bệnh không");
    expect(found.kind).toBe("answer");
    if (found.kind !== "answer") return;
    expect(found.keys.length).toBeGreaterThanOrEqual(1);
    expect(found.keys.length).toBeLessThanOrEqual(3);
    expect(found.keys.every((key) => key.startsWith("consanguinity:"))).toBe(true);
  });

  it("finds nothing good for a question about something else, and tells it from a greeting", async () => {
    expect(await answer("Con trâu nhà tôi bị ốm thì làm sao?")).toEqual({ kind: "unmatched", questionLike: true });
    expect(await answer("xin chào")).toEqual({ kind: "unmatched", questionLike: false });
  });

  it("answers in English from the English messages", async () => {
    const index = await shippedIndex();
    const found = index.match("At what age can a girl marry?", "en");
    expect(found).toMatchObject({ kind: "answer", topic: "child-marriage" });
    const keys = found.kind === "answer" ? found.keys : [];
    expect(index.texts(keys, "en")[0]?.text).toMatch(/^By law, a girl must be fully 18/);
  });

  it("gives the texts of keys in the person's locale, falling back like the renderer", async () => {
    const index = await shippedIndex();
    expect(index.texts(["safe-birth:facility"], "vi")[0]).toMatchObject({ locale: "vi", topic: "safe-birth" });
    expect(index.texts(["safe-birth:facility"], "hmn")[0]?.locale).toBe("vi");
    expect(index.texts(["safe-birth:facility"], null)[0]?.locale).toBe("vi");
    expect(index.texts(["safe-birth:quiz.question"], "vi")).toEqual([]);
  });

  it.each([
    ["Chồng tôi đang cầm dao đòi giết tôi", "violence"],
    ["Bố mẹ bắt em 15 tuổi lấy chồng", "child-marriage"],
    ["có bầu 7 tháng bị ra máu", "safe-birth"],
    ["vo toi de xong bi bang huyet", "safe-birth"],
    ["kuv txiv ntaus kuv", "violence"],
  ])("finds the danger in %j", async (text, topic) => {
    expect((await shippedIndex()).danger(text)?.topic).toBe(topic);
  });

  it.each(["Con gái 15 tuổi lấy chồng có sao không?", "Dấu hiệu nguy hiểm khi mang thai là gì?", "Bạo lực gia đình là gì?"])(
    "finds no danger in the general question %j",
    async (text) => {
      expect((await shippedIndex()).danger(text)).toBeNull();
    },
  );
});
