import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { coverageReport } from "../content/content-coverage.ts";
import { rootLocale } from "../content/locale-registry.ts";
import { loadMediaLibrary, type MediaLibrary } from "../content/media-library.ts";
import {
  loadTranslationContext,
  translationCsv,
  translationRows,
  translationXliff,
  type TranslationContext,
} from "../content/translation-export.ts";
import { importTranslations, readTranslationFile } from "../content/translation-import.ts";
import { LoaError } from "../errors.ts";
import { writeTableFile } from "../tables/table-file.ts";

/**
 * `loa content coverage | export | import`: what staff and translators run to see how far each language
 * is, hand texts to a translator, and take translations and reviews back. Returns the exit code: 0 done,
 * 1 problems found (nothing written), 2 a wrong command line.
 */

const usage =
  "usage: loa content coverage [--out coverage.csv]\n" +
  "       loa content export --locale <code> [--format csv|xliff] [--out <file>]\n" +
  '       loa content import <file> --locale <code> [--reviewed-by "Name"] [--accept-outdated] [--dry-run]';

/** Where the command runs: folders, the working directory for relative paths, today's date and output. */
export type ContentCommandOptions = {
  args: readonly string[];
  contentDir: string;
  flowsDir: string;
  cwd: string;
  /** YYYY-MM-DD, written in review records. */
  today: string;
  write: (line: string) => void;
};

type ParsedArgs = { positional: string[]; values: Map<string, string>; flags: Set<string> };

const valueOptions = new Set(["--out", "--locale", "--format", "--reviewed-by"]);
const flagOptions = new Set(["--dry-run", "--accept-outdated"]);

