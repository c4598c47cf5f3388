// Recomputes every aggregate from the stored engagement events: after indicators.yaml changes, and for databases
// that held events before the aggregates existed.
import { sqltag as sql } from "@prisma/client/runtime/client";
import type { Logger } from "../logger.ts";
import type { Database } from "../store/database.ts";
import type { CompiledIndicator } from "./indicators.ts";
import { statsEventOf } from "./stats-cells.ts";
import { pruneClosedPeriods } from "./stats-pruning.ts";
import { addToAggregates } from "./stats-recorder.ts";

/** Events read and counted per transaction: small enough to keep each transaction short, large enough to be quick. */
const defaultBatchSize = 2_000;

/**
 * A StatsCount row that says "a rebuild started and has not finished". Its period "" is not a period key, so no
 * reader ever sees it; it is written with the wipe and removed with the last batch, so a rebuild cut short (a
 * crash, Ctrl-C) is noticed and redone at the next start instead of leaving partial figures.
 */
const unfinishedMarker = { period: "", provinceCode: "", communeCode: "", dimension: "", value: "", metric: "rebuild_unfinished" } as const;
const markerKey = { period_provinceCode_communeCode_dimension_value_metric: unfinishedMarker } as const;

/**
 * How long a rebuild holds its claim without renewing it. The marker's count is the minute (since the epoch) its
 * claim ends; the rebuild renews it every batch, so another process starting meanwhile waits for it, while the
 * claim of a process that died lapses and the next start takes the rebuild over.
 */
const claimMinutes = 2;
const claimUntil = (now: Date) => Math.floor(now.getTime() / 60_000) + claimMinutes;

/** What a rebuild did. */
export type RebuildResult = { events: number; counts: number; people: number };

/** Batches between two prunes of the periods the rebuild has left behind. */
const batchesPerPrune = 25;

/** What a rebuild needs: the indicators to count toward, the time now, and optionally a batch size and a progress callback. */
export type RebuildOptions = {
  indicators: readonly CompiledIndicator[];
  /** Periods that ended well before this are pruned at the end (see stats-pruning.ts). */
  now: Date;
  /** The wall clock, for the claim a rebuild holds while it runs; `now` when not given. */
  clock?: () => Date;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
};

/**
 * Empties StatsCount and StatsPerson and counts every stored event again, in time order, through the same code the
 * recorder uses, one transaction per batch. Going in time order lets it prune the periods it has passed as it goes,
 * so StatsPerson never grows beyond the periods still open. Run it while no worker records engagement (`loa stats
 * rebuild` with Loa stopped, or at start-up before the workers start): events recorded meanwhile could be counted twice.
 */
export async function rebuildStatistics(database: Database, options: RebuildOptions): Promise<RebuildResult> {
  const db = database.client;
  const batchSize = options.batchSize ?? defaultBatchSize;
  const clock = options.clock ?? (() => options.now);
  const total = await db.engagementEvent.count();
  const lastId = (await db.engagementEvent.aggregate({ _max: { id: true } }))._max.id ?? 0;
  await db.$transaction(async (tx) => {
    if (database.kind === "postgres") await tx.$executeRawUnsafe('TRUNCATE "StatsCount", "StatsPerson"');
    else {
      await tx.$executeRawUnsafe('DELETE FROM "StatsCount"');
      await tx.$executeRawUnsafe('DELETE FROM "StatsPerson"');
    }
    await tx.statsCount.create({ data: { ...unfinishedMarker, count: claimUntil(clock()) } });
  });
  let done = 0;
  let after: { occurredAt: Date; id: number } | undefined;
  for (let batch = 1; ; batch += 1) {
    const rows = await db.engagementEvent.findMany({
      where: { id: { lte: lastId }, ...(after === undefined ? {} : { OR: [{ occurredAt: { gt: after.occurredAt } }, { occurredAt: after.occurredAt, id: { gt: after.id } }] }) },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
      take: batchSize,
    });
    const last = rows.at(-1);
    if (last === undefined) break;
    await db.$transaction((tx) => addToAggregates(tx, rows.map(statsEventOf), options.indicators), { timeout: 120_000 });
    after = last;
    done += rows.length;
    await db.statsCount.update({ where: markerKey, data: { count: claimUntil(clock()) } });
    // Every later event is at or after `last`, so periods that ended before it can take no more people.
    if (batch % batchesPerPrune === 0) await pruneClosedPeriods(db, last.occurredAt);
    options.onProgress?.(done, total);
  }
  await pruneClosedPeriods(db, options.now);
  await db.statsCount.delete({ where: markerKey });
  return { events: done, counts: await db.statsCount.count(), people: await db.statsPerson.count() };
}

/**
 * Decides at start-up whether the aggregates must be built from the events: when a rebuild was cut short, or
 * when StatsCount is empty but events exist (a database from before the aggregates, or statistics wiped by hand).
 */
export async function statisticsNeedRebuild(database: Database): Promise<"unfinished" | "empty" | null> {
  const db = database.client;
  const marker = await db.statsCount.findUnique({ where: markerKey });
  if (marker !== null) return "unfinished";
  if ((await db.statsCount.findFirst({ select: { period: true } })) !== null) return null;
  return (await db.engagementEvent.findFirst({ select: { id: true } })) === null ? null : "empty";
}

/**
 * Takes the rebuild for this process, atomically: for "empty" by adding the marker only while StatsCount is still
 * empty (so a process arriving after another finished does not wipe its work), for "unfinished" by taking over a
 * marker whose claim has lapsed. False when another process holds it.
 */
async function claimRebuild(database: Database, reason: "unfinished" | "empty", now: Date): Promise<boolean> {
  const db = database.client;
  if (reason === "empty") {
    const m = unfinishedMarker;
    const added = await db.$executeRaw(sql`INSERT INTO "StatsCount" ("period", "provinceCode", "communeCode", "dimension", "value", "metric", "count")
      SELECT ${m.period}, ${m.provinceCode}, ${m.communeCode}, ${m.dimension}, ${m.value}, ${m.metric}, ${claimUntil(now)}
      WHERE NOT EXISTS (SELECT 1 FROM "StatsCount") ON CONFLICT DO NOTHING`);
    return added === 1;
  }
  const marker = await db.statsCount.findUnique({ where: markerKey });
  if (marker === null || marker.count >= Math.floor(now.getTime() / 60_000)) return false;
  const taken = await db.statsCount.updateMany({ where: { ...unfinishedMarker, count: marker.count }, data: { count: claimUntil(now) } });
  return taken.count === 1;
}

/**
 * Rebuilds the aggregates at start-up when `statisticsNeedRebuild` says so, logging why and what it did. Several
 * processes may start together: one claims the rebuild and the others wait (checking every `pollMs`) until it is
 * done, so none starts recording engagement into figures being rebuilt, and none rebuilds twice.
 */
export async function rebuildStatisticsIfNeeded(
  database: Database,
  options: { indicators: readonly CompiledIndicator[]; clock: () => Date; logger: Logger; pollMs?: number },
): Promise<RebuildResult | null> {
  const { logger, clock } = options;
  let waiting = false;
  for (;;) {
    const reason = await statisticsNeedRebuild(database);
    if (reason === null) return null;
    if (await claimRebuild(database, reason, clock())) {
      logger.info({ reason }, "building statistics from stored engagement events");
      const result = await rebuildStatistics(database, { indicators: options.indicators, now: clock(), clock });
      logger.info({ ...result }, "statistics built");
      return result;
    }
    if (!waiting) logger.info({ reason }, "waiting for another process to finish building statistics");
    waiting = true;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
  }
}
