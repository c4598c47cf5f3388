import { mkdir, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ContentError } from "../../src/content/content-error.ts";
import {
  hashText,
  loadReviewLedger,
  saveReviewRecords,
  translationStatus,
  type LedgerRecord,
  type ReviewRecord,
} from "../../src/content/review-ledger.ts";

const source = "Xin chào! Đây là Loa.";
const text = "Nyob zoo! Nov yog Loa.";

function review(overrides: Partial<ReviewRecord> = {}): ReviewRecord {
  return { origin: "human", reviewer: "Giàng Thị Mỷ", on: "2026-11-26", sourceHash: hashText(source), textHash: hashText(text), ...overrides };
}

describe("translationStatus", () => {
  it("is missing without text and draft without a record", () => {
    expect(translationStatus(source, undefined, review())).toBe("missing");
    expect(translationStatus(source, text, undefined)).toBe("draft");
  });

  it("is reviewed when a human review covers this text and this source", () => {
    expect(translationStatus(source, text, review())).toBe("reviewed");
    expect(translationStatus(source, text, review({ origin: "machine-assisted" }))).toBe("reviewed");
  });

  it("is outdated when the Vietnamese changed since the review", () => {
    expect(translationStatus("Xin chào! Đây là Loa, kênh tin nhắn.", text, review())).toBe("outdated");
    expect(translationStatus(undefined, text, review())).toBe("outdated");
  });

  it("is draft when the translation was edited after the review", () => {
    expect(translationStatus(source, "Nyob zoo!", review())).toBe("draft");
  });

  it("never counts a machine draft as reviewed", () => {
    const machine: LedgerRecord = { origin: "machine", on: "2026-11-26", sourceHash: hashText(source), textHash: hashText(text) };
    expect(translationStatus(source, text, machine)).toBe("draft");
  });

  it("ignores Unicode normalisation, line ends and surrounding spaces when comparing texts", () => {
    expect(hashText("Tiếng Việt")).toBe(hashText("Tiếng Việt".normalize("NFD")));
    expect(hashText("a\r\nb ")).toBe(hashText("a\nb"));
    expect(hashText(["giúp", "trợ giúp"])).toBe(hashText("giúp\ntrợ giúp"));
    expect(hashText("a")).not.toBe(hashText("b"));
  });
});

describe("review ledger files", () => {
  it("has no records when content/reviews does not exist", async () => {
    const dir = await mkdtemp(join(tmpdir(), "loa-reviews-"));
    const ledger = await loadReviewLedger(dir);
    expect(ledger.locales).toEqual([]);
    expect(ledger.record("hmn", "common:welcome")).toBeUndefined();
  });

  it("saves records sorted by key and loads them back", async () => {
    const dir = await mkdtemp(join(tmpdir(), "loa-reviews-"));
    const machine: LedgerRecord = { origin: "machine", on: "2026-11-27", sourceHash: hashText("b"), textHash: hashText("c") };
    await saveReviewRecords(dir, "hmn", new Map<string, LedgerRecord>([["topic:checkups", machine], ["common:welcome", review()]]));
    const yaml = await readFile(join(dir, "reviews", "hmn.yaml"), "utf8");
    expect(yaml.indexOf("common:welcome")).toBeLessThan(yaml.indexOf("topic:checkups"));
    expect(yaml).toContain("docs/translation.md");
    const ledger = await loadReviewLedger(dir);
    expect(ledger.locales).toEqual(["hmn"]);
    expect(ledger.record("hmn", "common:welcome")).toEqual(review());
    expect(ledger.record("hmn", "topic:checkups")).toEqual(machine);
    expect(ledger.records("km").size).toBe(0);
  });

  it("removes the file when a locale has no records left", async () => {
    const dir = await mkdtemp(join(tmpdir(), "loa-reviews-"));
    await saveReviewRecords(dir, "hmn", new Map([["common:welcome", review()]]));
    await saveReviewRecords(dir, "hmn", new Map());
    expect(await readdir(join(dir, "reviews"))).toEqual([]);
  });

  it("rejects a record without a reviewer, a machine draft claiming one, and a file not named after a locale", async () => {
    const dir = await mkdtemp(join(tmpdir(), "loa-reviews-"));
    await mkdir(join(dir, "reviews"));
    const file = join(dir, "reviews", "hmn.yaml");
    await writeFile(file, `common:welcome: { origin: human, on: "2026-11-26", sourceHash: ${hashText(source)}, textHash: ${hashText(text)} }\n`);
    await expect(loadReviewLedger(dir)).rejects.toThrow(/hmn\.yaml: common:welcome\.reviewer/);
    await writeFile(
      file,
      `common:welcome: { origin: machine, reviewer: X, on: "2026-11-26", sourceHash: ${hashText(source)}, textHash: ${hashText(text)} }\n`,
    );
    await expect(loadReviewLedger(dir)).rejects.toThrow(/reviewer/);
    await writeFile(file, "");
    await writeFile(join(dir, "reviews", "Hmong.yaml"), "");
    const error = await loadReviewLedger(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContentError);
    expect(String(error)).toMatch(/Hmong\.yaml: a review file is named after its locale code/);
  });
});
