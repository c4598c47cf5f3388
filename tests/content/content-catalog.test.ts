import { mkdtemp, mkdir, writeFile, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContentCatalog } from "../../src/content/content-catalog.ts";
import { ContentError } from "../../src/content/content-error.ts";
import { fallbackChain, loadLocaleRegistry, localeRegistrySchema } from "../../src/content/locale-registry.ts";

const sampleDir = join(import.meta.dirname, "../fixtures/content-sample");
const shippedDir = join(import.meta.dirname, "../../content");

describe("loadContentCatalog on a sample catalog", () => {
  it("lists the registered locales in registry order", async () => {
    const catalog = await loadContentCatalog(sampleDir);
    expect(catalog.locales).toEqual(["vi", "en", "hmn"]);
  });

  it("answers hasKey exactly, without fallback", async () => {
    const catalog = await loadContentCatalog(sampleDir);
    expect(catalog.hasKey("vi", "common:only_vi")).toBe(true);
    expect(catalog.hasKey("en", "common:only_vi")).toBe(false);
    expect(catalog.hasKey("vi", "topic:nested.deeper.text")).toBe(true);
    expect(catalog.hasKey("vi", "topic:nested")).toBe(false);
    expect(catalog.hasKey("xx", "common:greeting")).toBe(false);
  });

  it("lists flattened keys, counting a keyword list as one key", async () => {
    const catalog = await loadContentCatalog(sampleDir);
    expect(catalog.keys("vi")).toEqual([
      "common:greeting",
      "common:in_vi_and_en",
      "common:list",
      "common:only_vi",
      "common:triggers.emergency",
      "common:triggers.stop",
      "common:triggers.yes",
      "topic:nested.deeper.text",
    ]);
    expect(catalog.keys("nowhere")).toEqual([]);
  });

  it("renders in the requested locale with placeholders filled", async () => {
    const catalog = await loadContentCatalog(sampleDir);
    expect(catalog.render("common:greeting", "en", { name: "Mai" })).toEqual({
      text: "Hello Mai!",
      locale: "en",
      missing: false,
    });
    expect(catalog.render("common:greeting", "hmn", { name: "Mai" }).text).toBe("Nyob zoo Mai!");
  });

  it("does not escape values and does not treat params as i18next options", async () => {
    const catalog = await loadContentCatalog(sampleDir);
    expect(catalog.render("common:greeting", "vi", { name: "<b>&", lng: "en", count: 2 }).text).toBe("Xin chào <b>&!");
  });

  it("falls back along the registry chain, then to vi, and says the text was missing", async () => {
    const catalog = await loadContentCatalog(sampleDir);
    expect(catalog.render("common:in_vi_and_en", "hmn")).toEqual({ text: "Both", locale: "en", missing: true });
    expect(catalog.render("common:only_vi", "hmn")).toEqual({ text: "Chỉ có tiếng Việt", locale: "vi", missing: true });
    expect(catalog.render("common:only_vi", "en")).toEqual({ text: "Chỉ có tiếng Việt", locale: "vi", missing: true });
    expect(catalog.render("common:greeting", "unknown", { name: "A" })).toEqual({
      text: "Xin chào A!",
      locale: "vi",
      missing: true,
    });
  });

  it("returns the key itself, marked missing, when no locale has it", async () => {
    const catalog = await loadContentCatalog(sampleDir);
    expect(catalog.render("common:nowhere", "en")).toEqual({ text: "common:nowhere", locale: "en", missing: true });
  });

  it("renders a keyword list one item per line", async () => {
    const catalog = await loadContentCatalog(sampleDir);
    expect(catalog.render("common:list", "vi").text).toBe("một\nhai");
  });

  it("merges trigger keywords from all locales without repeats", async () => {
    const catalog = await loadContentCatalog(sampleDir);
    expect(catalog.keywords()).toEqual({
      emergency: ["cứu tôi", "nguy hiểm", "help me", "danger"],
      stop: ["dừng", "stop"],
      deletion: [],
      language: [],
      home: [],
      help: [],
      yes: ["có", "ok", "yes"],
      no: [],
    });
  });
});

describe("loadContentCatalog errors", () => {
  async function copyOfSample(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "loa-content-"));
    await cp(sampleDir, dir, { recursive: true });
    return dir;
  }

  it("names the file and field of a bad text", async () => {
    const dir = await copyOfSample();
    await writeFile(join(dir, "vi", "bad.json"), JSON.stringify({ ok: "fine", nested: { number: 3 } }));
    const error = await loadContentCatalog(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    expect(String(error)).toContain(join(dir, "vi", "bad.json"));
    expect(String(error)).toContain("nested: expected a text");
  });

  it("rejects a trigger that is not a keyword list, or an unknown trigger", async () => {
    const dir = await copyOfSample();
    await writeFile(join(dir, "en", "common.json"), JSON.stringify({ triggers: { emergency: "help" } }));
    await expect(loadContentCatalog(dir)).rejects.toThrow(/triggers\.emergency/);
    await writeFile(join(dir, "en", "common.json"), JSON.stringify({ triggers: { panic: ["x"] } }));
    await expect(loadContentCatalog(dir)).rejects.toThrow(/panic/);
  });

  it("rejects invalid JSON with the file name", async () => {
    const dir = await copyOfSample();
    await writeFile(join(dir, "en", "common.json"), "{ not json");
    await expect(loadContentCatalog(dir)).rejects.toThrow(/en\/common\.json: not valid JSON/);
  });

  it("treats a registered locale without a folder as having no keys", async () => {
    const dir = await mkdtemp(join(tmpdir(), "loa-content-"));
    await writeFile(
      join(dir, "locales.yaml"),
      'coreKeys: ["common:*"]\nlocales:\n  - { code: vi, iso639_3: vie, name: Tiếng Việt, nameVi: Tiếng Việt, script: Latin, status: reviewed, fallback: null }\n',
    );
    await mkdir(join(dir, "directory"));
    const catalog = await loadContentCatalog(dir);
    expect(catalog.keys("vi")).toEqual([]);
    expect(catalog.render("common:welcome", "vi").missing).toBe(true);
  });
});

