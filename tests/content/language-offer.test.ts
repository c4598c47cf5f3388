import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContentCatalog, type ContentCatalog } from "../../src/content/content-catalog.ts";
import { lintContent } from "../../src/content/content-lint.ts";
import { coreKeysOf, keyStatus, languageOfferIssues, offeredLocales } from "../../src/content/language-offer.ts";
import { loadLocaleRegistry, type LocaleRegistry } from "../../src/content/locale-registry.ts";
import { createReviewLedger, emptyReviewLedger, hashText, type LedgerRecord, type ReviewLedger } from "../../src/content/review-ledger.ts";
import { loadSources } from "../../src/content/sources.ts";
import { copyTranslationFixture } from "./translation-fixture.ts";

/** The fixture with hmn fully translated (core keys are common:*) and, when asked, marked reviewed. */
async function withHmnTranslated(status: "draft" | "reviewed") {
  const { contentDir } = await copyTranslationFixture();
  await mkdir(join(contentDir, "hmn"), { recursive: true });
  await writeFile(
    join(contentDir, "hmn", "common.json"),
    JSON.stringify({
      welcome: "Nyob zoo! Nov yog Loa.",
      menu: { invalid: "Thov nias ib lub pob." },
      call: "{{name}}: {{phone}}",
      triggers: { help: ["pab"] },
    }),
  );
  const registry = await loadLocaleRegistry(contentDir);
  const reviewedRegistry: LocaleRegistry = {
    ...registry,
    locales: registry.locales.map((locale) => (locale.code === "hmn" ? { ...locale, status } : locale)),
  };
  const catalog = await loadContentCatalog(contentDir);
  return { contentDir, registry: reviewedRegistry, catalog };
}

function humanReviews(catalog: ContentCatalog, locale: string, keys: readonly string[]): Map<string, LedgerRecord> {
  return new Map(
    keys.map((key): [string, LedgerRecord] => [
      key,
      {
        origin: "human",
        reviewer: "Giàng Thị Mỷ",
        on: "2026-11-26",
        sourceHash: hashText(catalog.value("vi", key) ?? ""),
        textHash: hashText(catalog.value(locale, key) ?? ""),
      },
    ]),
  );
}

function ledger(records: Map<string, LedgerRecord>): ReviewLedger {
  return createReviewLedger(new Map([["hmn", records]]));
}

describe("offeredLocales", () => {
  it("offers vi and en, and no draft locale even when it has text", async () => {
    const { registry, catalog } = await withHmnTranslated("draft");
    const everyCoreKey = ledger(humanReviews(catalog, "hmn", coreKeysOf(registry, catalog)));
    expect(offeredLocales(registry, catalog, everyCoreKey)).toEqual([
      { code: "vi", name: "Tiếng Việt" },
      { code: "en", name: "English" },
    ]);
  });

  it("offers a reviewed minority locale once every core key has a current human review", async () => {
    const { registry, catalog } = await withHmnTranslated("reviewed");
    const core = coreKeysOf(registry, catalog);
    expect(core).toEqual(["common:call", "common:menu.invalid", "common:triggers.help", "common:welcome"]);
    expect(offeredLocales(registry, catalog, ledger(humanReviews(catalog, "hmn", core))).map((locale) => locale.code)).toEqual([
      "vi",
      "en",
      "hmn",
    ]);
  });

  it("does not offer it on the registry status alone, nor with one core key unreviewed", async () => {
    const { registry, catalog } = await withHmnTranslated("reviewed");
    const core = coreKeysOf(registry, catalog);
    expect(offeredLocales(registry, catalog, emptyReviewLedger).map((locale) => locale.code)).toEqual(["vi", "en"]);
    const allButOne = ledger(humanReviews(catalog, "hmn", core.slice(1)));
    expect(offeredLocales(registry, catalog, allButOne).map((locale) => locale.code)).toEqual(["vi", "en"]);
  });

  it("does not offer it when a core key's Vietnamese changed since the review", async () => {
    const { registry, catalog } = await withHmnTranslated("reviewed");
    const records = humanReviews(catalog, "hmn", coreKeysOf(registry, catalog));
    const welcome = records.get("common:welcome");
    if (welcome === undefined) throw new Error("fixture lost common:welcome");
    records.set("common:welcome", { ...welcome, sourceHash: hashText("Chào bạn (an older text)") });
    expect(keyStatus(registry, catalog, ledger(records), "hmn", "common:welcome")).toBe("outdated");
    expect(offeredLocales(registry, catalog, ledger(records)).map((locale) => locale.code)).toEqual(["vi", "en"]);
  });

  it("does not offer it when a core key is only a machine draft", async () => {
    const { registry, catalog } = await withHmnTranslated("reviewed");
    const records = humanReviews(catalog, "hmn", coreKeysOf(registry, catalog));
    const welcome = records.get("common:welcome");
    if (welcome === undefined) throw new Error("fixture lost common:welcome");
    records.set("common:welcome", { origin: "machine", on: welcome.on, sourceHash: welcome.sourceHash, textHash: welcome.textHash });
    expect(offeredLocales(registry, catalog, ledger(records)).map((locale) => locale.code)).toEqual(["vi", "en"]);
  });

  it("takes en as reviewed by its registry status, and drops it when marked draft", async () => {
    const { registry, catalog } = await withHmnTranslated("draft");
    expect(keyStatus(registry, catalog, emptyReviewLedger, "en", "common:welcome")).toBe("reviewed");
    const enDraft: LocaleRegistry = {
      ...registry,
      locales: registry.locales.map((locale) => (locale.code === "en" ? { ...locale, status: "draft" } : locale)),
    };
    expect(offeredLocales(enDraft, catalog, emptyReviewLedger).map((locale) => locale.code)).toEqual(["vi"]);
  });
});

describe("languageOfferIssues", () => {
  it("reports each unreviewed core key of a locale marked reviewed, through lintContent", async () => {
    const { contentDir, registry, catalog } = await withHmnTranslated("reviewed");
    const sources = await loadSources(contentDir);
    const core = coreKeysOf(registry, catalog);
    const issues = lintContent(catalog, registry, sources, { reviews: ledger(humanReviews(catalog, "hmn", core.slice(1))) });
    const unreviewed = issues.filter((issue) => issue.code === "unreviewed-core-key");
    expect(unreviewed.map((issue) => [issue.severity, issue.locale, issue.key])).toEqual([["error", "hmn", "common:call"]]);
    expect(unreviewed[0]?.message).toMatch(/no current review by a speaker/);
  });

  it("treats every core key as unreviewed when lintContent is given no review records", async () => {
    const { contentDir, registry, catalog } = await withHmnTranslated("reviewed");
    const issues = lintContent(catalog, registry, await loadSources(contentDir));
    expect(issues.filter((issue) => issue.code === "unreviewed-core-key")).toHaveLength(4);
  });

  it("reports nothing for draft locales and warns about a core key pattern that names no key", async () => {
    const { registry, catalog } = await withHmnTranslated("draft");
    expect(languageOfferIssues(registry, catalog, emptyReviewLedger)).toEqual([]);
    const typo: LocaleRegistry = { ...registry, coreKeys: [...registry.coreKeys, "comon:*"] };
    expect(languageOfferIssues(typo, catalog, emptyReviewLedger).map((issue) => [issue.severity, issue.code])).toEqual([
      ["warning", "unmatched-core-keys"],
    ]);
  });
});
