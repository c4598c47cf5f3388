import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContentCatalog } from "../../src/content/content-catalog.ts";
import { ContentError } from "../../src/content/content-error.ts";
import { loadLocaleRegistry } from "../../src/content/locale-registry.ts";
import { loadDirectory } from "../../src/directory/directory-loader.ts";

const contentDir = join(import.meta.dirname, "../../content");

const entryYaml = (id: string, extra = "") => `
  - id: ${id}
    kind: hotline
    name: directory:${id}.name
    phone: "0000 000 000"
    scope: national
    free: unknown
    hours: unknown
    topics: [violence]
    emergency: false
    languages: [vie]
    verifiedOn: "2026-01-01"
    source: https://example.org/fictional${extra}`;

async function directoryWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "loa-directory-"));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe("loadDirectory", () => {
  it("loads the shipped national numbers with only what the sources confirm", async () => {
    const entries = await loadDirectory(join(contentDir, "directory"));
    expect(entries.map((e) => [e.id, e.phone, e.free, e.hours, e.emergency])).toEqual([
      ["national-111", "111", true, "24/7", true],
      ["national-113", "113", true, "unknown", true],
      ["national-115", "115", true, "unknown", true],
      ["national-1900-969-680", "1900 969 680", "unknown", "unknown", false],
    ]);
    expect(entries.every((e) => e.origin === "file")).toBe(true);
  });

  it("has every directory name and description in every reviewed locale", async () => {
    const [entries, catalog, registry] = await Promise.all([
      loadDirectory(join(contentDir, "directory")),
      loadContentCatalog(contentDir),
      loadLocaleRegistry(contentDir),
    ]);
    const keys = entries.flatMap((e) => (e.description === undefined ? [e.name] : [e.name, e.description]));
    for (const { code, status } of registry.locales) {
      if (status === "reviewed") expect(keys.filter((key) => !catalog.hasKey(code, key)), code).toEqual([]);
    }
  });

  it("names the file and the entry of an invalid entry", async () => {
    const bad = entryYaml("test-bad").replace("scope: national", "scope: commune\n    provinceCode: p");
    const dir = await directoryWith({ "bad.yaml": `entries:${bad}` });
    const error = await loadDirectory(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    expect(String(error)).toContain(join(dir, "bad.yaml"));
    expect(String(error)).toContain('entry "test-bad"');
    expect(String(error)).toContain("communeCode");
  });

  it("rejects a national entry that claims a province", async () => {
    const bad = entryYaml("test-national").replace("scope: national", "scope: national\n    provinceCode: p");
    const dir = await directoryWith({ "bad.yaml": `entries:${bad}` });
    await expect(loadDirectory(dir)).rejects.toThrow(/provinceCode: a national entry has no provinceCode/);
  });

  it("rejects an id used twice, naming both files", async () => {
    const dir = await directoryWith({ "a.yaml": `entries:${entryYaml("test-same")}`, "b.yaml": `entries:${entryYaml("test-same")}` });
    await expect(loadDirectory(dir)).rejects.toThrow(/b\.yaml: entry "test-same": id already used in .*a\.yaml/);
  });

  it("rejects hours or fees stated as free text", async () => {
    const bad = entryYaml("test-hours").replace("hours: unknown", "hours: 8-17");
    const dir = await directoryWith({ "bad.yaml": `entries:${bad}` });
    await expect(loadDirectory(dir)).rejects.toThrow(/hours/);
  });
});
