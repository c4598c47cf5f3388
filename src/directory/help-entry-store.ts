import { describeProblems, fieldProblems } from "../content/data-file.ts";
import type { DatabaseClient } from "../store/database.ts";
import type { HelpEntry as HelpEntryRow } from "../store/generated/sqlite/client.ts";
import { staffDirectoryEntrySchema, type StaffDirectoryEntry } from "./directory-entry.ts";
import { DirectoryError } from "./directory-error.ts";

/** How `free` is stored: the column is text (yes, no, unknown) so that "unknown" is a value like the others. */
function freeColumn(free: StaffDirectoryEntry["free"]): string {
  if (free === "unknown") return "unknown";
  return free ? "yes" : "no";
}

/** Parsed stored JSON, or the text itself when it is not JSON, so the schema reports it as the wrong type. */
function storedJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    return text;
  }
}

/** A database row as a staff entry, checked like every other input: a row edited by hand may be wrong. */
function entryOfRow(row: HelpEntryRow): StaffDirectoryEntry {
  const result = staffDirectoryEntrySchema.safeParse({
    origin: "staff",
    id: row.id,
    kind: row.kind,
    name: row.name,
    phone: row.phone,
    ...(row.address === null ? {} : { address: row.address }),
    scope: row.scope,
    provinceCode: row.provinceCode,
    ...(row.communeCode === null ? {} : { communeCode: row.communeCode }),
    free: row.free === "yes" ? true : row.free === "no" ? false : row.free,
    hours: row.hours,
    topics: storedJson(row.topics),
    emergency: row.emergency,
    languages: storedJson(row.languages),
    verifiedOn: row.verifiedOn.toISOString().slice(0, 10),
    source: row.source,
  });
  if (result.success) return result.data;
  const problems = fieldProblems(result.error);
  throw new DirectoryError(`stored help entry "${row.id}" is invalid: ${describeProblems(problems)}`, "directory:stored-entry-invalid", {
    cause: result.error,
    context: { id: row.id, problems },
  });
}

/** Province first, then province-wide before commune entries, then name and id: the order staff read lists in. */
function sortKey(entry: StaffDirectoryEntry): string {
  return [entry.provinceCode, entry.communeCode ?? "", entry.name, entry.id].join("\u0000");
}

function compareEntries(a: StaffDirectoryEntry, b: StaffDirectoryEntry): number {
  const [left, right] = [sortKey(a), sortKey(b)];
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * The local help entries staff imported (Địa chỉ tin cậy, commune health stations, province shelters), kept in
 * the `HelpEntry` table so every Loa process sees an import at once. Only active entries are read; an import
 * writes all its entries in one transaction, so a bad file or a crash never leaves half a list.
 */
export function createHelpEntryStore(db: DatabaseClient, now: () => Date) {
  return {
    /**
     * Active entries, optionally of one province, in a stable order (sorted here rather than by the database,
     * whose text collation differs between SQLite and PostgreSQL).
     */
    async list(filter: { provinceCode?: string } = {}): Promise<StaffDirectoryEntry[]> {
      const rows = await db.helpEntry.findMany({
        where: { active: true, ...(filter.provinceCode === undefined ? {} : { provinceCode: filter.provinceCode }) },
      });
      return rows.map(entryOfRow).sort(compareEntries);
    },

    /** The ids already stored, active or not, so an import can say which rows are new. */
    async ids(): Promise<Set<string>> {
      const rows = await db.helpEntry.findMany({ select: { id: true } });
      return new Set(rows.map((row) => row.id));
    },

    /** Adds or replaces entries by id, all or none, and marks them active: an imported entry is a current one. */
    async save(entries: readonly StaffDirectoryEntry[]): Promise<void> {
      const updatedAt = now();
      await db.$transaction(
        entries.map((entry) => {
          const data = {
            kind: entry.kind,
            name: entry.name,
            phone: entry.phone,
            address: entry.address ?? null,
            scope: entry.scope,
            provinceCode: entry.provinceCode,
            communeCode: entry.communeCode ?? null,
            hours: entry.hours,
            free: freeColumn(entry.free),
            languages: JSON.stringify(entry.languages),
            topics: JSON.stringify(entry.topics),
            emergency: entry.emergency,
            verifiedOn: new Date(`${entry.verifiedOn}T00:00:00.000Z`),
            source: entry.source,
            active: true,
            updatedAt,
          };
          return db.helpEntry.upsert({ where: { id: entry.id }, create: { id: entry.id, ...data }, update: data });
        }),
      );
    },
  };
}

/** The help entry store's interface, for code that is handed one. */
export type HelpEntryStore = ReturnType<typeof createHelpEntryStore>;
