// Fast bulk loading for npm run bench:stats, straight through the drivers: multi-row INSERTs in large transactions
// on SQLite (better-sqlite3), INSERT … SELECT FROM unnest(arrays) on PostgreSQL (one parameter per column). Only
// the benchmark loads data this way; Loa itself writes through the recorder.
import { statSync } from "node:fs";
import Sqlite from "better-sqlite3";
import pg from "pg";
import type { CountedCell } from "../src/stats/stats-cells.ts";
import type { SyntheticEvent } from "./synthetic-engagement.ts";

/** Writes events and finished aggregate rows; `sizeBytes` and `close` at the end. */
export interface BulkWriter {
  events(rows: readonly SyntheticEvent[]): Promise<void>;
  counts(rows: readonly CountedCell[]): Promise<void>;
  people(rows: ReadonlyArray<readonly [string, string]>): Promise<void>;
  /** Refreshes the planner's statistics after loading, as an operator's maintenance would. */
  analyze(): Promise<void>;
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

const eventColumns = ["kind", "occurredAt", "pseudonym", "channel", "locale", "provinceCode", "communeCode", "topic", "contentKey", "detail", "teamId", "campaignId", "groups"] as const;
const countColumns = ["period", "provinceCode", "communeCode", "dimension", "value", "metric", "count"] as const;
const quoted = (columns: readonly string[]) => columns.map((column) => `"${column}"`).join(", ");

function eventValues(event: SyntheticEvent, time: string): Array<string | null> {
  return [event.kind, time, event.pseudonym, event.channel, event.locale, event.provinceCode, event.communeCode, event.topic, event.contentKey, event.detail, event.teamId, event.campaignId, event.groupsText];
}

const countValues = (row: CountedCell): Array<string | number> => [row.period, row.provinceCode, row.communeCode, row.dimension, row.value, row.metric, row.count];

/** SQLite: prepared multi-row INSERTs of `rowsPerStatement` rows, one transaction per call. */
export function sqliteBulkWriter(path: string): BulkWriter {
  const db = new Sqlite(path);
  db.pragma("journal_mode = WAL");
  // Loading only: a crash would just mean running the bench again.
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  const statements = new Map<string, Sqlite.Statement>();
  const insert = (table: string, columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>, rowsPerStatement: number) => {
    const placeholders = `(${columns.map(() => "?").join(", ")})`;
    db.transaction(() => {
      for (let start = 0; start < rows.length; start += rowsPerStatement) {
        const chunk = rows.slice(start, start + rowsPerStatement);
        const sql = `INSERT INTO "${table}" (${quoted(columns)}) VALUES ${Array.from({ length: chunk.length }, () => placeholders).join(", ")}`;
        let statement = statements.get(sql);
        if (statement === undefined) {
          statement = db.prepare(sql);
          statements.set(sql, statement);
        }
        statement.run(chunk.flat());
      }
    })();
  };
  return {
    // Dates as the Prisma SQLite adapter stores them, so Loa reads these rows like its own.
    events: async (rows) => insert("EngagementEvent", eventColumns, rows.map((event) => eventValues(event, event.occurredAt.toISOString().replace("Z", "+00:00"))), 500),
    counts: async (rows) => insert("StatsCount", countColumns, rows.map(countValues), 1_000),
    people: async (rows) => insert("StatsPerson", ["cell", "pseudonym"], rows, 4_000),
    analyze: async () => {
      db.exec("ANALYZE");
    },
    sizeBytes: async () => ["", "-wal"].reduce((total, suffix) => total + (statSync(`${path}${suffix}`, { throwIfNoEntry: false })?.size ?? 0), 0),
    close: async () => {
      db.pragma("wal_checkpoint(TRUNCATE)");
      db.close();
    },
  };
}

/** PostgreSQL: `INSERT … SELECT * FROM unnest($1::type[], …)` in chunks, with synchronous_commit off for this session. */
export async function postgresBulkWriter(url: string): Promise<BulkWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SET synchronous_commit = off");
  const insert = async (table: string, columns: readonly string[], types: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>, rowsPerStatement: number) => {
    const arrays = `${types.map((type, index) => `$${index + 1}::${type}[]`).join(", ")}`;
    const sql = `INSERT INTO "${table}" (${quoted(columns)}) SELECT * FROM unnest(${arrays})`;
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      const chunk = rows.slice(start, start + rowsPerStatement);
      await client.query(sql, columns.map((_, column) => chunk.map((row) => row[column])));
    }
  };
  const eventTypes = ["text", "timestamp(3)", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text"];
  return {
    events: (rows) => insert("EngagementEvent", eventColumns, eventTypes, rows.map((event) => eventValues(event, event.occurredAt.toISOString().slice(0, 23))), 20_000),
    counts: (rows) => insert("StatsCount", countColumns, ["text", "text", "text", "text", "text", "text", "int4"], rows.map(countValues), 20_000),
    people: (rows) => insert("StatsPerson", ["cell", "pseudonym"], ["text", "text"], rows, 50_000),
    analyze: async () => {
      await client.query("VACUUM ANALYZE");
    },
    sizeBytes: async () => Number((await client.query<{ size: string }>("SELECT pg_database_size(current_database())::text AS size")).rows[0]?.size ?? 0),
    close: () => client.end(),
  };
}
