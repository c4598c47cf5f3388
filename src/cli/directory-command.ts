import { resolve } from "node:path";
import { createReferenceDataSource } from "../bot/reference-data-source.ts";
import type { Config } from "../config.ts";
import type { DirectoryEntry, FileDirectoryEntry } from "../directory/directory-entry.ts";
import { loadDirectory } from "../directory/directory-loader.ts";
import { exportHelpEntries, HelpEntryImportError, importHelpEntries } from "../directory/help-entry-import.ts";
import { createHelpEntryStore } from "../directory/help-entry-store.ts";
import type { HelpEntryChecks } from "../directory/help-entry-table.ts";
import { isStale, verifiedMonth } from "../directory/help-staleness.ts";
import { LoaError } from "../errors.ts";
import type { DatabaseClient } from "../store/database.ts";
import { openMigratedDatabase } from "../store/migrate.ts";

/** What `loa directory …` was asked to do. */
export type DirectoryAction =
  | { name: "import"; file: string; dryRun: boolean }
  | { name: "export"; file: string }
  | { name: "list"; provinceCode?: string; staleOnly: boolean };

/** Printed when the arguments make no sense. */
export const directoryUsage =
  "usage: loa directory import <file.csv|file.xlsx> [--dry-run] | export <file.csv|file.xlsx> | list [--province <code>] [--stale]";

/** The action the command line names, or undefined when it names none (the caller prints the usage). */
export function parseDirectoryArgs(args: readonly string[]): DirectoryAction | undefined {
  const [name, ...rest] = args;
  const flags = rest.filter((arg) => arg.startsWith("--"));
  const [file, ...more] = rest.filter((arg) => !arg.startsWith("--"));
  const oneFile = file !== undefined && more.length === 0;
  if (name === "import" && oneFile && flags.every((flag) => flag === "--dry-run")) return { name, file, dryRun: flags.length > 0 };
  if (name === "export" && oneFile && flags.length === 0) return { name, file };
  if (name !== "list") return undefined;
  let provinceCode: string | undefined;
  let staleOnly = false;
  for (let index = 0; index < rest.length; index += 1) {
    const arg = rest[index];
    const next = rest[index + 1];
    if (arg === "--stale") staleOnly = true;
    else if (arg === "--province" && next !== undefined && !next.startsWith("--") && provinceCode === undefined) {
      provinceCode = next;
      index += 1;
    } else return undefined;
  }
  return { name, staleOnly, ...(provinceCode === undefined ? {} : { provinceCode }) };
}

/** Place checks built from the Place table, loaded once: an import checks every row against it. */
async function placeChecks(db: DatabaseClient, now: Date): Promise<{ checks: HelpEntryChecks; placeCount: number }> {
  const places = await db.place.findMany({ select: { code: true, provinceCode: true } });
  const provinceOfPlace = new Map(places.map((place) => [place.code, place.provinceCode ?? undefined]));
  return {
    checks: { placeExists: (code) => provinceOfPlace.has(code), provinceOf: (code) => provinceOfPlace.get(code), now },
    placeCount: places.length,
  };
}

/** "1 entry", "3 entries". */
function entriesText(count: number): string {
  return `${count} ${count === 1 ? "entry" : "entries"}`;
}

function whereText(entry: DirectoryEntry): string {
  if (entry.scope === "national") return "national";
  if (entry.scope === "province") return `province ${entry.provinceCode ?? "?"}`;
  return `commune ${entry.communeCode ?? "?"} (province ${entry.provinceCode ?? "?"})`;
}

/** One entry per line for staff; a stale one says so with the month it was last checked. */
function listLine(entry: DirectoryEntry, stale: boolean): string {
  const flag = stale ? `  STALE: last checked ${verifiedMonth(entry.verifiedOn)}` : "";
  return `${entry.id}  ${entry.phone}  ${entry.name}  ${whereText(entry)}  verified ${entry.verifiedOn}${flag}`;
}

/** What `runDirectory` works with: an open database, the shipped national entries and the clock. */
export type DirectoryCommandDeps = {
  database: DatabaseClient;
  /** The content/directory entries, listed beside the imported ones when no province is asked for. */
  nationalEntries: readonly FileDirectoryEntry[];
  now: Date;
  staleMonths: number;
  write: (line: string) => void;
};

