// Recomputes every aggregate from the stored engagement events: after indicators.yaml changes, and for databases
// that held events before the aggregates existed.
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

/** What a rebuild did. */
export type RebuildResult = { events: number; counts: number; people: number };

/** Batches between two prunes of the periods the rebuild has left behind. */
const batchesPerPrune = 25;

/** What a rebuild needs: the indicators to count toward, the time now, and optionally a batch size and a progress callback. */
export type RebuildOptions = {
  indicators: readonly CompiledIndicator[];
  /** Periods that ended well before this are pruned at the end (see stats-pruning.ts). */
  now: Date;
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
  const total = await db.engagementEvent.count();
  const lastId = (await db.engagementEvent.aggregate({ _max: { id: true } }))._max.id ?? 0;
  await db.$transaction(async (tx) => {
    if (database.kind === "postgres") await tx.$executeRawUnsafe('TRUNCATE "StatsCount", "StatsPerson"');
    else {
      await tx.$executeRawUnsafe('DELETE FROM "StatsCount"');
      await tx.$executeRawUnsafe('DELETE FROM "StatsPerson"');
    }
    await tx.statsCount.create({ data: { ...unfinishedMarker, count: 1 } });
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
    // Every later event is at or after `last`, so periods that ended before it can take no more people.
    if (batch % batchesPerPrune === 0) await pruneClosedPeriods(db, last.occurredAt);
    options.onProgress?.(done, total);
  }
  await pruneClosedPeriods(db, options.now);
  await db.statsCount.delete({ where: { period_provinceCode_communeCode_dimension_value_metric: unfinishedMarker } });
  return { events: done, counts: await db.statsCount.count(), people: await db.statsPerson.count() };
}

/**
 * Decides at start-up whether the aggregates must be built from the events: when a rebuild was cut short, or
 * when StatsCount is empty but events exist (a database from before the aggregates, or statistics wiped by hand).
 */
export async function statisticsNeedRebuild(database: Database): Promise<"unfinished" | "empty" | null> {
  const db = database.client;
  const marker = await db.statsCount.findUnique({ where: { period_provinceCode_communeCode_dimension_value_metric: unfinishedMarker } });
  if (marker !== null) return "unfinished";
  if ((await db.statsCount.findFirst({ select: { period: true } })) !== null) return null;
  return (await db.engagementEvent.findFirst({ select: { id: true } })) === null ? null : "empty";
}

/** Rebuilds the aggregates at start-up when `statisticsNeedRebuild` says so, logging why and what it did. */
export async function rebuildStatisticsIfNeeded(database: Database, options: { indicators: readonly CompiledIndicator[]; now: Date; logger: Logger }): Promise<RebuildResult | null> {
  const { logger } = options;
  const reason = await statisticsNeedRebuild(database);
  if (reason === null) return null;
  logger.info({ reason }, "building statistics from stored engagement events");
  const result = await rebuildStatistics(database, { indicators: options.indicators, now: options.now });
  logger.info({ ...result }, "statistics built");
  return result;
}