function parseArgs(args: readonly string[]): ParsedArgs | string {
  const parsed: ParsedArgs = { positional: [], values: new Map(), flags: new Set() };
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    if (flagOptions.has(arg)) parsed.flags.add(arg);
    else if (valueOptions.has(arg)) {
      const value = args[index + 1];
      if (value === undefined || value.startsWith("--")) return `${arg} needs a value`;
      parsed.values.set(arg, value);
      index += 1;
    } else if (arg.startsWith("--")) return `unknown option ${arg}`;
    else parsed.positional.push(arg);
  }
  return parsed;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "-" : `${Math.round((part * 100) / whole)}%`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows.reduce<number[]>((max, row) => row.map((cell, index) => Math.max(max[index] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join("  ").trimEnd());
}

/**
 * The coverage report: per locale, how many Vietnamese keys have text, how many are reviewed or outdated,
 * how many have a voice note; then the same per namespace; and a CSV matrix of every key.
 */
async function coverage(context: TranslationContext, media: MediaLibrary, options: ContentCommandOptions, out: string): Promise<number> {
  const report = coverageReport(context, media);
  const total = report.keys.length;
  const locales = report.locales.map((locale) => locale.code);
  options.write(`Coverage of the ${total} ${rootLocale} keys`);
  const localeRows = report.locales.map((locale) => [
    locale.code,
    locale.nameVi,
    locale.status,
    `${locale.text}/${total} (${percent(locale.text, total)})`,
    String(locale.reviewed),
    String(locale.outdated),
    `${locale.audio}/${total} (${percent(locale.audio, total)})`,
  ]);
  for (const line of table([["locale", "language", "status", "text", "reviewed", "outdated", "audio"], ...localeRows])) options.write(line);
  options.write(`Offered to people: ${report.locales.filter((locale) => locale.offered).map((locale) => locale.code).join(", ")}`);

  options.write("");
  options.write("By namespace (keys with text / reviewed / with audio):");
  const namespaceRows = report.namespaces.map(({ namespace, keys, byLocale }) => [
    namespace,
    String(keys),
    ...locales.map((locale) => {
      const counts = byLocale[locale];
      return counts === undefined ? "" : `${counts.text}/${counts.reviewed}/${counts.audio}`;
    }),
  ]);
  for (const line of table([["namespace", "keys", ...locales], ...namespaceRows])) options.write(line);

  await mkdir(dirname(out), { recursive: true });
  await writeTableFile(
    out,
    [
      ["key", ...locales.map((locale) => `${locale} text`), ...locales.map((locale) => `${locale} audio`)],
      ...report.keys.map((key) => [key, ...locales.map((locale) => report.statusOf(locale, key)), ...locales.map((locale) => (report.hasAudio(locale, key) ? "yes" : "no"))]),
    ],
    "coverage",
  );
  options.write("");
  options.write(`Wrote ${out}: one row per key, each locale's text status (reviewed, draft, outdated, missing) and audio (yes, no).`);
  return 0;
}

async function exportTranslations(context: TranslationContext, args: ParsedArgs, options: ContentCommandOptions): Promise<number> {
  const locale = args.values.get("--locale");
  const format = args.values.get("--format") ?? "csv";
  if (locale === undefined || (format !== "csv" && format !== "xliff") || args.positional.length > 1) {
    options.write(usage);
    return 2;
  }
  const rows = translationRows(context, locale);
  const out = resolve(options.cwd, args.values.get("--out") ?? `translation-${locale}.${format === "csv" ? "csv" : "xlf"}`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, format === "csv" ? translationCsv(locale, rows) : translationXliff(locale, rows), "utf8");
  const open = rows.filter((row) => row.status !== "reviewed").length;
  options.write(`Wrote ${out}: ${rows.length} texts for ${locale}, ${open} not reviewed yet.`);
  return 0;
}

async function importFile(context: TranslationContext, args: ParsedArgs, options: ContentCommandOptions): Promise<number> {
  const locale = args.values.get("--locale");
  const file = args.positional[1];
  if (locale === undefined || file === undefined || args.positional.length > 2) {
    options.write(usage);
    return 2;
  }
  const read = await readTranslationFile(resolve(options.cwd, file), locale);
  const reviewedBy = args.values.get("--reviewed-by")?.trim();
  const dryRun = args.flags.has("--dry-run");
  const result = await importTranslations(context, {
    contentDir: options.contentDir,
    locale,
    rows: read.rows,
    ...(reviewedBy === undefined || reviewedBy === "" ? {} : { reviewedBy }),
    acceptOutdated: args.flags.has("--accept-outdated"),
    dryRun: dryRun || read.problems.length > 0,
    on: options.today,
  });
  const problems = [...read.problems, ...result.problems];
  if (problems.length > 0) {
    for (const problem of problems) options.write(`error: ${problem.place}${problem.key ? ` ${problem.key}` : ""}: ${problem.message}`);
    options.write(`${problems.length} problem(s); nothing was imported.`);
    return 1;
  }
  const would = dryRun ? "would be " : "";
  options.write(
    `${locale}: ${result.changed.length} text(s) ${would}changed, ${result.unchanged} unchanged, ${result.skipped} left empty; ` +
      `${result.reviewed.length} ${would}recorded as reviewed${reviewedBy ? ` by ${reviewedBy}` : ""}.`,
  );
  if (result.machineDrafts.length > 0) {
    options.write(`${result.machineDrafts.length} machine-made text(s) kept as draft, not reviewed: ${result.machineDrafts.join(", ")}`);
  }
  if (result.outdated.length > 0) {
    options.write(`${result.outdated.length} outdated translation(s) imported as draft: ${result.outdated.join(", ")}`);
  }
  for (const written of result.files) options.write(`wrote ${written}`);
  if (dryRun) options.write("Dry run: nothing was written.");
  return 0;
}

/** Runs `loa content <coverage|export|import> …`. */
export async function runContent(options: ContentCommandOptions): Promise<number> {
  const args = parseArgs(options.args);
  if (typeof args === "string") {
    options.write(`${args}\n${usage}`);
    return 2;
  }
  const action = args.positional[0];
  if (action !== "coverage" && action !== "export" && action !== "import") {
    options.write(usage);
    return 2;
  }
  try {
    const context = await loadTranslationContext(options.contentDir, options.flowsDir);
    if (action === "export") return await exportTranslations(context, args, options);
    if (action === "import") return await importFile(context, args, options);
    if (args.positional.length > 1) {
      options.write(usage);
      return 2;
    }
    const media = await loadMediaLibrary(options.contentDir);
    return await coverage(context, media, options, resolve(options.cwd, args.values.get("--out") ?? "coverage.csv"));
  } catch (error) {
    if (error instanceof LoaError) {
      options.write(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
