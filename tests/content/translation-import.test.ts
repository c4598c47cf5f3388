import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadReviewLedger } from "../../src/content/review-ledger.ts";
import { loadTranslationContext, translationCsv, translationRows, translationXliff } from "../../src/content/translation-export.ts";
import { importTranslations, readTranslationFile, type ImportOptions, type ImportResult } from "../../src/content/translation-import.ts";
import { parseXliff, writeXliff } from "../../src/content/xliff.ts";
import { parseCsv, writeCsv } from "../../src/tables/csv.ts";
import { copyTranslationFixture } from "./translation-fixture.ts";

/** Translations a Mông translator might type, for the fixture's keys (TEST DATA, not real Hmong). */
const filled: Record<string, string> = {
  "common:welcome": "Nyob zoo! Nov yog Loa.",
  "common:call": "Hu {{name}}: {{phone}}",
  "common:triggers.help": "pab\npab kuv",
  "topic:checkups": "Thaum xeeb tub, mus kuaj tsawg kawg 4 zaug.",
  "topic:quiz.four": "Tsawg kawg 4 zaug",
};

let dirs: { root: string; contentDir: string; flowsDir: string };
beforeEach(async () => {
  dirs = await copyTranslationFixture();
});

const context = () => loadTranslationContext(dirs.contentDir, dirs.flowsDir);

/** Exports hmn as CSV, lets `edit` change cells by key and column name, and saves the file to import. */
async function csvFile(edit: (set: (key: string, column: string, value: string) => void) => void): Promise<string> {
  const [header = [], ...rows] = parseCsv(translationCsv("hmn", translationRows(await context(), "hmn")));
  edit((key, column, value) => {
    const row = rows.find((cells) => cells[0] === key);
    const index = header.indexOf(column);
    if (row === undefined || index < 0) throw new Error(`no cell ${key} / ${column}`);
    row[index] = value;
  });
  const file = join(dirs.root, "hmn.csv");
  await writeFile(file, writeCsv([header, ...rows]));
  return file;
}

async function runImport(file: string, options: Partial<ImportOptions> = {}): Promise<ImportResult> {
  const read = await readTranslationFile(file, "hmn");
  expect(read.problems).toEqual([]);
  return importTranslations(await context(), {
    contentDir: dirs.contentDir,
    locale: "hmn",
    rows: read.rows,
    acceptOutdated: false,
    dryRun: false,
    on: "2026-11-26",
    ...options,
  });
}

async function hmnJson(namespace: string): Promise<string> {
  return readFile(join(dirs.contentDir, "hmn", `${namespace}.json`), "utf8");
}

