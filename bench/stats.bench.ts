// npm run bench:stats — reach statistics at national scale. For each size (default 1 million and 10 million
// engagement events over 2026) and each database, generates a synthetic year day by day (bench/synthetic-engagement.ts),
// bulk-inserts the events, builds StatsCount and StatsPerson from them with the recorder's own cell function
// (bench/streaming-aggregates.ts), then times the dashboard's reads through src/stats/stats-query.ts:
//   overview     people, lượt and messages of one province in 2026-H2, by month and for the half-year
//   by commune   people, lượt and messages of every commune of that province in 2026-H2
//   indicator    people counted toward each indicator in every commune of that province in 2026
//   API overview, API indicators   what the staff API answers for the overview and indicator progress, whole
//                (every read, the commune figures protected); the shipped place list, the synthetic communes
//                come from the aggregates
// and prints p50/p95 of each, the 10M ÷ 1M ratio, generation time, database size and row counts. Asserts nothing.
//
//   npm run bench:stats                                    1M and 10M on SQLite and PostgreSQL (the 10M runs take long)
//   npm run bench:stats -- --sizes 100000,1000000         quick
//   npm run bench:stats -- --databases sqlite --runs 100 --people 200000 --skip-people
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { PlaceLookup } from "../src/engine/place-lookup.ts";
import { createPlaceIndex } from "../src/places/place-index.ts";
import { loadShippedPlaces } from "../src/places/shipped-places.ts";
import { readCommuneFigures } from "../src/stats/commune-figures.ts";
import { indicatorProgress, showProgress } from "../src/stats/indicator-progress.ts";
import { compileIndicators, indicatorsFile, loadIndicators, type Indicator } from "../src/stats/indicators.ts";
import { periodKeys, periodKeysOf } from "../src/stats/periods.ts";
import { readCounts, readVisits } from "../src/stats/stats-query.ts";
import { buildOverview } from "../src/stats/stats-overview.ts";
import { createDatabase, sqliteFilePath, type DatabaseClient } from "../src/store/database.ts";
import { migrateDatabase } from "../src/store/migrate.ts";
import { postgresBulkWriter, sqliteBulkWriter, type BulkWriter } from "./stats-bulk-writer.ts";
import { createStreamingAggregates } from "./streaming-aggregates.ts";
import { createSyntheticYear, pseudonymOf } from "./synthetic-engagement.ts";
import { throwawayDatabase } from "./throwaway-database.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000000,10000000" },
    databases: { type: "string", default: "sqlite,postgres" },
    runs: { type: "string", default: "50" },
    people: { type: "string", default: "200000" },
    communes: { type: "string", default: "3000" },
    "skip-people": { type: "boolean", default: false },
  },
});
const sizes = args.sizes.split(",").map(Number);
const kinds = args.databases.split(",").map((kind) => (kind === "postgres" ? "postgres" : "sqlite"));
const runs = Math.max(1, Number(args.runs));
const year = 2026;

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const seconds = (since: number) => (performance.now() - since) / 1000;
const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
const log = (line: string) => process.stderr.write(`${line}\n`);

type Timing = { p50: number; p95: number };
/** Scratch databases not yet removed; Ctrl-C removes them too, since a 10M one holds gigabytes. */
const undisposed = new Set<() => Promise<void>>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...undisposed].map((dispose) => dispose())).then(() => process.exit(130));
  });
}

/** A loaded database, kept until every size and database has been loaded so their reads are timed side by side. */
type Loaded = {
  size: number;
  kind: "sqlite" | "postgres";
  url: string;
  dispose(): Promise<void>;
  generateSeconds: number;
  phases: Record<string, number>;
  peakRssMb: number;
  bytes: number;
  rows: { events: number; counts: number; people: number; peopleUnpruned: number };
};

const timingOf = (samples: number[]): Timing => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};

/**
 * The dashboard's reads for the province with the most people: the three raw reads, and what the staff API
 * answers (the overview, and indicator progress with its commune figures protected), whole.
 */