async function runImport(action: Extract<DirectoryAction, { name: "import" }>, deps: DirectoryCommandDeps): Promise<number> {
  const store = createHelpEntryStore(deps.database, () => deps.now);
  const { checks, placeCount } = await placeChecks(deps.database, deps.now);
  try {
    const summary = await importHelpEntries(action.file, { store, checks, dryRun: action.dryRun });
    const count = `${entriesText(summary.entries.length)}: ${summary.added} new, ${summary.updated} replacing stored ones`;
    deps.write(summary.written ? `imported ${count}` : `checked ${count}; nothing was written (dry run)`);
    const stale = summary.entries.filter((entry) => isStale(entry, deps.now, deps.staleMonths));
    for (const entry of stale) deps.write(listLine(entry, true));
    if (stale.length > 0) deps.write(`to check again, verified more than ${deps.staleMonths} months ago: ${entriesText(stale.length)}`);
    return 0;
  } catch (error) {
    if (!(error instanceof HelpEntryImportError)) throw error;
    if (placeCount === 0) deps.write("the place list is empty, so no province or commune code can be checked: import the places first");
    for (const problem of error.problems) deps.write(`row ${problem.row}${problem.column === undefined ? "" : `, ${problem.column}`}: ${problem.message}`);
    deps.write(error.message);
    return 1;
  }
}

async function runList(action: Extract<DirectoryAction, { name: "list" }>, deps: DirectoryCommandDeps): Promise<number> {
  const store = createHelpEntryStore(deps.database, () => deps.now);
  const local = await store.list(action.provinceCode === undefined ? {} : { provinceCode: action.provinceCode });
  const entries: DirectoryEntry[] = action.provinceCode === undefined ? [...deps.nationalEntries, ...local] : local;
  const shown = entries
    .map((entry) => ({ entry, stale: isStale(entry, deps.now, deps.staleMonths) }))
    .filter(({ stale }) => stale || !action.staleOnly);
  for (const { entry, stale } of shown) deps.write(listLine(entry, stale));
  const staleCount = shown.filter(({ stale }) => stale).length;
  deps.write(`${entriesText(shown.length)}, ${staleCount} verified more than ${deps.staleMonths} months ago`);
  return 0;
}

/**
 * `loa directory import|export|list`: how staff keep the local help entries. `import` reads a CSV or XLSX file
 * all or nothing and prints every problem with its row and column; `--dry-run` only checks it. `export` writes
 * the stored entries in the same columns, to correct and import again. `list` shows the national and imported
 * entries (one province's with `--province`), flagging those verified longer ago than DIRECTORY_STALE_MONTHS;
 * `--stale` shows only those. Returns the exit code: 1 when the file had problems or could not be read.
 */
export async function runDirectory(action: DirectoryAction, deps: DirectoryCommandDeps): Promise<number> {
  try {
    if (action.name === "import") return await runImport(action, deps);
    if (action.name === "list") return await runList(action, deps);
    const entries = await createHelpEntryStore(deps.database, () => deps.now).list();
    await exportHelpEntries(action.file, entries);
    deps.write(`exported ${entriesText(entries.length)} to ${action.file}`);
    return 0;
  } catch (error) {
    if (!(error instanceof LoaError)) throw error;
    deps.write(`error: ${error.message}`);
    return 1;
  }
}

/** The `loa directory` command from `src/main.ts`: parses the arguments, opens the database, runs, closes. */
export async function runDirectoryCommand(options: {
  config: Config;
  projectRoot: string;
  args: readonly string[];
  write: (line: string) => void;
}): Promise<number> {
  const action = parseDirectoryArgs(options.args);
  if (action === undefined) {
    options.write(directoryUsage);
    return 2;
  }
  const nationalEntries = await loadDirectory(resolve(options.projectRoot, options.config.CONTENT_DIR, "directory"));
  const contentDir = resolve(options.projectRoot, options.config.CONTENT_DIR);
  const database = await openMigratedDatabase({ url: options.config.DATABASE_URL, poolSize: 1, projectRoot: options.projectRoot });
  try {
    // On a new database the place list is empty until Loa first starts; store the shipped one so codes can be checked.
    await createReferenceDataSource({ db: database.client, contentDir, now: () => new Date() }).seed();
    return await runDirectory(action, {
      database: database.client,
      nationalEntries,
      now: new Date(),
      staleMonths: options.config.DIRECTORY_STALE_MONTHS,
      write: options.write,
    });
  } finally {
    await database.close();
  }
}