describe("CSV round trip", () => {
  it("imports filled-in translations, and the next export shows them", async () => {
    const file = await csvFile((set) => {
      for (const [key, text] of Object.entries(filled)) set(key, "translation (hmn)", text);
    });
    const result = await runImport(file);
    expect(result.problems).toEqual([]);
    expect(result.changed).toEqual(Object.keys(filled).sort());
    expect(result.reviewed).toEqual([]);
    const rows = translationRows(await context(), "hmn");
    for (const [key, text] of Object.entries(filled)) {
      expect(rows.find((row) => row.key === key)).toMatchObject({ translation: text, status: "draft" });
    }
    expect(rows.find((row) => row.key === "topic:quiz.none")).toMatchObject({ translation: "", status: "missing" });
  });

  it("writes pretty JSON in the Vietnamese key order, creating the locale's namespace file, and a re-import changes nothing", async () => {
    const file = await csvFile((set) => {
      for (const [key, text] of Object.entries(filled)) set(key, "translation (hmn)", text);
    });
    await runImport(file);
    const topic = await hmnJson("topic");
    expect(topic).toBe(
      `${JSON.stringify({ checkups: "Thaum xeeb tub, mus kuaj tsawg kawg 4 zaug.", quiz: { four: "Tsawg kawg 4 zaug" } }, null, 2)}\n`,
    );
    const common = JSON.parse(await hmnJson("common")) as Record<string, unknown>;
    expect(Object.keys(common)).toEqual(["welcome", "call", "triggers"]);
    expect(common.triggers).toEqual({ help: ["pab", "pab kuv"] });
    const again = await runImport(await csvFile(() => undefined));
    expect(again.changed).toEqual([]);
    expect(again.files).toEqual([]);
    expect(await hmnJson("topic")).toBe(topic);
  });

  it("records reviews by name with --reviewed-by, so the next export shows them reviewed", async () => {
    const file = await csvFile((set) => set("common:welcome", "translation (hmn)", filled["common:welcome"] ?? ""));
    const result = await runImport(file, { reviewedBy: "Giàng Thị Mỷ" });
    expect(result.reviewed).toEqual(["common:welcome"]);
    const ledger = await loadReviewLedger(dirs.contentDir);
    expect(ledger.record("hmn", "common:welcome")).toMatchObject({ origin: "human", reviewer: "Giàng Thị Mỷ", on: "2026-11-26" });
    const rows = translationRows(await context(), "hmn");
    expect(rows.find((row) => row.key === "common:welcome")).toMatchObject({ status: "reviewed", origin: "human" });
    expect(rows.filter((row) => row.status === "reviewed")).toHaveLength(1);
  });

  it("reports every bad row with its row number and key, and writes nothing", async () => {
    const file = await csvFile((set) => {
      set("common:welcome", "translation (hmn)", "Nyob zoo! Nov yog Loa.");
      set("common:call", "translation (hmn)", "Hu {{name}}");
      set("topic:checkups", "translation (hmn)", "Mus kuaj 5 zaug.");
      set("topic:quiz.four", "translation (hmn)", "Tsawg kawg plaub zaug thiab ntau dua");
      set("topic:quiz.question", "source (vi)", "Một câu hỏi cũ?");
      set("topic:quiz.question", "translation (hmn)", "Lo lus nug?");
      set("topic:more.yes", "origin", "google");
    });
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("common:menu.invalid", "common:menu.gone"));
    const before = await readdir(join(dirs.contentDir, "hmn"));
    const read = await readTranslationFile(file, "hmn");
    const result = await importTranslations(await context(), {
      contentDir: dirs.contentDir,
      locale: "hmn",
      rows: read.rows,
      acceptOutdated: false,
      dryRun: false,
      on: "2026-11-26",
    });
    const problems = [...read.problems, ...result.problems].map((problem) => `${problem.place} ${problem.key ?? "-"}: ${problem.message}`);
    expect(problems).toEqual([
      expect.stringMatching(/^row 9 topic:more.yes: origin "google" is not one of/),
      expect.stringMatching(/^row 2 common:call: placeholders differ: vi uses \{\{name\}\}, \{\{phone\}\}, the translation uses \{\{name\}\}$/),
      expect.stringMatching(/^row 3 common:menu.gone: unknown key/),
      expect.stringMatching(/^row 6 topic:checkups: states 5, which neither the vi text nor sources.yaml does: a translation adds no facts$/),
      expect.stringMatching(/^row 11 topic:quiz.four: too long: 36 characters; the limit here is 24$/),
      expect.stringMatching(/^row 14 topic:quiz.question: outdated: the vi text changed since this file was exported/),
    ]);
    expect(result.changed).toEqual([]);
    expect(await readdir(join(dirs.contentDir, "hmn"))).toEqual(before);
    expect(await hmnJson("common")).toContain("TEST DATA hmn welcome");
  });

  it("accepts a number sources.yaml declares for the key, even when the vi text does not state it", async () => {
    const file = await csvFile((set) => set("topic:quiz.correct", "translation (hmn)", "Yog lawm! 4 zaug."));
    expect(await runImport(file)).toMatchObject({ problems: [], changed: ["topic:quiz.correct"] });
  });

  it("refuses to empty a translation that exists, and skips rows left empty", async () => {
    const cleared = await csvFile((set) => set("common:welcome", "translation (hmn)", ""));
    const result = await runImport(cleared).catch(() => undefined);
    expect(result?.problems.map((problem) => [problem.key, problem.message.split(":")[0]])).toEqual([["common:welcome", "empty"]]);
    const untouched = await runImport(await csvFile(() => undefined));
    expect(untouched).toMatchObject({ problems: [], changed: [], unchanged: 1, skipped: 12 });
  });

  it("reports a key given twice", async () => {
    const file = await csvFile(() => undefined);
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("common:menu.invalid", "common:welcome"));
    const result = await runImport(file);
    expect(result.problems.map((problem) => `${problem.place} ${problem.key}: ${problem.message}`)).toContain(
      "row 5 common:welcome: the key appears twice (first at row 3)",
    );
  });

  it("imports an outdated row as draft only with acceptOutdated, never as reviewed", async () => {
    const file = await csvFile((set) => {
      set("topic:quiz.question", "source (vi)", "Một câu hỏi cũ?");
      set("topic:quiz.question", "translation (hmn)", "Lo lus nug?");
    });
    const result = await runImport(file, { acceptOutdated: true, reviewedBy: "Giàng Thị Mỷ" });
    expect(result).toMatchObject({ problems: [], changed: ["topic:quiz.question"], reviewed: ["common:welcome"], outdated: ["topic:quiz.question"] });
    const rows = translationRows(await context(), "hmn");
    expect(rows.find((row) => row.key === "topic:quiz.question")).toMatchObject({ translation: "Lo lus nug?", status: "draft" });
  });

  it("writes nothing on a dry run but reports what would change", async () => {
    const file = await csvFile((set) => set("topic:checkups", "translation (hmn)", filled["topic:checkups"] ?? ""));
    const result = await runImport(file, { dryRun: true, reviewedBy: "Giàng Thị Mỷ" });
    expect(result).toMatchObject({ problems: [], changed: ["topic:checkups"], reviewed: ["common:welcome", "topic:checkups"], files: [] });
    expect(await readdir(join(dirs.contentDir, "hmn"))).toEqual(["common.json"]);
    expect((await loadReviewLedger(dirs.contentDir)).locales).toEqual([]);
  });

  it("refuses a file exported for another locale", async () => {
    const file = await csvFile(() => undefined);
    const read = await readTranslationFile(file, "km");
    expect(read.problems.map((problem) => problem.message)).toEqual(['no "translation (km)" column; this file is for hmn']);
  });
});