function dashboardQueries(db: DatabaseClient, provinceCode: string, places: PlaceLookup, indicators: readonly Indicator[]): Record<string, () => Promise<unknown>> {
  const months = periodKeys("month", `${year}-H2`);
  const deps = { db, places, indicators, threshold: 5 };
  const period = `${year}-H2`;
  return {
    "API overview": () => buildOverview(deps, { period, provinceCode, scope: { kind: "province" } }),
    "API indicators": async () => {
      const [progress, figures] = await Promise.all([indicatorProgress(deps, { period, provinceCode }), readCommuneFigures(deps, { period, provinceCode })]);
      return showProgress(progress, figures, { kind: "province" });
    },
    overview: () =>
      Promise.all([
        readCounts(db, { periods: [...months, `h${year}-2`], provinceCode, metrics: ["people", "messages"] }),
        readVisits(db, { periods: [...months, `h${year}-2`], provinceCode }),
      ]),
    "by commune": () =>
      Promise.all([
        readCounts(db, { periods: [`h${year}-2`], provinceCode, communeCode: "*", metrics: ["people", "messages"] }),
        readVisits(db, { periods: [`h${year}-2`], provinceCode, communeCode: "*" }),
      ]),
    indicator: () => readCounts(db, { periods: [`y${year}`], provinceCode, communeCode: "*", dimension: "indicator", metrics: ["people"] }),
  };
}

/** Generates and bulk-loads one size into one database; the database stays for timing (the caller disposes it). */
async function load(size: number, kind: "sqlite" | "postgres", provinceCodes: string[]): Promise<Loaded> {
  const indicators = compileIndicators(await loadIndicators(indicatorsFile(join(root, "content"))));
  const scratch = await throwawayDatabase(kind, `stats_${size}`);
  undisposed.add(scratch.dispose);
  try {
    await migrateDatabase({ url: scratch.url, projectRoot: root });
    const writer: BulkWriter = kind === "sqlite" ? sqliteBulkWriter(sqliteFilePath(scratch.url)) : await postgresBulkWriter(scratch.url);
    const world = createSyntheticYear({ seed: 8, year, events: size, people: Number(args.people), provinceCodes, communes: Number(args.communes) });
    const aggregates = createStreamingAggregates(indicators, pseudonymOf);
    const phases = { generate: 0, "insert events": 0, "count cells": 0, "insert counts": 0, "insert people": 0, analyze: 0 };
    const phase = async <T>(name: keyof typeof phases, work: () => T | Promise<T>): Promise<T> => {
      const start = performance.now();
      const result = await work();
      phases[name] += seconds(start);
      return result;
    };
    let peakRss = 0;
    let events = 0;
    let peopleRows = 0;
    let countRows = 0;
    const started = performance.now();
    const firstDay = Date.UTC(year, 0, 1) - 7 * 3_600_000;
    // StatsPerson as Loa holds it on 1 January after pruning (stats-pruning.ts): the periods of the year's last two days.
    const kept = new Set([...periodKeysOf(new Date(firstDay + (world.days - 2) * 86_400_000)), ...periodKeysOf(new Date(firstDay + (world.days - 1) * 86_400_000))]);
    const writePeople = async (periodKey: string) => {
      let chunk: Array<[string, string]> = [];
      for (const row of aggregates.peopleOf(periodKey)) {
        chunk.push(row);
        if (chunk.length === 100_000) {
          await writer.people(chunk);
          peopleRows += chunk.length;
          chunk = [];
        }
      }
      await writer.people(chunk);
      peopleRows += chunk.length;
    };
    for (let day = 0; day < world.days; day += 1) {
      const dayEvents = await phase("generate", () => world.day(day));
      await phase("insert events", () => writer.events(dayEvents));
      await phase("count cells", () => aggregates.add(dayEvents));
      events += dayEvents.length;
      const next = day + 1 < world.days ? new Set(periodKeysOf(new Date(firstDay + (day + 1) * 86_400_000))) : new Set<string>();
      if (!args["skip-people"]) {
        for (const key of kept) if (!next.has(key)) await phase("insert people", () => writePeople(key));
      }
      // In primary-key order, so the index grows at its end instead of splitting pages all over.
      const finished = aggregates.close(next).sort((a, b) => compareText(a.period, b.period) || compareText(a.provinceCode, b.provinceCode) || compareText(a.communeCode, b.communeCode) || compareText(a.dimension, b.dimension) || compareText(a.value, b.value) || compareText(a.metric, b.metric));
      countRows += finished.length;
      await phase("insert counts", () => writer.counts(finished));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if ((day + 1) % 61 === 0) log(`  ${kind} ${size}: day ${day + 1}/${world.days}, ${events} events, ${seconds(started).toFixed(0)} s`);
    }
    await phase("analyze", () => writer.analyze());
    const generateSeconds = seconds(started);
    const bytes = await writer.sizeBytes();
    await writer.close();
    const rows = { events, counts: countRows, people: peopleRows, peopleUnpruned: aggregates.everCounted() };
    return { size, kind, url: scratch.url, dispose: scratch.dispose, generateSeconds, phases, peakRssMb: peakRss / 1_048_576, bytes, rows };
  } catch (error) {
    undisposed.delete(scratch.dispose);
    await scratch.dispose();
    throw error;
  }
}

