import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContentCatalog } from "../../src/content/content-catalog.ts";
import { lintContent, numbersIn, placeholdersOf, type ContentIssue } from "../../src/content/content-lint.ts";
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

  it("reports numbers a key does not declare in sources.yaml, in every locale", async () => {
    const issues = await lintDir(badDir);
    const undeclared = issues.filter((i) => i.code === "undeclared-number");
    expect(summary(undeclared)).toEqual([
      "error undeclared-number en common:ages",
      "error undeclared-number en common:unsourced_phone",
      "error undeclared-number en common:unsourced_short_code",
      "error undeclared-number en common:wrong_number",
      "error undeclared-number vi common:ages",
      "error undeclared-number vi common:unsourced_phone",
      "error undeclared-number vi common:unsourced_short_code",
      "error undeclared-number vi common:wrong_number",
    ]);
    const wrong = undeclared.find((i) => i.key === "common:wrong_number" && i.locale === "vi");
    expect(wrong?.message).toContain("states 113,");
    expect(wrong?.message).not.toContain("111");
  });
});

describe("lint helpers", () => {
  it("finds placeholders, including formatted and unescaped ones", () => {
    expect(placeholdersOf("{{name}} {{ phone }} {{- raw}} {{date, short}} {{name}}")).toEqual(["date", "name", "phone", "raw"]);
  });

  it("finds every number as written, keeping digit groups together and skipping placeholders", () => {
    expect(numbersIn("Gọi 113, 115 hoặc 1900 969 680; 0912.345.678; +84 912 345 678")).toEqual([
      "113",
      "115",
      "1900 969 680",
      "0912.345.678",
      "+84 912 345 678",
    ]);
    expect(numbersIn("Đủ 18 tuổi, năm 2014, 24/7, 1.000.000 đồng, 38,5°C. Điều 3 khoản 1 {{count2}}")).toEqual([
      "18",
      "2014",
      "24/7",
      "1.000.000",
      "38,5",
      "3",
      "1",
    ]);
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