describe("machine-made translations", () => {
  it("are imported as draft and never recorded as reviewed in the same import", async () => {
    const file = await csvFile((set) => {
      set("common:welcome", "translation (hmn)", filled["common:welcome"] ?? "");
      set("common:welcome", "origin", "machine");
      set("topic:checkups", "translation (hmn)", filled["topic:checkups"] ?? "");
    });
    const result = await runImport(file, { reviewedBy: "Giàng Thị Mỷ" });
    expect(result).toMatchObject({ machineDrafts: ["common:welcome"], reviewed: ["topic:checkups"] });
    const rows = translationRows(await context(), "hmn");
    expect(rows.find((row) => row.key === "common:welcome")).toMatchObject({ status: "draft", origin: "machine" });
    expect((await loadReviewLedger(dirs.contentDir)).record("hmn", "common:welcome")).toMatchObject({ origin: "machine" });
  });

  it("stay machine drafts when a translator edits them, and a later review records them as machine-assisted", async () => {
    await runImport(
      await csvFile((set) => {
        set("common:welcome", "translation (hmn)", "Nyob zoo Loa");
        set("common:welcome", "origin", "machine");
      }),
    );
    await runImport(await csvFile((set) => set("common:welcome", "origin", "")));
    expect((await loadReviewLedger(dirs.contentDir)).record("hmn", "common:welcome")).toMatchObject({ origin: "machine" });
    await runImport(
      await csvFile((set) => {
        set("common:welcome", "translation (hmn)", filled["common:welcome"] ?? "");
        set("common:welcome", "origin", "");
      }),
    );
    expect((await loadReviewLedger(dirs.contentDir)).record("hmn", "common:welcome")).toMatchObject({ origin: "machine" });
    const stillMarked = await runImport(await csvFile(() => undefined), { reviewedBy: "Giàng Thị Mỷ" });
    expect(stillMarked.reviewed).toEqual([]);
    const result = await runImport(await csvFile((set) => set("common:welcome", "origin", "")), { reviewedBy: "Giàng Thị Mỷ" });
    expect(result.reviewed).toEqual(["common:welcome"]);
    expect((await loadReviewLedger(dirs.contentDir)).record("hmn", "common:welcome")).toMatchObject({
      origin: "machine-assisted",
      reviewer: "Giàng Thị Mỷ",
    });
    const rows = translationRows(await context(), "hmn");
    expect(rows.find((row) => row.key === "common:welcome")).toMatchObject({ status: "reviewed", origin: "machine-assisted" });
  });
});

