import type { DirectoryEntry } from "./directory-entry.ts";
import { isStale } from "./help-staleness.ts";

/** Where a contact lives, as far as she has told the bot; either code may be unknown. */
export type HelpPlace = { provinceCode: string | null; communeCode: string | null };

/**
 * Why help is being looked up. `emergency` (the emergency reply) and `closing` (a conversation that
 * cannot continue) list only numbers marked for emergencies plus local entries; `help` lists all.
 */
export type HelpScope = "emergency" | "help" | "closing";

/**
 * A directory entry chosen for a reply. `stale` marks one verified longer ago than the configured number of
 * months: it is still shown, because an old local address is better than none, but the reply says how old it is.
 */
export type FoundHelp = DirectoryEntry & { stale: boolean };

/**
 * The directory entries to show for a place, nearest first: the contact's commune, then her province, then
 * national numbers. Within each level the directory's own order is kept, so the answer is stable from one
 * message to the next. Local entries are always listed, whatever the scope: for a woman in danger the people
 * nearest to her matter most. Entries older than `staleMonths` at `now` are flagged, not dropped.
 */
export function findHelp(entries: readonly DirectoryEntry[], place: HelpPlace, scope: HelpScope, now: Date, staleMonths: number): FoundHelp[] {
  const commune = entries.filter(
    (entry) => entry.scope === "commune" && place.communeCode !== null && entry.communeCode === place.communeCode,
  );
  const province = entries.filter(
    (entry) => entry.scope === "province" && place.provinceCode !== null && entry.provinceCode === place.provinceCode,
  );
  const national = entries.filter((entry) => entry.scope === "national" && (scope === "help" || entry.emergency));
  return [...commune, ...province, ...national].map((entry) => ({ ...entry, stale: isStale(entry, now, staleMonths) }));
}
