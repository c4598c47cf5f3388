import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContentCatalog } from "../../src/content/content-catalog.ts";
import { lintContent, phoneLikeNumbers, placeholdersOf, type ContentIssue } from "../../src/content/content-lint.ts";
import { loadLocaleRegistry } from "../../src/content/locale-registry.ts";
import { loadSources } from "../../src/content/sources.ts";

const badDir = join(import.meta.dirname, "../fixtures/content-lint-bad");
const shippedDir = join(import.meta.dirname, "../../content");

async function lintDir(dir: string): Promise<ContentIssue[]> {
  const [catalog, registry, sources] = await Promise.all([loadContentCatalog(dir), loadLocaleRegistry(dir), loadSources(dir)]);
  return lintContent(catalog, registry, sources);
}

function summary(issues: readonly ContentIssue[]): string[] {
  return issues.map((issue) => `${issue.severity} ${issue.code} ${issue.locale ?? "-"} ${issue.key ?? "-"}`).sort();
}

describe("lintContent on a bad fixture", () => {
  it("reports a key that one reviewed locale lacks, as an error", async () => {
    const issues = await lintDir(badDir);
    expect(summary(issues)).toContain("error missing-key en common:only_in_vi");
  });

  it("reports keys a draft locale lacks only as warnings", async () => {
    const issues = await lintDir(badDir);
    expect(summary(issues)).toContain("warning missing-translation hmn common:only_in_vi");
    expect(issues.filter((i) => i.locale === "hmn" && i.severity === "error")).toEqual([]);
  });

  it("reports placeholders that differ between locales", async () => {
    const issues = await lintDir(badDir);
    const mismatches = issues.filter((i) => i.code === "placeholder-mismatch");
    expect(summary(mismatches)).toEqual(["error placeholder-mismatch en common:placeholders"]);
    expect(mismatches[0]?.message).toContain("{{name}}, {{phone}}");
  });

  it("reports a text longer than 2,000 characters, and warns above 400", async () => {
    const issues = await lintDir(badDir);
    expect(summary(issues)).toContain("error too-long vi common:too_long");
    expect(summary(issues)).toContain("warning long-message vi common:wordy");
    expect(summary(issues)).not.toContain("warning long-message vi common:too_long");
  });

  it("reports a source for a key that does not exist", async () => {
    const issues = await lintDir(badDir);
    expect(summary(issues)).toContain("error unknown-source-key - common:does_not_exist");
  });

  it("reports phone numbers in texts without a source, in every locale", async () => {
    const issues = await lintDir(badDir);
    const unsourced = summary(issues.filter((i) => i.code === "unsourced-phone-number"));
    expect(unsourced).toEqual([
      "error unsourced-phone-number en common:unsourced_phone",
      "error unsourced-phone-number en common:unsourced_short_code",
      "error unsourced-phone-number vi common:unsourced_phone",
      "error unsourced-phone-number vi common:unsourced_short_code",
    ]);
  });
});

describe("lint helpers", () => {
  it("finds placeholders, including formatted and unescaped ones", () => {
    expect(placeholdersOf("{{name}} {{ phone }} {{- raw}} {{date, short}} {{name}}")).toEqual(["date", "name", "phone", "raw"]);
  });

  it("treats short codes 111–119 and long digit runs as phone numbers, not ages, years or counts", () => {
    expect(phoneLikeNumbers("Gọi 113, 115 hoặc 1900 969 680; 0912.345.678; +84 912 345 678")).toEqual([
      "113",
      "115",
      "1900 969 680",
      "0912.345.678",
      "+84 912 345 678",
    ]);
    expect(phoneLikeNumbers("Đủ 18 tuổi, năm 2014, 24/7, 4 lần, 100 m, Điều 3 khoản 1")).toEqual([]);
  });
});

describe("the shipped content", () => {
  it("has no lint errors", async () => {
    const issues = await lintDir(shippedDir);
    expect(issues.filter((issue) => issue.severity === "error")).toEqual([]);
  });

  it("keeps every message short enough to read (no long-message warnings)", async () => {
    const issues = await lintDir(shippedDir);
    expect(issues.filter((issue) => issue.code === "long-message")).toEqual([]);
  });
});
