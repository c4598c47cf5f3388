import type { DirectoryEntry } from "./directory-entry.ts";
import { isStale, verifiedMonth } from "./help-staleness.ts";

/** Content keys used to write help directory entries; every shipped locale must have them. */
export const helpContentKeys = {
  entry: "directory:help.entry",
  free: "directory:help.free",
  open247: "directory:help.open_24_7",
  checked: "directory:help.checked",
  mayCost: "directory:help.may_cost",
  hours: "directory:help.hours",
  address: "directory:help.address",
  noneLocal: "directory:help.none_local",
} as const;

/** What `helpLines` needs: a renderer for content keys in the reader's language, and the time and place context. */
export type HelpLineOptions = {
  /** Renders a content key in the reader's locale, with `{{placeholders}}` filled from `params`. */
  text: (key: string, params?: Record<string, string | number>) => string;
  now: Date;
  /** Entries verified longer ago than this say when they were last checked. */
  staleMonths: number;
  /** Whether she has told the bot her province or commune; only then is "no local address yet" true to say. */
  knowsPlace: boolean;
};

/** Staff text placed inside a sentence that ends with its own full stop. */
function withoutFinalStop(text: string): string {
  return text.trim().replace(/[.\s]+$/u, "");
}

/** Opening hours worth showing as text: staff wrote them, and they are neither "24/7" nor "unknown". */
function writtenHours(entry: DirectoryEntry): string | undefined {
  return entry.hours === "24/7" || entry.hours === "unknown" ? undefined : entry.hours;
}

/** 1900 numbers are charged to the caller at a premium rate unless a source says this one is free (domain-facts §1.1). */
function premiumRate(phone: string): boolean {
  return phone.replace(/\D/g, "").startsWith("1900");
}

function entryLine(entry: DirectoryEntry, options: HelpLineOptions): string {
  const { text } = options;
  const name = entry.origin === "file" ? text(entry.name) : entry.name;
  const facts = [
    entry.free === true ? text(helpContentKeys.free) : undefined,
    entry.free !== true && premiumRate(entry.phone) ? text(helpContentKeys.mayCost) : undefined,
    entry.hours === "24/7" ? text(helpContentKeys.open247) : undefined,
    isStale(entry, options.now, options.staleMonths) ? text(helpContentKeys.checked, { month: verifiedMonth(entry.verifiedOn) }) : undefined,
  ].filter((note) => note !== undefined);
  const notes = facts.length === 0 ? "" : `(${facts.join(", ")})`;
  const hours = writtenHours(entry);
  return [
    text(helpContentKeys.entry, { name, phone: entry.phone, notes }).trim(),
    hours === undefined ? undefined : text(helpContentKeys.hours, { hours: withoutFinalStop(hours) }),
    entry.address === undefined ? undefined : text(helpContentKeys.address, { address: withoutFinalStop(entry.address) }),
  ]
    .filter((part) => part !== undefined)
    .join(" ");
}

/**
 * The help part of a message, one line per entry in the order given (see `findHelp`): name and phone, then notes
 * that state only what a source confirms, namely "free" for an entry known to be free and "24/7" for one known
 * to answer day and night, never for "unknown"; a 1900 number not known to be free says it may cost money. A stale entry says the month it was last checked, so she knows
 * the number may have changed; staff-written hours and a local address follow. When she has told the bot where
 * she lives but no local entry is listed, a first line says Loa has no address near her yet, so the national
 * numbers are not mistaken for local ones.
 */
export function helpLines(entries: readonly DirectoryEntry[], options: HelpLineOptions): string[] {
  const lines = entries.map((entry) => entryLine(entry, options));
  if (options.knowsPlace && !entries.some((entry) => entry.scope !== "national")) lines.unshift(options.text(helpContentKeys.noneLocal));
  return lines;
}
