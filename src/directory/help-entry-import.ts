import { readTableFile, writeTableFile } from "../tables/table-file.ts";
import type { StaffDirectoryEntry } from "./directory-entry.ts";
import { DirectoryError } from "./directory-error.ts";
import { helpEntryHeaderRow, helpEntryRow } from "./help-entry-columns.ts";
import type { HelpEntryStore } from "./help-entry-store.ts";
import { readHelpEntryTable, type HelpEntryChecks, type ImportProblem } from "./help-entry-table.ts";

/** Every problem of an import file; nothing was written. The CLI prints `problems` one per line. */
export class HelpEntryImportError extends DirectoryError {
  constructor(
    readonly file: string,
    readonly problems: readonly ImportProblem[],
  ) {
    super(`${file}: ${problems.length} problem(s); nothing was imported`, "directory:import-invalid", { context: { file, problems } });
  }
}

/** What an import did, or (dry run) would do. */
export type ImportSummary = { entries: StaffDirectoryEntry[]; added: number; updated: number; written: boolean };

/**
 * Imports a CSV or XLSX file of local help entries: all or nothing. A problem in a single row throws a
 * `HelpEntryImportError` listing every problem and writes nothing; otherwise each entry is added or replaced by
 * id. With `dryRun` the file is checked and counted but nothing is written.
 */
export async function importHelpEntries(
  file: string,
  options: { store: HelpEntryStore; checks: HelpEntryChecks; dryRun: boolean },
): Promise<ImportSummary> {
  const { entries, problems } = readHelpEntryTable(await readTableFile(file), options.checks);
  if (problems.length > 0) throw new HelpEntryImportError(file, problems);
  const stored = await options.store.ids();
  const added = entries.filter((entry) => !stored.has(entry.id)).length;
  if (!options.dryRun) await options.store.save(entries);
  return { entries, added, updated: entries.length - added, written: !options.dryRun };
}

/** Writes entries to a CSV or XLSX file (by its extension) with the columns import reads, so the two round-trip. */
export async function exportHelpEntries(file: string, entries: readonly StaffDirectoryEntry[]): Promise<void> {
  await writeTableFile(file, [helpEntryHeaderRow(), ...entries.map(helpEntryRow)], "Loa help");
}