describe("locale registry", () => {
  const vi = { code: "vi", iso639_3: "vie", name: "Tiếng Việt", nameVi: "Tiếng Việt", script: "Latin", status: "reviewed", fallback: null };

  it("loads the shipped registry: vi has no fallback, en falls back to vi", async () => {
    const registry = await loadLocaleRegistry(shippedDir);
    expect(registry.locales.slice(0, 2).map((l) => [l.code, l.iso639_3, l.status, l.fallback])).toEqual([
      ["vi", "vie", "reviewed", null],
      ["en", "eng", "reviewed", "vi"],
    ]);
  });

  it("builds fallback chains that end in vi", async () => {
    const registry = await loadLocaleRegistry(sampleDir);
    expect(fallbackChain(registry, "hmn")).toEqual(["hmn", "en", "vi"]);
    expect(fallbackChain(registry, "vi")).toEqual(["vi"]);
    expect(fallbackChain(registry, "zz")).toEqual(["zz", "vi"]);
  });

  it("rejects an unknown fallback, a loop, a repeated code and a missing vi", () => {
    const en = { ...vi, code: "en", iso639_3: "eng", name: "English" };
    const problems = (locales: unknown[]) =>
      localeRegistrySchema.safeParse({ coreKeys: ["common:*"], locales }).error?.issues.map((issue) => issue.message).join("; ") ?? "";
    expect(problems([vi, { ...en, fallback: "xx" }])).toMatch(/names "xx", which is not listed/);
    expect(problems([vi, { ...en, fallback: "hmn" }, { ...en, code: "hmn", iso639_3: "hmn", fallback: "en" }])).toMatch(/loops/);
    expect(problems([vi, vi])).toMatch(/"vi" is listed twice/);
    expect(problems([{ ...en, fallback: null }])).toMatch(/"vi" must be listed/);
    expect(problems([vi])).toBe("");
  });
});

describe("the shipped content", () => {
  it("gives the engine every trigger, with the required phrases", async () => {
    const keywords = (await loadContentCatalog(shippedDir)).keywords();
    expect(keywords.emergency).toEqual(
      expect.arrayContaining([
        "cứu tôi",
        "cứu",
        "cứu với",
        "bị đánh",
        "đánh tôi",
        "chồng tôi đánh tôi",
        "bị ép cưới",
        "ép cưới",
        "ép lấy chồng",
        "gặp nguy hiểm",
        "khẩn cấp",
        "help me",
        "emergency",
        "sos",
        "he hits me",
        "beaten",
        "forced to marry",
        "forced marriage",
        "danger",
      ]),
    );
    expect(keywords.stop).toEqual(expect.arrayContaining(["dừng", "ngừng", "hủy đăng ký", "stop", "unsubscribe"]));
    expect(keywords.deletion).toEqual(
      expect.arrayContaining(["xóa dữ liệu", "xoá dữ liệu", "xóa thông tin", "delete my data", "delete data"]),
    );
    expect(keywords.language).toEqual(expect.arrayContaining(["ngôn ngữ", "đổi ngôn ngữ", "language"]));
    expect(keywords.home).toEqual(expect.arrayContaining(["menu", "trang chủ", "bắt đầu lại", "home", "start over"]));
    expect(keywords.help).toEqual(expect.arrayContaining(["giúp", "trợ giúp", "giúp đỡ", "help", "hotline"]));
    expect(keywords.yes).toEqual(expect.arrayContaining(["có", "đồng ý", "ok", "yes"]));
    expect(keywords.no).toEqual(expect.arrayContaining(["không", "thôi", "no"]));
    expect(keywords.home.filter((word) => word === "menu")).toHaveLength(1);
  });

  it("has every key the engine and pipeline use, in both locales", async () => {
    const catalog = await loadContentCatalog(shippedDir);
    const keys = [
      "emergency.reply",
      "stop.confirmed",
      "optin.welcome_back",
      "delete.confirm",
      "delete.yes",
      "delete.no",
      "delete.done",
      "delete.cancelled",
      "menu.invalid",
      "ask.invalid_number",
      "session.expired",
      "flow.changed",
      "failure.closing",
      "language.name",
    ].map((key) => `common:${key}`);
    for (const locale of ["vi", "en"]) {
      expect(keys.filter((key) => !catalog.hasKey(locale, key)), locale).toEqual([]);
    }
    expect(catalog.render("directory:help.entry", "vi", { name: "Công an", phone: "113", notes: "(miễn phí)" }).text).toBe(
      "📞 Công an: 113 (miễn phí)",
    );
    expect(catalog.render("common:language.name", "en").text).toBe("English");
  });
});
