import type { DirectoryEntry } from "./directory-entry.ts";

/** Where a contact lives, as far as she has told the bot; either code may be unknown. */
export type HelpPlace = { provinceCode: string | null; communeCode: string | null };

/**
 * Why help is being looked up. `emergency` (the emergency reply) and `closing` (a conversation that
 * cannot continue) list only numbers marked for emergencies plus local entries; `help` lists all.
 */
export type HelpScope = "emergency" | "help" | "closing";

/**
 * The directory entries to show for a place, nearest first: the contact's commune, then her
 * province, then national numbers. Within each level the directory's own order is kept, so the
 * answer is stable from one message to the next.
 */
export function findHelp(entries: readonly DirectoryEntry[], place: HelpPlace, scope: HelpScope): DirectoryEntry[] {
  const commune = entries.filter(
    (entry) => entry.scope === "commune" && place.communeCode !== null && entry.communeCode === place.communeCode,
  );
  const province = entries.filter(
    (entry) => entry.scope === "province" && place.provinceCode !== null && entry.provinceCode === place.provinceCode,
  );
  const national = entries.filter((entry) => entry.scope === "national" && (scope === "help" || entry.emergency));
  return [...commune, ...province, ...national];
}