describe("XLIFF round trip", () => {
  async function xliffFile(fill: Record<string, { target: string; stateQualifier?: string; source?: string }>): Promise<string> {
    const { document } = parseXliff(translationXliff("hmn", translationRows(await context(), "hmn")), "export.xlf");
    const units = document.units.map((unit) => {
      const change = fill[unit.id];
      if (change === undefined) return unit;
      const { stateQualifier: _previous, ...rest } = unit;
      return {
        ...rest,
        target: change.target,
        state: "translated",
        ...(change.source === undefined ? {} : { source: change.source }),
        ...(change.stateQualifier === undefined ? {} : { stateQualifier: change.stateQualifier }),
      };
    });
    const file = join(dirs.root, "hmn.xlf");
    await writeFile(file, writeXliff({ ...document, units }));
    return file;
  }

  it("imports translated units, and the next export shows them, with machine units kept as drafts", async () => {
    const file = await xliffFile({
      "common:welcome": { target: filled["common:welcome"] ?? "" },
      "topic:checkups": { target: filled["topic:checkups"] ?? "", stateQualifier: "leveraged-mt" },
      "topic:quiz.four": { target: filled["topic:quiz.four"] ?? "", stateQualifier: "mt-suggestion" },
    });
    const result = await runImport(file, { reviewedBy: "Giàng Thị Mỷ" });
    expect(result).toMatchObject({
      problems: [],
      changed: ["common:welcome", "topic:checkups", "topic:quiz.four"],
      reviewed: ["common:welcome"],
      machineDrafts: ["topic:checkups", "topic:quiz.four"],
    });
    const { document } = parseXliff(translationXliff("hmn", translationRows(await context(), "hmn")), "again.xlf");
    expect(document.units.find((unit) => unit.id === "common:welcome")).toMatchObject({ target: filled["common:welcome"], state: "signed-off" });
    expect(document.units.find((unit) => unit.id === "topic:checkups")).toMatchObject({
      target: filled["topic:checkups"],
      state: "needs-review-translation",
      stateQualifier: "mt-suggestion",
    });
  });

  it("reports bad units by position and key, and writes nothing", async () => {
    const file = await xliffFile({
      "common:call": { target: "Hu {{lub npe}}: {{phone}}" },
      "topic:quiz.question": { target: "Lo lus nug?", source: "Câu hỏi cũ?" },
      "topic:checkups": { target: "Mus kuaj 4 zaug, 1900 969 680" },
    });
    const result = await runImport(file);
    expect(result.problems.map((problem) => `${problem.place} ${problem.key}: ${problem.message.split(":")[0]}`)).toEqual([
      "unit 1 common:call: placeholders differ",
      "unit 5 topic:checkups: states 1900 969 680, which neither the vi text nor sources.yaml does",
      "unit 13 topic:quiz.question: outdated",
    ]);
    expect(await readdir(join(dirs.contentDir, "hmn"))).toEqual(["common.json"]);
  });

  it("refuses a file for another target language", async () => {
    const file = await xliffFile({});
    const read = await readTranslationFile(file, "km");
    expect(read.problems).toEqual([{ place: "file", message: 'target-language is "hmn", not km' }]);
  });
});
