/**
 * When a help entry needs checking again. Entries carry the calendar date someone last verified them; a number
 * that was right two years ago may have changed, so the bot says how old such an entry is and staff get a list.
 * Dates are compared in Viet Nam's calendar, where staff and the people they help live.
 */

/** How many months a verification is trusted when nothing else is given; the same as DIRECTORY_STALE_MONTHS's default. */
export const defaultStaleMonths = 12;

/** Viet Nam's offset from UTC (UTC+7 all year: the country has no daylight saving time). */
const vietnamOffsetMs = 7 * 60 * 60 * 1000;

/** Today's date in Viet Nam as YYYY-MM-DD: what staff mean by "today" when they type a verification date. */
export function vietnamDate(now: Date): string {
  return new Date(now.getTime() + vietnamOffsetMs).toISOString().slice(0, 10);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The date `months` calendar months after `date` (YYYY-MM-DD). A day the target month lacks becomes its last
 * day, so 2024-02-29 plus 12 months is 2025-02-28, never a day in March.
 */
export function addMonths(date: string, months: number): string {
  const [year = 0, month = 1, day = 1] = date.split("-").map(Number);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return `${String(targetYear).padStart(4, "0")}-${String(targetMonth).padStart(2, "0")}-${String(targetDay).padStart(2, "0")}`;
}

/**
 * Whether an entry is older than `staleMonths`: verified on 2025-11-26 with 12 months, it is fresh up to and
 * including 2026-11-26 (exactly 12 months) and stale from 2026-11-27.
 */
export function isStale(entry: { verifiedOn: string }, now: Date, staleMonths: number): boolean {
  return addMonths(entry.verifiedOn, staleMonths) < vietnamDate(now);
}

/** The entries staff should verify again, in the order given: those older than `staleMonths`. */
export function staleEntries<Entry extends { verifiedOn: string }>(entries: readonly Entry[], now: Date, staleMonths: number): Entry[] {
  return entries.filter((entry) => isStale(entry, now, staleMonths));
}

/** A verification date as month and year ("03/2024"), how the bot tells a reader how old an entry is. */
export function verifiedMonth(verifiedOn: string): string {
  const [year = "", month = ""] = verifiedOn.split("-");
  return `${month}/${year}`;
}
