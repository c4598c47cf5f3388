// Builds StatsCount and StatsPerson rows for a stream of events in time order with the recorder's own cell
// function (cellsOf), holding only the periods still open: when a day, month, quarter, half-year or year ends,
// its counts are final and handed out, and who was counted in it is forgotten, as Loa's pruning does.
import type { CompiledIndicator } from "../src/stats/indicators.ts";
import { cellOfKey, cellsOf, visitsOf, type CountedCell, type PersonCell } from "../src/stats/stats-cells.ts";
import type { SyntheticEvent } from "./synthetic-engagement.ts";

/**
 * One open period, kept as keys and numbers only (tens of millions of small objects would keep the garbage
 * collector busy): count per cell key, and who is counted per people cell — one person as a plain number, more
 * as a set, since most day cells of a commune count one person.
 */
type OpenPeriod = { counts: Map<string, number>; people: Map<string, number | Set<number>> };

/** Events alike in everything cellsOf reads but the time of day and the person: they count in the same cells. */
type AlikeEvents = { event: SyntheticEvent; events: number; people: Set<number> };

/**
 * The aggregates of a time-ordered stream. `add` takes the events of one day; `close` hands out the final counts of
 * every period not among the keys it is given; `peopleOf` lists who is counted in an open period, as StatsPerson rows.
 */
export function createStreamingAggregates(indicators: readonly CompiledIndicator[], pseudonymOf: (personKey: number) => string) {
  const open = new Map<string, OpenPeriod>();
  /** StatsPerson rows ever written, had closed periods never been pruned. */
  let everCounted = 0;
  let last: { key: string; period: OpenPeriod } | undefined;
  const periodOf = (key: string): OpenPeriod => {
    if (last?.key === key) return last.period;
    let period = open.get(key);
    if (period === undefined) {
      period = { counts: new Map(), people: new Map() };
      open.set(key, period);
    }
    last = { key, period };
    return period;
  };
  const addCount = (key: string, period: string, count: number) => {
    const counts = periodOf(period).counts;
    counts.set(key, (counts.get(key) ?? 0) + count);
  };
  /** Counts one person in the people cells she is not yet counted in, with the lượt a new day cell adds. */
  const countPerson = (cells: readonly PersonCell[], person: number) => {
    for (const cell of cells) {
      const people = periodOf(cell.period).people;
      const counted = people.get(cell.key);
      if (counted === undefined) people.set(cell.key, person);
      else if (typeof counted === "number") {
        if (counted === person) continue;
        people.set(cell.key, new Set([counted, person]));
      } else {
        if (counted.has(person)) continue;
        counted.add(person);
      }
      everCounted += 1;
      for (const visit of visitsOf(cell)) addCount(visit.key, visit.period, 1);
    }
  };
  return {
    /**
     * Adds one day's events. cellsOf runs once per group of alike events; the group's counts are added as many
     * times as it has events and its people cells checked once per person in it: the same result as calling it
     * for every event, in a fraction of the time.
     */
    add(events: readonly SyntheticEvent[]): void {
      const groups = new Map<string, AlikeEvents>();
      for (const event of events) {
        const day = Math.floor((event.occurredAt.getTime() + 7 * 3_600_000) / 86_400_000);
        const key = [day, event.kind, event.topic, event.channel, event.locale, event.provinceCode, event.communeCode, event.teamId, event.campaignId, event.groupsText, event.correct].join("\u0000");
        const group = groups.get(key);
        if (group === undefined) groups.set(key, { event, events: 1, people: new Set([event.personKey]) });
        else {
          group.events += 1;
          group.people.add(event.personKey);
        }
      }
      for (const group of groups.values()) {
        const cells = cellsOf(group.event, indicators);
        for (const cell of cells.counted) addCount(cell.key, cell.period, cell.count * group.events);
        for (const person of group.people) countPerson(cells.people, person);
      }
    },
    /** Final counts (people included) of the periods not in `openKeys` — all when it is empty — which are then forgotten. */
    close(openKeys: ReadonlySet<string>): CountedCell[] {
      const rows: CountedCell[] = [];
      for (const [key, period] of open) {
        if (openKeys.has(key)) continue;
        for (const [cellKey, count] of period.counts) rows.push({ ...cellOfKey(cellKey), key: cellKey, count });
        for (const [cellKey, counted] of period.people) rows.push({ ...cellOfKey(cellKey), key: cellKey, count: typeof counted === "number" ? 1 : counted.size });
        open.delete(key);
        if (last?.key === key) last = undefined;
      }
      return rows;
    },
    /** The StatsPerson rows (cell key, pseudonym) of an open period, in primary-key order. */
    *peopleOf(periodKey: string): Generator<[string, string]> {
      const people = open.get(periodKey)?.people ?? new Map<string, number | Set<number>>();
      for (const cellKey of [...people.keys()].sort()) {
        const counted = people.get(cellKey) ?? [];
        const pseudonyms = (typeof counted === "number" ? [counted] : [...counted]).map(pseudonymOf).sort();
        for (const pseudonym of pseudonyms) yield [cellKey, pseudonym];
      }
    },
    everCounted: () => everCounted,
  };
}