/**
 * Times the dashboard reads on every loaded database, interleaved: each round runs each query once on each database,
 * so a busy moment of the (shared) machine falls on all of them alike and the 10M ÷ 1M ratio stays fair.
 */
async function timeQueries(loaded: readonly Loaded[], provinceCode: string, places: PlaceLookup, indicators: readonly Indicator[]): Promise<Array<Record<string, Timing>>> {
  const databases = await Promise.all(loaded.map((entry) => createDatabase({ url: entry.url, poolSize: 4 })));
  try {
    const queries = databases.map((database) => dashboardQueries(database.client, provinceCode, places, indicators));
    const samples = queries.map((set) => Object.fromEntries(Object.keys(set).map((name) => [name, [] as number[]])));
    for (let round = -3; round < runs; round += 1) {
      for (const [index, set] of queries.entries()) {
        for (const [name, query] of Object.entries(set)) {
          const start = performance.now();
          await query();
          if (round >= 0) samples[index]?.[name]?.push(performance.now() - start);
        }
      }
    }
    return samples.map((set) => Object.fromEntries(Object.entries(set).map(([name, values]) => [name, timingOf(values)])));
  } finally {
    await Promise.all(databases.map((database) => database.close()));
  }
}

const shipped = await loadShippedPlaces(join(root, "content"));
const provinceCodes = shipped.provinces.map((province) => province.code);
process.stdout.write(
  `bench:stats — Node ${process.version}, ${cpus()[0]?.model ?? "cpu"} × ${cpus().length}; ${args.people} people, ${args.communes} communes in ${provinceCodes.length} provinces, ` +
    `${runs} timed runs per query${args["skip-people"] ? "; StatsPerson not written" : ""}\n`,
);
const loaded: Loaded[] = [];
try {
  for (const size of sizes) {
    for (const kind of kinds) {
      const entry = await load(size, kind, provinceCodes);
      loaded.push(entry);
      const { rows } = entry;
      process.stdout.write(
        `\n${kind}, ${size.toLocaleString("en")} events: generated and loaded in ${entry.generateSeconds.toFixed(0)} s ` +
          `(${Object.entries(entry.phases).map(([name, value]) => `${name} ${value.toFixed(0)} s`).join(", ")}), peak RSS ${entry.peakRssMb.toFixed(0)} MB\n` +
          `  database ${megabytes(entry.bytes)}; rows: EngagementEvent ${rows.events.toLocaleString("en")}, StatsCount ${rows.counts.toLocaleString("en")}, StatsPerson ${rows.people.toLocaleString("en")} (${rows.peopleUnpruned.toLocaleString("en")} without pruning ended periods)\n`,
      );
    }
  }
  const indicators = await loadIndicators(indicatorsFile(join(root, "content")));
  const timings = await timeQueries(loaded, provinceCodes[0] ?? "01", createPlaceIndex([...shipped.provinces, ...shipped.sampleCommunes]), indicators);
  process.stdout.write(`\nthe staff API's answers, and the reads through src/stats/stats-query.ts behind them, ${runs} interleaved runs each (ms, p50 / p95):\n`);
  for (const [index, entry] of loaded.entries()) {
    const line = Object.entries(timings[index] ?? {}).map(([name, timing]) => `${name} ${timing.p50.toFixed(2)} / ${timing.p95.toFixed(2)}`);
    process.stdout.write(`  ${entry.kind.padEnd(8)} ${entry.size.toLocaleString("en").padStart(10)} events   ${line.join("   ")}\n`);
  }
  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
  if (smallest !== largest) {
    process.stdout.write(`\nratio ${largest.toLocaleString("en")} ÷ ${smallest.toLocaleString("en")} events (p50, p95):\n`);
    for (const kind of kinds) {
      const small = timings[loaded.findIndex((entry) => entry.kind === kind && entry.size === smallest)];
      const large = timings[loaded.findIndex((entry) => entry.kind === kind && entry.size === largest)];
      for (const name of Object.keys(small ?? {})) {
        const a = small?.[name];
        const b = large?.[name];
        if (a === undefined || b === undefined) continue;
        process.stdout.write(`  ${kind.padEnd(8)} ${name.padEnd(15)} ${(b.p50 / a.p50).toFixed(2)}   ${(b.p95 / a.p95).toFixed(2)}\n`);
      }
    }
  }
} finally {
  for (const entry of loaded) {
    undisposed.delete(entry.dispose);
    await entry.dispose();
  }
}
