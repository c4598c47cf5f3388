import { consoleText, type ConsoleLocale } from "../../console/console-locale.ts";
import type { SelectGroup } from "../../console/form-fields.ts";
import { parsePeriod, periodKeyOf, periodLabel, type Period, type PeriodKind } from "../../stats/periods.ts";

/**
 * The periods the statistics pages offer: the last half-years, years, quarters and months, newest first, in
 * the groups of the period chooser. Days are read through a month's chart, not chosen.
 */

/** The period kinds offered, longest-used first, and how many of each going back from now. */
const offeredPeriods: ReadonlyArray<{ kind: Exclude<PeriodKind, "day">; count: number }> = [
  { kind: "half", count: 4 },
  { kind: "year", count: 3 },
  { kind: "quarter", count: 6 },
  { kind: "month", count: 12 },
];

/** The `count` periods of `kind` up to the one holding `now`, newest first. */
function recentPeriods(kind: Exclude<PeriodKind, "day">, count: number, now: Date): Period[] {
  const periods: Period[] = [parsePeriod(periodKeyOf(kind, now))];
  while (periods.length < count) {
    const earliest = periods.at(-1);
    if (earliest === undefined) break;
    periods.push(parsePeriod(periodKeyOf(kind, new Date(earliest.start.getTime() - 1))));
  }
  return periods;
}

/** The period chooser's groups, with the chosen period added to its group when it is older than those offered. */
export function periodGroups(locale: ConsoleLocale, chosen: Period, now: Date): SelectGroup[] {
  const words = consoleText(locale).stats;
  return offeredPeriods.map(({ kind, count }) => {
    const periods = recentPeriods(kind, count, now);
    if (chosen.kind === kind && !periods.some((period) => period.key === chosen.key)) periods.push(chosen);
    return { label: words.periodKinds[kind], options: periods.map((period) => ({ value: period.name, label: periodLabel(period, locale) })) };
  });
}


/** The period asked for ("2026-H2", "2026-Q4", "2026-11", "2026"), or the half-year holding `now` for anything else. */
export function periodAsked(asked: string, now: Date): Period {
  try {
    const period = parsePeriod(asked);
    if (period.kind !== "day") return period;
  } catch {
    // Anything but a period shows the current half-year, where staff usually start.
  }
  return parsePeriod(periodKeyOf("half", now));
}
