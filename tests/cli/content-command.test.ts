import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { runContent } from "../../src/cli/content-command.ts";
import { parseCsv, writeCsv } from "../../src/tables/csv.ts";
import { copyTranslationFixture } from "../content/translation-fixture.ts";

let dirs: { root: string; contentDir: string; flowsDir: string };
let lines: string[];

beforeEach(async () => {
  dirs = await copyTranslationFixture();
  lines = [];
});

const content = (...args: string[]) =>
  runContent({ args, contentDir: dirs.contentDir, flowsDir: dirs.flowsDir, cwd: dirs.root, today: "2026-11-26", write: (line) => lines.push(line) });

describe("loa content coverage", () => {
  it("prints text and audio coverage per locale and per namespace, and writes the CSV matrix", async () => {
    await mkdir(join(dirs.contentDir, "media", "hmn", "topic"), { recursive: true });
    await writeFile(join(dirs.contentDir, "media", "hmn", "topic", "checkups.ogg"), "OggS");
    expect(await content("coverage")).toBe(0);
    const output = lines.join("\n");
    expect(output).toContain("Coverage of the 13 vi keys");
    expect(output).toMatch(/^hmn\s+Tiếng Mông\s+draft\s+1\/13 \(8%\)\s+0\s+0\s+1\/13 \(8%\)$/m);
    expect(output).toMatch(/^en\s+Tiếng Anh\s+reviewed\s+13\/13 \(100%\)\s+13\s+0\s+0\/13 \(0%\)$/m);
    expect(output).toContain("Offered to people: vi, en");
    expect(output).toMatch(/^topic\s+9\s+9\/9\/0\s+9\/9\/0\s+0\/0\/1\s+0\/0\/0$/m);
    const [header, ...rows] = parseCsv(await readFile(join(dirs.root, "coverage.csv"), "utf8"));
    expect(header).toEqual(["key", "vi text", "en text", "hmn text", "km text", "vi audio", "en audio", "hmn audio", "km audio"]);
    expect(rows).toHaveLength(13);
    expect(rows.find((row) => row[0] === "common:welcome")).toEqual(["common:welcome", "reviewed", "reviewed", "draft", "missing", "no", "no", "no", "no"]);
    expect(rows.find((row) => row[0] === "topic:checkups")).toEqual(["topic:checkups", "reviewed", "reviewed", "missing", "missing", "no", "no", "yes", "no"]);
  });

  it("writes the matrix where --out says, creating its folder", async () => {
    expect(await content("coverage", "--out", "reports/matrix.csv")).toBe(0);
    expect(await readFile(join(dirs.root, "reports", "matrix.csv"), "utf8")).toContain("key,vi text");
  });
});

describe("loa content export and import", () => {
  it("round-trips a CSV: export, fill in, import with a reviewer, export again", async () => {
    expect(await content("export", "--locale", "hmn", "--format", "csv")).toBe(0);
    const file = join(dirs.root, "translation-hmn.csv");
    expect(lines.at(-1)).toBe(`Wrote ${file}: 13 texts for hmn, 13 not reviewed yet.`);
    const [header = [], ...rows] = parseCsv(await readFile(file, "utf8"));
    const translation = header.indexOf("translation (hmn)");
    const more = rows.find((row) => row[0] === "topic:more.yes");
    if (more === undefined) throw new Error("no topic:more.yes row");
    more[translation] = "Nyeem ntxiv";
    await writeFile(file, writeCsv([header, ...rows]));

    lines = [];
    expect(await content("import", "translation-hmn.csv", "--locale", "hmn", "--reviewed-by", "Giàng Thị Mỷ")).toBe(0);
    expect(lines[0]).toBe("hmn: 1 text(s) changed, 1 unchanged, 11 left empty; 2 recorded as reviewed by Giàng Thị Mỷ.");
    expect(await readFile(join(dirs.contentDir, "hmn", "topic.json"), "utf8")).toBe('{\n  "more": {\n    "yes": "Nyeem ntxiv"\n  }\n}\n');

    expect(await content("export", "--locale", "hmn", "--format", "xliff", "--out", "again.xlf")).toBe(0);
    const xliff = await readFile(join(dirs.root, "again.xlf"), "utf8");
    expect(xliff).toMatch(/<source>Xem tiếp<\/source>\s*<target state="signed-off">Nyeem ntxiv<\/target>/);
  });

  it("reports every problem with its row and key, exits 1 and imports nothing", async () => {
    expect(await content("export", "--locale", "hmn")).toBe(0);
    const file = join(dirs.root, "translation-hmn.csv");
    const [header = [], ...rows] = parseCsv(await readFile(file, "utf8"));
    const translation = header.indexOf("translation (hmn)");
    for (const row of rows) {
      if (row[0] === "topic:more.yes") row[translation] = "Nyeem ntxiv 2";
      if (row[0] === "topic:more.no") row[translation] = "Tsis txhob nyeem ntxiv lawm os";
    }
    await writeFile(file, writeCsv([header, ...rows]));
    lines = [];
    expect(await content("import", file, "--locale", "hmn")).toBe(1);
    expect(lines).toEqual([
      "error: row 7 topic:more.no: too long: 30 characters; the limit here is 24",
      "error: row 9 topic:more.yes: states 2, which neither the vi text nor sources.yaml does: a translation adds no facts",
      "2 problem(s); nothing was imported.",
    ]);
    expect(await readFile(join(dirs.contentDir, "hmn", "common.json"), "utf8")).toContain("TEST DATA hmn welcome");
  });

  it("answers a wrong command line with the usage and exit code 2", async () => {
    expect(await content("export")).toBe(2);
    expect(await content("export", "--locale", "hmn", "--format", "docx")).toBe(2);
    expect(await content("import", "--locale", "hmn")).toBe(2);
    expect(await content("translate")).toBe(2);
    expect(await content("coverage", "--colour")).toBe(2);
    expect(lines.join("\n")).toContain("usage: loa content coverage");
  });

  it("says so when the locale is not registered", async () => {
    expect(await content("export", "--locale", "xx")).toBe(1);
    expect(lines).toEqual(['error: "xx" is not a locale in locales.yaml']);
  });
});
