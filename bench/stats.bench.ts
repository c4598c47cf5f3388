// npm run bench:stats — reach statistics at national scale. For each size (default 1 million and 10 million
// engagement events over 2026) and each database, generates a synthetic year day by day (bench/synthetic-engagement.ts),
// bulk-inserts the events, builds StatsCount and StatsPerson from them with the recorder's own cell function
// (bench/streaming-aggregates.ts), then times the dashboard's reads through src/stats/stats-query.ts:
//   overview     people, lượt and messages of one province in 2026-H2, by month and for the half-year
//   by commune   people, lượt and messages of every commune of that province in 2026-H2
//   indicator    people counted toward each indicator in every commune of that province in 2026
// and prints p50/p95 of each, the 10M ÷ 1M ratio, generation time, database size and row counts. Asserts nothing.
//
//   npm run bench:stats                                    1M and 10M on SQLite and PostgreSQL (the 10M runs take long)
//   npm run bench:stats -- --sizes 100000,1000000         quick
//   npm run bench:stats -- --databases sqlite --runs 100 --people 200000 --skip-people
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadShippedPlaces } from "../src/places/shipped-places.ts";
import { compileIndicators, indicatorsFile, loadIndicators } from "../src/stats/indicators.ts";
import { periodKeys, periodKeysOf } from "../src/stats/periods.ts";
import { readCounts, readVisits } from "../src/stats/stats-query.ts";
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
type Result = {
  size: number;
  kind: string;
  generateSeconds: number;
  phases: Record<string, number>;
  peakRssMb: number;
  bytes: number;
  rows: { events: number; counts: number; people: number; peopleUnpruned: number };
  queries: Record<string, Timing>;
};

async function time(runCount: number, query: () => Promise<unknown>): Promise<Timing> {
  for (let warm = 0; warm < 3; warm += 1) await query();
  const samples: number[] = [];
  for (let run = 0; run < runCount; run += 1) {
    const start = performance.now();
    await query();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** The three dashboard reads, for the province with the most people. */
function dashboardQueries(db: DatabaseClient, provinceCode: string): Record<string, () => Promise<unknown>> {
  const months = periodKeys("month", `${year}-H2`);
  return {
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

async function runOne(size: number, kind: "sqlite" | "postgres", provinceCodes: string[]): Promise<Result> {
  const indicators = compileIndicators(await loadIndicators(indicatorsFile(join(root, "content"))));
  const scratch = await throwawayDatabase(kind, `stats_${size}`);
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
    const database = await createDatabase({ url: scratch.url, poolSize: 4 });
    try {
      const queries: Record<string, Timing> = {};
      for (const [name, query] of Object.entries(dashboardQueries(database.client, provinceCodes[0] ?? "01"))) queries[name] = await time(runs, query);
      const rows = { events, counts: countRows, people: peopleRows, peopleUnpruned: aggregates.everCounted() };
      return { size, kind, generateSeconds, phases, peakRssMb: peakRss / 1_048_576, bytes, rows, queries };
    } finally {
      await database.close();
    }
  } finally {
    await scratch.dispose();
  }
}

const provinceCodes = (await loadShippedPlaces(join(root, "content"))).provinces.map((province) => province.code);
process.stdout.write(
  `bench:stats — Node ${process.version}, ${cpus()[0]?.model ?? "cpu"} × ${cpus().length}; ${args.people} people, ${args.communes} communes in ${provinceCodes.length} provinces, ` +
    `${runs} timed runs per query${args["skip-people"] ? "; StatsPerson not written" : ""}\n`,
);
const results: Result[] = [];
for (const size of sizes) {
  for (const kind of kinds) {
    const result = await runOne(size, kind, provinceCodes);
    results.push(result);
    const { rows, queries } = result;
    process.stdout.write(
      `\n${kind}, ${size.toLocaleString("en")} events: generated and loaded in ${result.generateSeconds.toFixed(0)} s ` +
        `(${Object.entries(result.phases).map(([name, value]) => `${name} ${value.toFixed(0)} s`).join(", ")}), peak RSS ${result.peakRssMb.toFixed(0)} MB\n` +
        `  database ${megabytes(result.bytes)}; rows: EngagementEvent ${rows.events.toLocaleString("en")}, StatsCount ${rows.counts.toLocaleString("en")}, StatsPerson ${rows.people.toLocaleString("en")} (${rows.peopleUnpruned.toLocaleString("en")} without pruning ended periods)\n` +
        Object.entries(queries).map(([name, timing]) => `  ${name.padEnd(11)} p50 ${timing.p50.toFixed(2)} ms   p95 ${timing.p95.toFixed(2)} ms\n`).join(""),
    );
  }
}
const smallest = Math.min(...sizes);
const largest = Math.max(...sizes);
if (smallest !== largest) {
  process.stdout.write(`\nratio ${largest.toLocaleString("en")} ÷ ${smallest.toLocaleString("en")} events (p50, p95):\n`);
  for (const kind of kinds) {
    const small = results.find((result) => result.kind === kind && result.size === smallest);
    const large = results.find((result) => result.kind === kind && result.size === largest);
    if (small === undefined || large === undefined) continue;
    for (const name of Object.keys(small.queries)) {
      const a = small.queries[name];
      const b = large.queries[name];
      if (a === undefined || b === undefined) continue;
      process.stdout.write(`  ${kind.padEnd(8)} ${name.padEnd(11)} ${(b.p50 / a.p50).toFixed(2)}   ${(b.p95 / a.p95).toFixed(2)}\n`);
    }
  }
}
