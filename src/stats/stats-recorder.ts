// Writes engagement events and brings the aggregates up to date in the caller's transaction, so the counts
// always agree with the events: both commit or neither does.
import { join, sqltag as sql, type Sql } from "@prisma/client/runtime/client";
import type { DatabaseTransaction } from "../store/database.ts";
import type { CompiledIndicator } from "./indicators.ts";
import { cellsOf, visitsOf, type CountedCell, type PersonCell, type StatsEvent } from "./stats-cells.ts";
import { periodKeyOf } from "./periods.ts";
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

/** A person cell offered to StatsPerson, with the key of the day cell of the same place, breakdown and metric. */
type Offer = { cell: PersonCell; pseudonym: string; dayKey: string };

const offerId = (key: string, pseudonym: string) => `${key}\n${pseudonym}`;

/**
 * Adds events that are already stored to the aggregates: the write side of exact unique counts. Person cells are
 * offered to StatsPerson with multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING`; only the rows it really
 * inserted (she was not yet counted there) add 1 to their people count — and, for a day, a lượt to its longer
 * periods (`visitsOf`). All counts then go in with one multi-row upsert that adds to the stored value.
 *
 * Day cells are offered first, and a month, quarter, half-year or year cell only when its day cell was new: a
 * person's day row is always written together with the rows of the same cell for the day's longer periods, and
 * those outlive it (pruning removes a period's rows only after it ended), so a day row already there means the
 * others are too. Most turns are not a person's first of the day, and offer a fifth of the rows.
 *
 * Rows are written in key order (day keys, "d…", sort before every longer period's), so concurrent transactions
 * on PostgreSQL take row locks in one order and queue instead of deadlocking; a second transaction offering the
 * same person waits for the first and then finds her row. The rebuild uses this too.
 */
export async function addToAggregates(tx: Pick<DatabaseTransaction, "$queryRaw" | "$executeRaw">, events: readonly StatsEvent[], indicators: readonly CompiledIndicator[]): Promise<void> {
  const counts = new Map<string, CountedCell>();
  const add = (cell: CountedCell | PersonCell, count: number) => {
    const stored = counts.get(cell.key);
    if (stored === undefined) counts.set(cell.key, { ...cell, count });
    else stored.count += count;
  };
  const offers = new Map<string, Offer>();
  for (const event of events) {
    const cells = cellsOf(event, indicators);
    const day = periodKeyOf("day", event.occurredAt);
    for (const cell of cells.counted) add(cell, cell.count);
    for (const cell of cells.people) offers.set(offerId(cell.key, event.pseudonym), { cell, pseudonym: event.pseudonym, dayKey: day + cell.key.slice(cell.period.length) });
  }
  const dayOffers = [...offers.values()].filter((offer) => offer.cell.key === offer.dayKey);
  const newDays = await offerPeople(tx, dayOffers, offers);
  const longer = [...offers.values()].filter((offer) => offer.cell.key !== offer.dayKey && newDays.has(offerId(offer.dayKey, offer.pseudonym)));
  for (const offer of [...newDays.values(), ...(await offerPeople(tx, longer, offers)).values()]) {
    add(offer.cell, 1);
    for (const visit of visitsOf(offer.cell)) add(visit, 1);
  }
  const rows = [...counts.entries()].sort(([a], [b]) => compareText(a, b)).map(([, row]) => row);
  for (let start = 0; start < rows.length; start += countRowsPerStatement) {
    const chunk = rows.slice(start, start + countRowsPerStatement);
    await run(() => tx.$executeRaw(upsertCounts(chunk)), "StatsCount", chunk.length);
  }
}

/** Offers people cells to StatsPerson in key order; returns those it inserted, by offer id. */
async function offerPeople(tx: Pick<DatabaseTransaction, "$queryRaw">, offered: readonly Offer[], offers: ReadonlyMap<string, Offer>): Promise<Map<string, Offer>> {
  const sorted = [...offered].sort((a, b) => compareText(a.cell.key, b.cell.key) || compareText(a.pseudonym, b.pseudonym));
  const inserted = new Map<string, Offer>();
  for (let start = 0; start < sorted.length; start += personRowsPerStatement) {
    const chunk = sorted.slice(start, start + personRowsPerStatement);
    const values = join(chunk.map(({ cell, pseudonym }) => sql`(${cell.key}, ${pseudonym})`));
    const rows = await run(
      () => tx.$queryRaw<Array<{ cell: string; pseudonym: string }>>(sql`INSERT INTO "StatsPerson" ("cell", "pseudonym") VALUES ${values} ON CONFLICT DO NOTHING RETURNING "cell", "pseudonym"`),
      "StatsPerson",
      chunk.length,
    );
    for (const row of rows) {
      const id = offerId(row.cell, row.pseudonym);
      const offer = offers.get(id);
      if (offer === undefined) throw new StatsError("StatsPerson returned a row it was not offered", "stats:write-failed", { context: { cell: row.cell } });
      inserted.set(id, offer);
    }
  }
  return inserted;
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
