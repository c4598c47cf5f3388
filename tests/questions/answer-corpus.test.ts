import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContentCatalog } from "../../src/content/content-catalog.ts";
import { ContentError } from "../../src/content/content-error.ts";
import { loadLocaleRegistry } from "../../src/content/locale-registry.ts";
import { createReviewLedger, hashText, type LedgerRecord } from "../../src/content/review-ledger.ts";
import { answerKeys, approvedMessages, type ApprovedContent } from "../../src/questions/answer-corpus.ts";
import { questionFileSchema } from "../../src/questions/question-file.ts";

/** A small content folder: Vietnamese, English, and a Mông draft with one reviewed and one machine-made text. */
const texts = {
  vi: { common: { hello: "Xin chào" }, violence: { a: "Bạn không có lỗi.", b: "Báo cho công an xã.", quiz: { q: "Có phải không?" }, named: "Chào {{name}}" } },
  en: { common: { hello: "Hello" }, violence: { a: "It is not your fault.", b: "Tell the commune police.", quiz: { q: "Is it?" }, named: "Hi {{name}}" } },
  hmn: { violence: { a: "Hmong text a, reviewed", b: "Hmong text b, machine draft" } },
};

let dir: string;
let content: ApprovedContent;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "loa-answer-corpus-"));
  await writeFile(
    join(dir, "locales.yaml"),
    [
      'coreKeys: ["common:*"]',
      "locales:",
      "  - { code: vi, iso639_3: vie, name: Tiếng Việt, nameVi: Tiếng Việt, script: Latin, status: reviewed, fallback: null }",
      "  - { code: en, iso639_3: eng, name: English, nameVi: Tiếng Anh, script: Latin, status: reviewed, fallback: vi }",
      "  - { code: hmn, iso639_3: hmn, name: Hmông, nameVi: Tiếng Mông, script: Latin, status: draft, fallback: vi }",
    ].join("\n"),
  );
  for (const [locale, namespaces] of Object.entries(texts)) {
    await mkdir(join(dir, locale));
    for (const [namespace, tree] of Object.entries(namespaces)) await writeFile(join(dir, locale, `${namespace}.json`), JSON.stringify(tree));
  }
  const records = new Map<string, LedgerRecord>([
    ["violence:a", { origin: "human", reviewer: "A Speaker", on: "2026-01-01", sourceHash: hashText(texts.vi.violence.a), textHash: hashText(texts.hmn.violence.a) }],
    ["violence:b", { origin: "machine", on: "2026-01-01", sourceHash: hashText(texts.vi.violence.b), textHash: hashText(texts.hmn.violence.b) }],
  ]);
  content = { catalog: await loadContentCatalog(dir), registry: await loadLocaleRegistry(dir), reviews: createReviewLedger(new Map([["hmn", records]])) };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const answers = (input: Record<string, unknown>) => questionFileSchema.parse({ answers: input, words: {} }).answers;

describe("answer keys", () => {
  it("takes the included whole texts, leaving out the excluded ones and texts that need values", () => {
    const keys = answerKeys(content, answers({ include: ["violence:*"], exclude: ["violence:quiz.*"], phrasings: { "violence:a": ["lỗi của tôi"] } }), dir);
    expect(keys).toEqual([
      { key: "violence:a", topic: "violence", phrasings: ["lỗi của tôi"] },
      { key: "violence:b", topic: "violence", phrasings: [] },
    ]);
  });

  it("stops on an editor's mistake: a pattern that names nothing, a key without a topic, phrasings of a key not answered with", () => {
    expect(() => answerKeys(content, answers({ include: ["violence:nothing"] }), dir)).toThrow(ContentError);
    expect(() => answerKeys(content, answers({ include: ["common:*"] }), dir)).toThrow(/has no topic/);
    expect(() => answerKeys(content, answers({ include: ["common:*"], topics: { "common:*": "safety" } }), dir)).not.toThrow();
    expect(() => answerKeys(content, answers({ include: ["violence:a"], phrasings: { "violence:b": ["báo ai"] } }), dir)).toThrow(/not a key/);
  });
});

describe("approved messages", () => {
  const keys = () => answerKeys(content, answers({ include: ["violence:*"], exclude: ["violence:quiz.*"] }), dir);

  it("uses Vietnamese and English as the team wrote them", () => {
    expect(approvedMessages(content, keys(), "en").map((message) => [message.key, message.text, message.locale])).toEqual([
      ["violence:a", "It is not your fault.", "en"],
      ["violence:b", "Tell the commune police.", "en"],
    ]);
  });

  it("uses a minority translation only where a speaker reviewed it, else the fallback", () => {
    expect(approvedMessages(content, keys(), "hmn").map((message) => [message.key, message.locale])).toEqual([
      ["violence:a", "hmn"],
      ["violence:b", "vi"],
    ]);
  });

  it("answers a locale it does not know in Vietnamese", () => {
    expect(approvedMessages(content, keys(), "xx").every((message) => message.locale === "vi")).toBe(true);
  });
});
