// Reporting periods in Viet Nam's local time: the keys aggregates are stored under, the names staff type, and
// the Vietnamese labels reports print.
import { StatsError } from "./stats-error.ts";

/** The time zone every statistic is counted in: a message at 23:30 on 31 December in Hà Nội counts in that year. */
export const statsTimeZone = "Asia/Ho_Chi_Minh";

/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving), so local dates are a fixed shift of UTC. */
const offsetMs = 7 * 3_600_000;
const dayMs = 86_400_000;

/** The five period lengths every event is counted in. */
export type PeriodKind = "day" | "month" | "quarter" | "half" | "year";

/** The kinds from shortest to longest, the order `periodKeysOf` returns keys in. */
export const periodKinds: readonly PeriodKind[] = ["day", "month", "quarter", "half", "year"];

/**
 * One period: its stored key ("h2026-2"), the name staff use ("2026-H2"), and its bounds as instants
 * (local midnight at `start`, inclusive; local midnight after its last day at `end`, exclusive).
 */
export type Period = { kind: PeriodKind; key: string; name: string; start: Date; end: Date };

/** A span of time given as instants, both inclusive. */
export type DateRange = { from: Date; to: Date };

type LocalDate = { year: number; month: number; day: number };

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

function localDate(at: Date): LocalDate {
  const shifted = new Date(at.getTime() + offsetMs);
  if (Number.isNaN(shifted.getTime())) throw new StatsError("Not a valid date", "stats:invalid-date", { context: { at: String(at) } });
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The instant of local midnight at the start of a local date; month and day may overflow, as with Date.UTC. */
function localMidnight(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day) - offsetMs);
}

function keyOf(kind: PeriodKind, date: LocalDate): string {
  switch (kind) {
    case "day":
      return `d${date.year}-${pad(date.month)}-${pad(date.day)}`;
    case "month":
      return `m${date.year}-${pad(date.month)}`;
    case "quarter":
      return `q${date.year}-${Math.ceil(date.month / 3)}`;
    case "half":
      return `h${date.year}-${date.month <= 6 ? 1 : 2}`;
    case "year":
      return `y${date.year}`;
  }
}

/**
 * The keys of the day, month, quarter, half-year and year that contain `at`, in local time, shortest first:
 * `["d2026-11-26", "m2026-11", "q2026-4", "h2026-2", "y2026"]`. Every event is counted under these five.
 */
export function periodKeysOf(at: Date): string[] {
  const date = localDate(at);
  return periodKinds.map((kind) => keyOf(kind, date));
}

/**
 * The five keys of a day key's day, without going through a date: `periodKeysOfDay("d2026-11-26")` is
 * `["d2026-11-26", "m2026-11", "q2026-4", "h2026-2", "y2026"]`. Fast, for code that runs once per counted person.
 */
export function periodKeysOfDay(dayKey: string): string[] {
  const match = /^d(\d{4})-(\d{2})-\d{2}$/.exec(dayKey);
  if (match === null) throw new StatsError(`Not a day key: ${dayKey}`, "stats:invalid-period", { context: { period: dayKey } });
  const [, year = "", monthText = ""] = match;
  return keysOfMonth(dayKey, year, Number(monthText));
}

function keysOfMonth(dayKey: string, year: string, month: number): string[] {
  return [dayKey, `m${year}-${pad(month)}`, `q${year}-${Math.ceil(month / 3)}`, `h${year}-${month <= 6 ? 1 : 2}`, `y${year}`];
}

/** The key of the period of `kind` that contains `at`. */
export function periodKeyOf(kind: PeriodKind, at: Date): string {
  return keyOf(kind, localDate(at));
}

