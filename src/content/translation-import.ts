import { access, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { z } from "zod";
import { isBlankRow, readTableFile } from "../tables/table-file.ts";
import type { ContentValue } from "./content-catalog.ts";
import { ContentError } from "./content-error.ts";
import { numbersIn, placeholdersOf } from "./content-lint.ts";
import { readJsonFile } from "./data-file.ts";
import { rootLocale } from "./locale-registry.ts";
import { hashText, isReview, normalizeText, saveReviewRecords, type LedgerRecord } from "./review-ledger.ts";
import { characterLimit, csvColumns, translatableLocale, type TranslationContext } from "./translation-export.ts";
import { parseXliff } from "./xliff.ts";

/**
 * Reads a translator's file back (CSV, XLSX or XLIFF) and writes the translations into
 * `content/<locale>/<namespace>.json`, all or nothing: one bad row stops the whole import, and every bad
 * row is reported at once so the translator fixes them in one pass. A translation may not add facts (a
 * number the Vietnamese does not state), drop placeholders, or exceed the limit of where it is shown.
 * Machine-made text is imported as draft text and never recorded as reviewed by the same import.
 */

/** How a translation was made: by a person, raw machine output, or machine output a person corrected. */
export type TranslationOrigin = "human" | "machine" | "machine-assisted";

/** One translation as read from a file; `place` is how the translator finds it ("row 5", "unit 3"). */
export type ImportRow = { place: string; key: string; source: string; translation: string; origin: TranslationOrigin };

/** Something wrong with one row (or with the file, when `key` is absent). */
export type ImportProblem = { place: string; key?: string; message: string };

const csvOrigins: Readonly<Record<string, TranslationOrigin>> = {
  "": "human",
  human: "human",
  machine: "machine",
  "machine-assisted": "machine-assisted",
};

/** XLIFF state qualifiers that mean the target came from machine translation. */
const machineQualifiers: ReadonlySet<string> = new Set(["mt-suggestion", "leveraged-mt"]);

function rowsFromTable(table: readonly (readonly string[])[], locale: string): { rows: ImportRow[]; problems: ImportProblem[] } {
  const [header = [], ...body] = table;
  const column = (name: string) => header.findIndex((cell) => cell.trim().toLowerCase() === name.toLowerCase());
  const translationColumns = header.flatMap((cell) => /^translation \(([a-z]{2,3})\)$/i.exec(cell.trim())?.[1]?.toLowerCase() ?? []);
  const problems: ImportProblem[] = [];
  const keyColumn = column(csvColumns.key);
  const sourceColumn = column(csvColumns.source);
  const translationColumn = column(csvColumns.translation(locale));
  const originColumn = column(csvColumns.origin);
  if (keyColumn < 0) problems.push({ place: "row 1", message: `no "${csvColumns.key}" column` });
  if (sourceColumn < 0) problems.push({ place: "row 1", message: `no "${csvColumns.source}" column` });
  if (translationColumn < 0) {
    const other = translationColumns.length > 0 ? `; this file is for ${translationColumns.join(", ")}` : "";
    problems.push({ place: "row 1", message: `no "${csvColumns.translation(locale)}" column${other}` });
  }
  if (problems.length > 0) return { rows: [], problems };
  const rows: ImportRow[] = [];
  body.forEach((cells, index) => {
    if (isBlankRow(cells)) return;
    const place = `row ${index + 2}`;
    const key = (cells[keyColumn] ?? "").trim();
    const originCell = originColumn < 0 ? "" : (cells[originColumn] ?? "").trim().toLowerCase();
    const origin = csvOrigins[originCell];
    if (origin === undefined) {
      problems.push({ place, key, message: `origin "${originCell}" is not one of: (empty), human, machine, machine-assisted` });
      return;
    }
    rows.push({ place, key, source: cells[sourceColumn] ?? "", translation: cells[translationColumn] ?? "", origin });
  });
  return { rows, problems };
}

/**
 * Reads the rows of a translator's file: `.csv` or `.xlsx` (columns found by their header, as exported) or
 * `.xlf`/`.xliff` (XLIFF 1.2, whose target-language must be `locale`).
 */
export async function readTranslationFile(file: string, locale: string): Promise<{ rows: ImportRow[]; problems: ImportProblem[] }> {
  const extension = extname(file).toLowerCase();
  if (extension === ".csv" || extension === ".xlsx") return rowsFromTable(await readTableFile(file), locale);
  if (extension !== ".xlf" && extension !== ".xliff") {
    throw new ContentError(`${file}: import reads .csv, .xlsx, .xlf or .xliff files`, "content:file-invalid", { context: { file } });
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new ContentError(`cannot read ${file}`, "content:file-unreadable", { cause, context: { file } });
  }
  const { document, problems: unitProblems } = parseXliff(text, file);
  const problems: ImportProblem[] = unitProblems.map((problem) => ({
    place: `unit ${problem.unit}`,
    ...(problem.id === undefined ? {} : { key: problem.id }),
    message: problem.message,
  }));
  if (document.targetLanguage.toLowerCase() !== locale) {
    problems.unshift({ place: "file", message: `target-language is "${document.targetLanguage}", not ${locale}` });
  }
  if (document.sourceLanguage.toLowerCase() !== rootLocale) {
    problems.unshift({ place: "file", message: `source-language is "${document.sourceLanguage}", not ${rootLocale}` });
  }
  const rows = document.units.map(
    (unit, index): ImportRow => ({
      place: `unit ${index + 1}`,
      key: unit.id,
      source: unit.source,
      translation: unit.target ?? "",
      origin: unit.stateQualifier !== undefined && machineQualifiers.has(unit.stateQualifier) ? "machine" : "human",
    }),
  );
  return { rows, problems };
}

/** How an import should treat the rows. `on` is the date written in new records (YYYY-MM-DD). */
export type ImportOptions = {
  contentDir: string;
  locale: string;
  rows: readonly ImportRow[];
  /** The speaker who reviewed these translations; without it nothing is recorded as reviewed. */
  reviewedBy?: string;
  /** Import translations made against an older Vietnamese text, as draft text. */
  acceptOutdated: boolean;
  dryRun: boolean;
  on: string;
};

/** What an import did, or would do on a dry run; nothing is written when `problems` is not empty. */
export type ImportResult = {
  problems: ImportProblem[];
  changed: string[];
  unchanged: number;
  skipped: number;
  reviewed: string[];
  machineDrafts: string[];
  outdated: string[];
  files: string[];
};

/** Numbers the translation states that neither the Vietnamese text nor the key's sources.yaml entry states. */
function addedNumbers(source: string, translation: string, declared: readonly string[]): string[] {
  const allowed = new Set([...numbersIn(source), ...declared].map((number) => number.replace(/\s/g, "")));
  return [...new Set(numbersIn(translation).filter((number) => !allowed.has(number.replace(/\s/g, ""))))];
}

function valueOf(source: ContentValue, translation: string): ContentValue | undefined {
  const text = normalizeText(translation);
  if (text === "") return undefined;
  if (typeof source === "string") return text;
  const words = text.split("\n").map((word) => word.trim()).filter((word) => word !== "");
  return words.length === 0 ? undefined : words;
}

type Accepted = { key: string; value: ContentValue; record: LedgerRecord | undefined; outdated: boolean };

/** Checks one row; returns the text to store and the record to keep, or the problems. */
function checkRow(
  context: TranslationContext,
  options: ImportOptions,
  row: ImportRow,
): { accepted?: Accepted; skipped?: true; problems: string[] } {
  const { catalog, reviews, usages } = context;
  const source = catalog.value(rootLocale, row.key);
  if (source === undefined) return { problems: [`unknown key: ${rootLocale} has no "${row.key}"`] };
  const sourceText = typeof source === "string" ? source : source.join("\n");
  const existing = catalog.value(options.locale, row.key);
  const value = valueOf(source, row.translation);
  if (value === undefined) {
    if (existing === undefined) return { skipped: true, problems: [] };
    return { problems: [`empty: ${options.locale} has a text for this key; to remove it, edit content/${options.locale}/ by hand`] };
  }
  const problems: string[] = [];
  const outdated = normalizeText(row.source) !== normalizeText(sourceText);
  if (outdated && !options.acceptOutdated) {
    problems.push(`outdated: the ${rootLocale} text changed since this file was exported; translate the new text (or use --accept-outdated to import it as draft)`);
  }
  const text = typeof value === "string" ? value : value.join("\n");
  if (typeof source === "string") {
    const list = (names: string[]) => (names.length === 0 ? "none" : names.map((name) => `{{${name}}}`).join(", "));
    const expected = list(placeholdersOf(source));
    const actual = list(placeholdersOf(text));
    if (expected !== actual) problems.push(`placeholders differ: ${rootLocale} uses ${expected}, the translation uses ${actual}`);
  }
  const added = addedNumbers(sourceText, text, context.sources[row.key]?.numbers ?? []);
  if (added.length > 0) {
    problems.push(`states ${added.join(", ")}, which neither the ${rootLocale} text nor sources.yaml does: a translation adds no facts`);
  }
  const limit = characterLimit(usages.get(row.key) ?? [], sourceText);
  if (text.length > limit) problems.push(`too long: ${text.length} characters; the limit here is ${limit}`);
  if (problems.length > 0) return { problems };

  const previous = reviews.record(options.locale, row.key);
  const unchanged = existing !== undefined && hashText(existing) === hashText(value);
  const fromMachine = row.origin !== "human" || previous?.origin === "machine" || previous?.origin === "machine-assisted";
  const sourceHash = hashText(outdated ? row.source : source);
  const textHash = hashText(value);
  let record: LedgerRecord | undefined;
  if (row.origin === "machine") {
    record = previous?.origin === "machine" && unchanged ? previous : { origin: "machine", on: options.on, sourceHash, textHash };
  } else if (options.reviewedBy !== undefined && !outdated) {
    record =
      isReview(previous) && unchanged && previous.sourceHash === sourceHash
        ? previous
        : { origin: fromMachine ? "machine-assisted" : "human", reviewer: options.reviewedBy, on: options.on, sourceHash, textHash };
  } else if (unchanged) {
    record = previous;
  } else {
    record = fromMachine ? { origin: "machine", on: options.on, sourceHash, textHash } : undefined;
  }
  return { accepted: { key: row.key, value, record, outdated }, problems: [] };
}

type Tree = { [segment: string]: string | string[] | Tree };
const treeSchema: z.ZodType<Tree> = z.lazy(() => z.record(z.string(), z.union([z.string(), z.array(z.string()), treeSchema])));

function flatEntries(tree: Tree, prefix = ""): Array<[string, ContentValue]> {
  return Object.entries(tree).flatMap(([segment, value]): Array<[string, ContentValue]> => {
    const path = prefix === "" ? segment : `${prefix}.${segment}`;
    return typeof value === "string" || Array.isArray(value) ? [[path, value]] : flatEntries(value, path);
  });
}

async function readNamespace(file: string): Promise<Array<[string, ContentValue]>> {
  try {
    await access(file);
  } catch (cause) {
    if (cause instanceof Error && "code" in cause && cause.code === "ENOENT") return [];
    throw new ContentError(`cannot read ${file}`, "content:file-unreadable", { cause, context: { file } });
  }
  return flatEntries(await readJsonFile(file, treeSchema));
}

function nest(entries: ReadonlyArray<readonly [string, ContentValue]>, file: string): Tree {
  const tree: Tree = {};
  for (const [path, value] of entries) {
    const segments = path.split(".");
    let node: Tree = tree;
    segments.slice(0, -1).forEach((segment) => {
      const next = node[segment] ?? {};
      if (typeof next === "string" || Array.isArray(next)) {
        throw new ContentError(`${file}: "${path}" sits under "${segment}", which is a text`, "content:file-invalid", { context: { file, key: path } });
      }
      node[segment] = next;
      node = next;
    });
    node[segments[segments.length - 1] ?? path] = typeof value === "string" ? value : [...value];
  }
  return tree;
}

/**
 * Writes one namespace of a locale: its keys in the order of the Vietnamese file (then the keys only this
 * locale has), as 2-space JSON with a trailing newline, so re-importing the same text changes nothing.
 */
async function writeNamespace(contentDir: string, locale: string, namespace: string, changes: ReadonlyMap<string, ContentValue>): Promise<string> {
  const file = join(contentDir, locale, `${namespace}.json`);
  const current = new Map(await readNamespace(file));
  for (const [path, value] of changes) current.set(path, value);
  const order = (await readNamespace(join(contentDir, rootLocale, `${namespace}.json`))).map(([path]) => path);
  const ordered = [...order.filter((path) => current.has(path)), ...[...current.keys()].filter((path) => !order.includes(path))];
  const tree = nest(
    ordered.flatMap((path): Array<[string, ContentValue]> => {
      const value = current.get(path);
      return value === undefined ? [] : [[path, value]];
    }),
    file,
  );
  await mkdir(join(contentDir, locale), { recursive: true });
  const temporary = `${file}.importing`;
  await writeFile(temporary, `${JSON.stringify(tree, null, 2)}\n`, "utf8");
  await rename(temporary, file);
  return file;
}

function sameRecords(a: ReadonlyMap<string, LedgerRecord>, b: ReadonlyMap<string, LedgerRecord>): boolean {
  return a.size === b.size && [...a].every(([key, record]) => JSON.stringify(b.get(key)) === JSON.stringify(record));
}

/**
 * Checks every row, then (unless a row has a problem, or it is a dry run) writes the changed namespaces
 * and the locale's review records. A row marked as machine-made is stored as draft text with a machine
 * draft record, and is never recorded as reviewed here, even with `reviewedBy`.
 */
export async function importTranslations(context: TranslationContext, options: ImportOptions): Promise<ImportResult> {
  translatableLocale(context.registry, options.locale);
  const result: ImportResult = { problems: [], changed: [], unchanged: 0, skipped: 0, reviewed: [], machineDrafts: [], outdated: [], files: [] };
  const firstPlace = new Map<string, string>();
  const accepted: Accepted[] = [];
  for (const row of options.rows) {
    const earlier = firstPlace.get(row.key);
    if (earlier !== undefined) {
      result.problems.push({ place: row.place, key: row.key, message: `the key appears twice (first at ${earlier})` });
      continue;
    }
    firstPlace.set(row.key, row.place);
    const checked = checkRow(context, options, row);
    for (const message of checked.problems) result.problems.push({ place: row.place, key: row.key, message });
    if (checked.skipped) result.skipped += 1;
    if (checked.accepted) accepted.push(checked.accepted);
  }
  if (result.problems.length > 0) return { ...result, changed: [], reviewed: [], machineDrafts: [], outdated: [] };

  const before = context.reviews.records(options.locale);
  const records = new Map(before);
  const changes = new Map<string, Map<string, ContentValue>>();
  for (const { key, value, record, outdated } of accepted) {
    const existing = context.catalog.value(options.locale, key);
    if (existing !== undefined && hashText(existing) === hashText(value)) result.unchanged += 1;
    else {
      result.changed.push(key);
      const [namespace = "", path = ""] = key.split(/:(.*)/s);
      changes.set(namespace, (changes.get(namespace) ?? new Map<string, ContentValue>()).set(path, value));
    }
    if (record === undefined) records.delete(key);
    else records.set(key, record);
    if (isReview(record) && record !== before.get(key)) result.reviewed.push(key);
    if (record?.origin === "machine") result.machineDrafts.push(key);
    if (outdated) result.outdated.push(key);
  }
  if (options.dryRun) return result;
  for (const [namespace, namespaceChanges] of [...changes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    result.files.push(await writeNamespace(options.contentDir, options.locale, namespace, namespaceChanges));
  }
  if (!sameRecords(before, records)) {
    await saveReviewRecords(options.contentDir, options.locale, records);
    result.files.push(join(options.contentDir, "reviews", `${options.locale}.yaml`));
  }
  return result;
}
