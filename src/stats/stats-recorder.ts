// Writes engagement events and brings the aggregates up to date in the caller's transaction, so the counts
// always agree with the events: both commit or neither does.
import { join, sqltag as sql, type Sql } from "@prisma/client/runtime/client";
import type { DatabaseTransaction } from "../store/database.ts";
import type { CompiledIndicator } from "./indicators.ts";
import { cellsOf, visitsOf, type CountedCell, type PersonCell, type StatsEvent } from "./stats-cells.ts";
import { StatsError } from "./stats-error.ts";

/** One engagement event to write. Text never goes here: `detail` holds small codes and flags only. */
export type EngagementInput = {
  kind: string;
  occurredAt: Date;
  pseudonym: string;
  channel: string;
  locale?: string | null;
  provinceCode?: string | null;
  communeCode?: string | null;
  topic?: string | null;
  contentKey?: string | null;
  flowId?: string | null;
  nodeId?: string | null;
  detail?: Readonly<Record<string, string | number | boolean>>;
  /** The team credited: the campaign's team, or the team working in her commune (`teamForCommune`). */
  teamId?: string | null;
  campaignId?: string | null;
  /** Her self-declared groups at the time, for indicators that count a group. */
  groups?: Readonly<Record<string, string>>;
};

/** What recording needs besides the transaction: the indicators whose numerators events are matched against. */
export type RecorderDeps = { indicators: readonly CompiledIndicator[] };

/** The transaction client, narrowed to what the recorder touches. */
export type RecorderTransaction = Pick<DatabaseTransaction, "engagementEvent" | "$queryRaw" | "$executeRaw">;

/**
 * Rows per multi-row statement. 7 parameters per count row and 2 per person row keep every statement far below
 * SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
 */
const countRowsPerStatement = 1_000;
const personRowsPerStatement = 2_000;

/**
 * The team credited with a conversation event in `communeCode`: the team whose communes include it, the first by
 * id when several do. Read in the caller's transaction, uncached, so a team edited a moment ago counts at once.
 */
export async function teamForCommune(tx: Pick<DatabaseTransaction, "staffTeamCommune">, communeCode: string | null): Promise<string | null> {
  if (communeCode === null) return null;
  const team = await tx.staffTeamCommune.findFirst({ where: { communeCode }, orderBy: { teamId: "asc" }, select: { teamId: true } });
  return team?.teamId ?? null;
}

/**
 * Writes `events` as EngagementEvent rows and adds them to StatsCount and StatsPerson, all inside `tx`. Call it
 * wherever engagement is recorded, in the same transaction as the change that caused it.
 */
export async function recordEngagement(tx: RecorderTransaction, events: readonly EngagementInput[], deps: RecorderDeps): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((event) => ({
    kind: event.kind,
    occurredAt: event.occurredAt,
    pseudonym: event.pseudonym,
    channel: event.channel,
    locale: event.locale ?? null,
    provinceCode: event.provinceCode ?? null,
    communeCode: event.communeCode ?? null,
    topic: event.topic ?? null,
    contentKey: event.contentKey ?? null,
    flowId: event.flowId ?? null,
    nodeId: event.nodeId ?? null,
    detail: JSON.stringify(event.detail ?? {}),
    teamId: event.teamId ?? null,
    campaignId: event.campaignId ?? null,
    groups: JSON.stringify(event.groups ?? {}),
  }));
  await tx.engagementEvent.createMany({ data: rows });
  const counted: StatsEvent[] = rows.map((row, index) => ({ ...row, groups: events[index]?.groups ?? {}, correct: events[index]?.detail?.["correct"] === true }));
  await addToAggregates(tx, counted, deps.indicators);
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Adds events that are already stored to the aggregates: the write side of exact unique counts. Each person cell
 * is offered to StatsPerson with one multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING`; only the rows it
 * really inserted (she was not yet counted there) add 1 to their people count — and, for a day, a lượt to its
 * longer periods (`visitsOf`) — and all counts go in with one multi-row upsert that adds to the stored value.
 * Rows are written in key order, so concurrent transactions on PostgreSQL take row locks in the same order and
 * wait for each other instead of deadlocking; a second transaction offering the same person waits for the first
 * and then finds her row. The rebuild uses this too.
 */
export async function addToAggregates(tx: Pick<DatabaseTransaction, "$queryRaw" | "$executeRaw">, events: readonly StatsEvent[], indicators: readonly CompiledIndicator[]): Promise<void> {
  const counts = new Map<string, CountedCell>();
  const add = (cell: CountedCell | PersonCell, count: number) => {
    const stored = counts.get(cell.key);
    if (stored === undefined) counts.set(cell.key, { ...cell, count });
    else stored.count += count;
  };
  const offered = new Map<string, { cell: PersonCell; pseudonym: string }>();
  for (const event of events) {
    const cells = cellsOf(event, indicators);
    for (const cell of cells.counted) add(cell, cell.count);
    for (const cell of cells.people) offered.set(`${cell.key}\n${event.pseudonym}`, { cell, pseudonym: event.pseudonym });
  }
  const people = [...offered.values()].sort((a, b) => compareText(a.cell.key, b.cell.key) || compareText(a.pseudonym, b.pseudonym));
  for (let start = 0; start < people.length; start += personRowsPerStatement) {
    const chunk = people.slice(start, start + personRowsPerStatement);
    const values = join(chunk.map(({ cell, pseudonym }) => sql`(${cell.key}, ${pseudonym})`));
    const inserted = await run(
      () => tx.$queryRaw<Array<{ cell: string; pseudonym: string }>>(sql`INSERT INTO "StatsPerson" ("cell", "pseudonym") VALUES ${values} ON CONFLICT DO NOTHING RETURNING "cell", "pseudonym"`),
      "StatsPerson",
      chunk.length,
    );
    for (const row of inserted) {
      const entry = offered.get(`${row.cell}\n${row.pseudonym}`);
      if (entry === undefined) throw new StatsError("StatsPerson returned a row it was not offered", "stats:write-failed", { context: { cell: row.cell } });
      add(entry.cell, 1);
      for (const visit of visitsOf(entry.cell)) add(visit, 1);
    }
  }
  const rows = [...counts.entries()].sort(([a], [b]) => compareText(a, b)).map(([, row]) => row);
  for (let start = 0; start < rows.length; start += countRowsPerStatement) {
    const chunk = rows.slice(start, start + countRowsPerStatement);
    await run(() => tx.$executeRaw(upsertCounts(chunk)), "StatsCount", chunk.length);
  }
}

/** One multi-row upsert adding `rows` to StatsCount; valid on SQLite ≥ 3.24 and PostgreSQL ≥ 9.5. */
function upsertCounts(rows: readonly CountedCell[]): Sql {
  const values = join(rows.map((row) => sql`(${row.period}, ${row.provinceCode}, ${row.communeCode}, ${row.dimension}, ${row.value}, ${row.metric}, ${row.count})`));
  return sql`INSERT INTO "StatsCount" ("period", "provinceCode", "communeCode", "dimension", "value", "metric", "count") VALUES ${values}
    ON CONFLICT ("period", "provinceCode", "communeCode", "dimension", "value", "metric") DO UPDATE SET "count" = "StatsCount"."count" + excluded."count"`;
}

/** Runs one aggregate statement, wrapping a failure with the table and row count (never the pseudonyms). */
async function run<T>(statement: () => Promise<T>, table: string, rows: number): Promise<T> {
  try {
    return await statement();
  } catch (error) {
    throw new StatsError(`Could not update ${table}`, "stats:write-failed", { cause: error, context: { table, rows } });
  }
}
