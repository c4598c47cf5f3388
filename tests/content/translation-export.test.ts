import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/tables/csv.ts";
import { createReviewLedger, hashText } from "../../src/content/review-ledger.ts";
import {
  characterLimit,
  loadTranslationContext,
  translationCsv,
  translationRows,
  translationXliff,
  type TranslationRow,
} from "../../src/content/translation-export.ts";
import { parseXliff } from "../../src/content/xliff.ts";

const fixture = join(import.meta.dirname, "../fixtures/translation-sample");
const load = () => loadTranslationContext(join(fixture, "content"), join(fixture, "flows"));

function rowOf(rows: readonly TranslationRow[], key: string): TranslationRow {
  const row = rows.find((candidate) => candidate.key === key);
  if (row === undefined) throw new Error(`no row for ${key}`);
  return row;
}

describe("translation rows", () => {
  it("has one row per Vietnamese key, sorted, with the current translation and its status", async () => {
    const rows = translationRows(await load(), "hmn");
    expect(rows.map((row) => row.key)).toEqual([
      "common:call",
      "common:menu.invalid",
      "common:triggers.help",
      "common:welcome",
      "topic:checkups",
      "topic:more.no",
      "topic:more.prompt",
      "topic:more.yes",
      "topic:quiz.correct",
      "topic:quiz.four",
      "topic:quiz.incorrect",
      "topic:quiz.none",
      "topic:quiz.question",
    ]);
    expect(rowOf(rows, "common:welcome")).toMatchObject({ translation: "TEST DATA hmn welcome", status: "draft", origin: "" });
    expect(rowOf(rows, "topic:checkups")).toMatchObject({ translation: "", status: "missing" });
  });

  it("says where each text is used and in what role, found in the flows", async () => {
    const rows = translationRows(await load(), "hmn");
    expect(rowOf(rows, "topic:quiz.question").context).toBe("topic/quiz: quiz question");
    expect(rowOf(rows, "topic:quiz.four").context).toBe("topic/quiz: quiz option");
    expect(rowOf(rows, "topic:more.yes").context).toBe("topic/more: menu option");
    expect(rowOf(rows, "topic:more.prompt").context).toBe("topic/more: question");
    expect(rowOf(rows, "common:menu.invalid").context).toBe("topic/more: reprompt; Loa itself (menuInvalid): message");
    expect(rowOf(rows, "topic:checkups").context).toBe("topic/checkups: message. sourced facts: keep the numbers 4");
    expect(rowOf(rows, "common:call").context).toContain("keep {{name}}, {{phone}} as they are");
    expect(rowOf(rows, "common:triggers.help")).toMatchObject({ source: "giúp\ntrợ giúp" });
    expect(rowOf(rows, "common:triggers.help").context).toContain("one keyword or phrase per line");
  });

  it("limits option labels to 24 characters and messages to 400, or 2,000 when the Vietnamese is longer", async () => {
    const rows = translationRows(await load(), "hmn");
    expect(rowOf(rows, "topic:quiz.four").maxLength).toBe(24);
    expect(rowOf(rows, "topic:more.no").maxLength).toBe(24);
    expect(rowOf(rows, "topic:checkups").maxLength).toBe(400);
    expect(characterLimit([{ where: "x/y", role: "message" }], "a".repeat(401))).toBe(2000);
    expect(characterLimit([{ where: "x/y", role: "message" }, { where: "x/z", role: "menu option" }], "Có")).toBe(24);
  });

  it("shows reviewed, outdated and machine-draft translations as such", async () => {
    const context = await load();
    const welcome = hashText("TEST DATA hmn welcome");
    const withRecords = (record: Parameters<typeof createReviewLedger>[0]) => ({ ...context, reviews: createReviewLedger(record) });
    const source = hashText("Xin chào! Đây là Loa.");
    const reviewed = { origin: "human" as const, reviewer: "A", on: "2026-11-26", sourceHash: source, textHash: welcome };
    expect(rowOf(translationRows(withRecords(new Map([["hmn", new Map([["common:welcome", reviewed]])]])), "hmn"), "common:welcome")).toMatchObject({
      status: "reviewed",
      origin: "human",
    });
    const outdated = { ...reviewed, sourceHash: hashText("Chào") };
    expect(rowOf(translationRows(withRecords(new Map([["hmn", new Map([["common:welcome", outdated]])]])), "hmn"), "common:welcome").status).toBe("outdated");
    const machine = { origin: "machine" as const, on: "2026-11-26", sourceHash: source, textHash: welcome };
    expect(rowOf(translationRows(withRecords(new Map([["hmn", new Map([["common:welcome", machine]])]])), "hmn"), "common:welcome")).toMatchObject({
      status: "draft",
      origin: "machine",
    });
  });

  it("refuses an unregistered locale and vi, which is the source", async () => {
    const context = await load();
    expect(() => translationRows(context, "xx")).toThrow(/"xx" is not a locale/);
    expect(() => translationRows(context, "vi")).toThrow(/source language/);
  });
});

describe("export files", () => {
  it("writes CSV with named columns a spreadsheet opens", async () => {
    const csv = translationCsv("hmn", translationRows(await load(), "hmn"));
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual(["key", "source (vi)", "context", "max characters", "translation (hmn)", "status", "origin"]);
    expect(rows).toHaveLength(13);
    expect(rows.find((row) => row[0] === "common:triggers.help")?.[1]).toBe("giúp\ntrợ giúp");
  });

  it("writes XLIFF with the target language, limits and states", async () => {
    const context = await load();
    const source = hashText("Xin chào! Đây là Loa.");
    const machine = { origin: "machine" as const, on: "2026-11-26", sourceHash: source, textHash: hashText("TEST DATA hmn welcome") };
    const rows = translationRows({ ...context, reviews: createReviewLedger(new Map([["hmn", new Map([["common:welcome", machine]])]])) }, "hmn");
    const { document, problems } = parseXliff(translationXliff("hmn", rows), "hmn.xlf");
    expect(problems).toEqual([]);
    expect(document).toMatchObject({ sourceLanguage: "vi", targetLanguage: "hmn" });
    expect(document.units.find((unit) => unit.id === "common:welcome")).toMatchObject({
      target: "TEST DATA hmn welcome",
      state: "needs-review-translation",
      stateQualifier: "mt-suggestion",
      maxWidth: 400,
    });
    expect(document.units.find((unit) => unit.id === "topic:quiz.four")).toMatchObject({ target: "", state: "needs-translation", maxWidth: 24 });
  });
});
