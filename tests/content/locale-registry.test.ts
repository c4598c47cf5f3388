import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keyPatternSchema, loadLocaleRegistry, localeRegistrySchema, matchesKeyPattern } from "../../src/content/locale-registry.ts";

const shippedDir = join(import.meta.dirname, "../../content");

describe("the shipped locale registry", () => {
  it("lists vi, en and the minority languages with their ISO 639-3 codes", async () => {
    const registry = await loadLocaleRegistry(shippedDir);
    expect(Object.fromEntries(registry.locales.map((locale) => [locale.code, locale.iso639_3]))).toEqual({
      vi: "vie",
      en: "eng",
      hmn: "hmn",
      blt: "blt",
      ium: "ium",
      tyz: "tyz",
      nut: "nut",
      mtq: "mtq",
      rad: "rad",
      bdq: "bdq",
      jra: "jra",
      km: "khm",
      ktv: "ktv",
      sed: "sed",
    });
  });

  it("ships every minority language as a draft falling back to vi: none has been reviewed by a speaker", async () => {
    const registry = await loadLocaleRegistry(shippedDir);
    const minorities = registry.locales.filter((locale) => locale.code !== "vi" && locale.code !== "en");
    expect(minorities).toHaveLength(12);
    for (const locale of minorities) {
      expect([locale.code, locale.status, locale.fallback]).toEqual([locale.code, "draft", "vi"]);
      expect(locale.nameVi).toMatch(/^Tiếng /);
    }
  });

  it("writes Thái in Tai Viet and Khmer in Khmer script, the others in Latin", async () => {
    const registry = await loadLocaleRegistry(shippedDir);
    const scripts = Object.fromEntries(registry.locales.map((locale) => [locale.code, locale.script]));
    expect(scripts.blt).toBe("Tai_Viet");
    expect(scripts.km).toBe("Khmer");
    expect(Object.values(scripts).filter((script) => script === "Latin")).toHaveLength(12);
  });

  it("names the core keys a language needs before it is offered", async () => {
    const registry = await loadLocaleRegistry(shippedDir);
    expect(registry.coreKeys).toEqual(expect.arrayContaining(["common:*", "places:*", "directory:*", "safety:*"]));
  });
});

describe("locale registry schema", () => {
  const vi = { code: "vi", iso639_3: "vie", name: "Tiếng Việt", nameVi: "Tiếng Việt", script: "Latin", status: "reviewed", fallback: null };
  const messages = (value: unknown) =>
    localeRegistrySchema.safeParse(value).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") ?? "";

  it("requires a Vietnamese name for staff and at least one core key", () => {
    const { nameVi: _omitted, ...withoutNameVi } = vi;
    expect(messages({ coreKeys: ["common:*"], locales: [withoutNameVi] })).toMatch(/locales\.0\.nameVi/);
    expect(messages({ coreKeys: [], locales: [vi] })).toMatch(/coreKeys/);
    expect(messages({ locales: [vi] })).toMatch(/coreKeys/);
    expect(messages({ coreKeys: ["common:*"], locales: [vi] })).toBe("");
  });

  it("accepts a namespace, a prefix or one key as a core key pattern, nothing vaguer", () => {
    for (const pattern of ["common:*", "common:triggers.*", "common:welcome", "safe-birth:quiz.question"]) {
      expect(keyPatternSchema.safeParse(pattern).success, pattern).toBe(true);
    }
    for (const pattern of ["*", "common", "common:", "*:welcome", "common:tri*", "common:*.x"]) {
      expect(keyPatternSchema.safeParse(pattern).success, pattern).toBe(false);
    }
  });

  it("matches keys by namespace, by prefix and exactly", () => {
    expect(matchesKeyPattern("common:*", "common:triggers.help")).toBe(true);
    expect(matchesKeyPattern("common:*", "commonplace:x")).toBe(false);
    expect(matchesKeyPattern("common:triggers.*", "common:triggers.help")).toBe(true);
    expect(matchesKeyPattern("common:triggers.*", "common:triggers")).toBe(false);
    expect(matchesKeyPattern("common:triggers.*", "common:triggersx.help")).toBe(false);
    expect(matchesKeyPattern("common:welcome", "common:welcome")).toBe(true);
    expect(matchesKeyPattern("common:welcome", "common:welcome.back")).toBe(false);
  });
});