/** The local date of `at` as "2026-11-26", for file names and labels. */
export function localDateText(at: Date): string {
  const date = localDate(at);
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Builds a period from its kind and numbers, checking them: month 1–12, quarter 1–4, half 1–2, a real day. */
function periodOf(kind: PeriodKind, year: number, part: number, day: number, text: string): Period {
  const valid =
    year >= 1970 &&
    year <= 9999 &&
    (kind === "year" ||
      (kind === "half" && part >= 1 && part <= 2) ||
      (kind === "quarter" && part >= 1 && part <= 4) ||
      ((kind === "month" || kind === "day") && part >= 1 && part <= 12 && (kind === "month" || (day >= 1 && day <= daysInMonth(year, part)))));
  if (!valid) throw new StatsError(`Not a period: ${text}`, "stats:invalid-period", { context: { period: text } });
  switch (kind) {
    case "day":
      return { kind, key: `d${year}-${pad(part)}-${pad(day)}`, name: `${year}-${pad(part)}-${pad(day)}`, start: localMidnight(year, part, day), end: localMidnight(year, part, day + 1) };
    case "month":
      return { kind, key: `m${year}-${pad(part)}`, name: `${year}-${pad(part)}`, start: localMidnight(year, part, 1), end: localMidnight(year, part + 1, 1) };
    case "quarter":
      return { kind, key: `q${year}-${part}`, name: `${year}-Q${part}`, start: localMidnight(year, part * 3 - 2, 1), end: localMidnight(year, part * 3 + 1, 1) };
    case "half":
      return { kind, key: `h${year}-${part}`, name: `${year}-H${part}`, start: localMidnight(year, part * 6 - 5, 1), end: localMidnight(year, part * 6 + 1, 1) };
    case "year":
      return { kind, key: `y${year}`, name: String(year), start: localMidnight(year, 1, 1), end: localMidnight(year + 1, 1, 1) };
  }
}

const patterns: Array<{ kind: PeriodKind; pattern: RegExp }> = [
  { kind: "day", pattern: /^d?(\d{4})-(\d{2})-(\d{2})$/ },
  { kind: "month", pattern: /^m?(\d{4})-(\d{2})$/ },
  { kind: "quarter", pattern: /^(?:(\d{4})-Q|q(\d{4})-)([1-4])$/i },
  { kind: "half", pattern: /^(?:(\d{4})-H|h(\d{4})-)([12])$/i },
  { kind: "year", pattern: /^y?(\d{4})$/ },
];

/**
 * Reads a period from the name staff type ("2026-H2", "2026-Q4", "2026-11", "2026", "2026-11-26") or from its
 * stored key ("h2026-2", "q2026-4", "m2026-11", "y2026", "d2026-11-26"). Throws a `StatsError` for anything else.
 */
export function parsePeriod(text: string): Period {
  const trimmed = text.trim();
  for (const { kind, pattern } of patterns) {
    const match = pattern.exec(trimmed);
    if (match === null) continue;
    const numbers = match.slice(1).filter((group): group is string => group !== undefined).map(Number);
    const [year = 0, part = 0, day = 0] = numbers;
    return periodOf(kind, year, part, day, text);
  }
  throw new StatsError(`Not a period: ${text} (use 2026-H2, 2026-Q4, 2026-11, 2026 or 2026-11-26)`, "stats:invalid-period", { context: { period: text } });
}

/** True for a stored period key such as "m2026-11"; readers check their input with it. */
export function isPeriodKey(text: string): boolean {
  if (!/^[dmqhy]\d{4}/.test(text)) return false;
  try {
    return parsePeriod(text).key === text;
  } catch {
    return false;
  }
}

/**
 * The keys of every period of `kind` that overlaps `within` (a period name or key, or a range of instants, both
 * ends inclusive), in time order: `periodKeys("month", "2026-H2")` gives "m2026-07" … "m2026-12", and
 * `periodKeys("day", "2026-11")` the 30 days of November. Dashboards build their series and reports their
 * "lượt" sums from these.
 */
export function periodKeys(kind: PeriodKind, within: string | DateRange): string[] {
  const range = typeof within === "string" ? rangeOf(parsePeriod(within)) : within;
  const first = localDate(range.from);
  const last = localDate(range.to);
  const keys: string[] = [];
  const lastDay = localMidnight(last.year, last.month, last.day).getTime();
  for (let at = localMidnight(first.year, first.month, first.day).getTime(); at <= lastDay; at += dayMs) {
    const key = keyOf(kind, localDate(new Date(at)));
    if (keys.at(-1) !== key) keys.push(key);
  }
  return keys;
}

function rangeOf(period: Period): DateRange {
  return { from: period.start, to: new Date(period.end.getTime() - 1) };
}

const romanQuarters = ["I", "II", "III", "IV"];
const englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * How a report names a period, the way provincial offices write it: "6 tháng cuối năm 2026", "Quý IV/2026",
 * "Tháng 11/2026", "Năm 2026", "Ngày 26/11/2026" (or in English for the English console).
 */
export function periodLabel(period: string | Period, language: "vi" | "en" = "vi"): string {
  const { kind, key } = typeof period === "string" ? parsePeriod(period) : period;
  const [year = 0, part = 0, day = 0] = key.slice(1).split("-").map(Number);
  if (language === "vi") {
    switch (kind) {
      case "day":
        return `Ngày ${day}/${part}/${year}`;
      case "month":
        return `Tháng ${part}/${year}`;
      case "quarter":
        return `Quý ${romanQuarters[part - 1]}/${year}`;
      case "half":
        return `6 tháng ${part === 1 ? "đầu" : "cuối"} năm ${year}`;
      case "year":
        return `Năm ${year}`;
    }
  }
  switch (kind) {
    case "day":
      return `${day} ${englishMonths[part - 1]} ${year}`;
    case "month":
      return `${englishMonths[part - 1]} ${year}`;
    case "quarter":
      return `Q${part} ${year}`;
    case "half":
      return `${part === 1 ? "First" : "Second"} half of ${year}`;
    case "year":
      return String(year);
  }
}
