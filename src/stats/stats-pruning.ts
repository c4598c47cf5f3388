// Forgets who was counted in periods that are over. StatsPerson exists only so that a person is not counted twice
// in a cell while its period can still receive events; once a period has ended, its counts are final and its
// StatsPerson rows are dead weight (they would otherwise outgrow the events many times over).
import type { DatabaseClient } from "../store/database.ts";
import { periodKeyOf, periodKinds, type PeriodKind } from "./periods.ts";
import { StatsError } from "./stats-error.ts";

/**
 * How long after a period ends its StatsPerson rows are kept. Events are recorded at the time they happen, so no
 * event can reach an ended period; two days covers clocks that disagree and transactions that straddle midnight.
 */
export const closedPeriodGraceMs = 2 * 86_400_000;

/** Rows deleted per statement, so a large prune never holds SQLite's write lock for long. */
const rowsPerDelete = 5_000;

const kindLetter: Record<PeriodKind, string> = { day: "d", month: "m", quarter: "q", half: "h", year: "y" };

/**
 * Deletes the StatsPerson rows of every period that ended at least `closedPeriodGraceMs` before `now`. A cell key
 * starts with its period key and keys of one kind sort in time order, so each kind is one range of the primary
 * key ("d" ≤ cell < "d2026-11-24" for the days before 24 November). Returns how many rows went.
 */
export async function pruneClosedPeriods(db: DatabaseClient, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - closedPeriodGraceMs);
  let pruned = 0;
  for (const kind of periodKinds) {
    const from = kindLetter[kind];
    const before = periodKeyOf(kind, cutoff);
    for (;;) {
      let deleted: number;
      try {
        deleted = await db.$executeRaw`DELETE FROM "StatsPerson" WHERE ("cell", "pseudonym") IN
          (SELECT "cell", "pseudonym" FROM "StatsPerson" WHERE "cell" >= ${from} AND "cell" < ${before} LIMIT ${rowsPerDelete})`;
      } catch (error) {
        throw new StatsError("Could not prune StatsPerson", "stats:prune-failed", { cause: error, context: { kind, before } });
      }
      pruned += deleted;
      if (deleted < rowsPerDelete) break;
    }
  }
  return pruned;
}
