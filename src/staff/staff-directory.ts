import type { DirectoryEntry, FileDirectoryEntry, StaffDirectoryEntry } from "../directory/directory-entry.ts";
import { helpEntryHeaderRow } from "../directory/help-entry-columns.ts";
import { exportHelpEntries, HelpEntryImportError, type ImportSummary } from "../directory/help-entry-import.ts";
import type { HelpEntryStore } from "../directory/help-entry-store.ts";
import { readHelpEntryTable, type HelpEntryChecks } from "../directory/help-entry-table.ts";
import { isStale } from "../directory/help-staleness.ts";
import type { PlaceLookup } from "../engine/place-lookup.ts";
import { readTableFile } from "../tables/table-file.ts";
import type { AuditLog } from "./audit-log.ts";
import { StaffError } from "./staff-error.ts";
import { canManagePlace, canSeePlace, hasPermission, type StaffPrincipal } from "./staff-principal.ts";

/** A help entry as staff see it: whether it is due for checking, and whether she may change it. */
export type StaffViewOfEntry = { entry: DirectoryEntry; stale: boolean; canEdit: boolean };

function placeOf(entry: DirectoryEntry) {
  return { provinceCode: entry.provinceCode ?? null, communeCode: entry.communeCode ?? null };
}

/**
 * The help directory as staff work with it, for the console and the API alike: what each person may see and
 * change follows `staff-principal.ts`, every import, export and edit is audited, and an import or an edit is
 * checked by the same rules as the command line, plus her area.
 */
export function createStaffDirectory(deps: {
  store: HelpEntryStore;
  nationalEntries: readonly FileDirectoryEntry[];
  places: () => PlaceLookup;
  audit: AuditLog;
  now: () => Date;
  staleMonths: number;
}) {
  const require = (principal: StaffPrincipal, permission: "directory:read" | "directory:write") => {
    if (!hasPermission(principal, permission)) throw new StaffError(`${principal.role} may not ${permission}`, "staff:forbidden", { permission });
  };
  const checksFor = async (principal: StaffPrincipal): Promise<HelpEntryChecks> => {
    const places = deps.places();
    const stored = new Map((await deps.store.list()).map((entry) => [entry.id, entry]));
    return {
      placeExists: (code) => places.find(code) !== undefined,
      provinceOf: (code) => places.find(code)?.provinceCode ?? undefined,
      now: deps.now(),
      refusal: (entry) => {
        if (!canManagePlace(principal, placeOf(entry))) return "outside your area";
        const existing = stored.get(entry.id);
        if (existing !== undefined && !canManagePlace(principal, placeOf(existing))) return `id ${entry.id} belongs to an entry outside your area`;
        return undefined;
      },
    };
  };
  const view = (principal: StaffPrincipal, entry: DirectoryEntry): StaffViewOfEntry => ({
    entry,
    stale: isStale(entry, deps.now(), deps.staleMonths),
    canEdit: entry.origin === "staff" && hasPermission(principal, "directory:write") && canManagePlace(principal, placeOf(entry)),
  });

  return {
    /** Entries she may see: local ones of her area, then the national numbers; optionally one province or only stale ones. */
    async list(principal: StaffPrincipal, filter: { provinceCode?: string; staleOnly?: boolean } = {}): Promise<StaffViewOfEntry[]> {
      require(principal, "directory:read");
      const local = await deps.store.list(filter.provinceCode === undefined ? {} : { provinceCode: filter.provinceCode });
      const entries: DirectoryEntry[] = [...local, ...(filter.provinceCode === undefined ? deps.nationalEntries : [])];
      return entries
        .filter((entry) => canSeePlace(principal, placeOf(entry)))
        .map((entry) => view(principal, entry))
        .filter((item) => !filter.staleOnly || item.stale);
    },

    /** One entry she may see, or a `staff:not-found` error (also for entries outside her area, so none is disclosed). */
    async get(principal: StaffPrincipal, id: string): Promise<StaffViewOfEntry> {
      require(principal, "directory:read");
      const entry = [...(await deps.store.list()), ...deps.nationalEntries].find((candidate) => candidate.id === id);
      if (entry === undefined || !canSeePlace(principal, placeOf(entry))) throw new StaffError(`no help entry ${id}`, "staff:not-found", { id });
      return view(principal, entry);
    },

    /**
     * Saves one entry from the values of a form or a JSON body, keyed by the import's column headers, so one
     * set of rules checks both. Returns the saved entry, or the problems found (field → message).
     */
    async save(principal: StaffPrincipal, values: Readonly<Record<string, string>>): Promise<{ entry: StaffDirectoryEntry } | { problems: HelpEntryImportError["problems"] }> {
      require(principal, "directory:write");
      const header = helpEntryHeaderRow();
      const { entries, problems } = readHelpEntryTable([header, header.map((column) => values[column] ?? "")], await checksFor(principal));
      const entry = entries[0];
      if (problems.length > 0 || entry === undefined) return { problems };
      await deps.store.save([entry]);
      await deps.audit.record({ accountId: principal.accountId, action: "directory-edit", target: `help-entry:${entry.id}`, outcome: "ok" });
      return { entry };
    },

    /** Imports a CSV or XLSX file of entries, all or nothing; rows outside her area are problems like any other. */
    async import(principal: StaffPrincipal, file: string, dryRun: boolean): Promise<ImportSummary> {
      require(principal, "directory:write");
      const { entries, problems } = readHelpEntryTable(await readTableFile(file), await checksFor(principal));
      if (problems.length > 0) {
        await deps.audit.record({ accountId: principal.accountId, action: "directory-import", target: "help-entries", outcome: "refused", detail: { problems: problems.length } });
        throw new HelpEntryImportError(file, problems);
      }
      const stored = await deps.store.ids();
      const added = entries.filter((entry) => !stored.has(entry.id)).length;
      if (!dryRun) {
        await deps.store.save(entries);
        await deps.audit.record({ accountId: principal.accountId, action: "directory-import", target: "help-entries", outcome: "ok", detail: { added, updated: entries.length - added } });
      }
      return { entries, added, updated: entries.length - added, written: !dryRun };
    },

    /** Writes the local entries she may see to a CSV or XLSX file, and audits the export. */
    async export(principal: StaffPrincipal, file: string): Promise<number> {
      require(principal, "directory:read");
      const entries = (await deps.store.list()).filter((entry) => canSeePlace(principal, placeOf(entry)));
      await exportHelpEntries(file, entries);
      await deps.audit.record({ accountId: principal.accountId, action: "directory-export", target: "help-entries", outcome: "ok", detail: { entries: entries.length } });
      return entries.length;
    },
  };
}

/** The staff directory service's interface, for code that is handed one. */
export type StaffDirectory = ReturnType<typeof createStaffDirectory>;
