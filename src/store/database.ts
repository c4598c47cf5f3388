// Opens Loa's database from a URL: SQLite (embedded default) or PostgreSQL (scale-out), one client type for both.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaClientKnownRequestError } from "@prisma/client/runtime/client";
import type { Prisma, PrismaClient } from "./generated/sqlite/client.ts";
import { DatabaseError } from "../errors.ts";
import { SqliteSerialAdapterFactory } from "./sqlite-serial-adapter.ts";

/**
 * The Prisma client the rest of the app uses, typed as the SQLite client on both databases: it is the
 * stricter of the two (it rejects PostgreSQL-only filters at compile time), so code that compiles runs on both.
 */
export type DatabaseClient = PrismaClient;

/** The `tx` argument of `client.$transaction(async (tx) => ...)`: repositories accept it to join a transaction. */
export type DatabaseTransaction = Prisma.TransactionClient;

/** Which database a URL selects. */
export type DatabaseKind = "sqlite" | "postgres";

/** An open database: the client, which kind it is (for the few raw-SQL differences), and how to close it. */
export interface Database {
  client: DatabaseClient;
  kind: DatabaseKind;
  close(): Promise<void>;
}

/** Where the database is; `poolSize` caps PostgreSQL connections (SQLite always uses one). */
export interface DatabaseOptions {
  url: string;
  poolSize?: number;
}

/** SQLite's busy timeout in milliseconds: how long a write waits for another process's write lock. */
const sqliteBusyTimeoutMs = 5000;

/** Decides the database from the URL: `postgres://`/`postgresql://`, else `file:` or a bare path for SQLite. */
export function databaseKind(url: string): DatabaseKind {
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  if (url.startsWith("file:") || !url.includes("://")) return "sqlite";
  throw new DatabaseError("Unsupported database URL: use postgres://, postgresql://, file: or a file path", "database:unsupported-url", {
    context: { url: redactDatabaseUrl(url) },
  });
}

/** The SQLite file a `file:` URL or bare path names, as better-sqlite3 opens it (relative to the working folder). */
export function sqliteFilePath(url: string): string {
  return url.startsWith("file:") ? url.slice("file:".length) : url;
}

/** The URL with any password replaced by `***`, safe for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  // Greedy up to the last "@" of the authority, so a password holding an unencoded "@" is hidden whole.
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i.exec(url);
  const userInfo = match?.[2];
  if (match === null || userInfo === undefined || !userInfo.includes(":")) return url;
  return `${match[1]}${userInfo.slice(0, userInfo.indexOf(":"))}:***@${url.slice(match[0].length)}`;
}

/**
 * Opens the database `url` names and checks that it answers. SQLite runs through the serial adapter
 * (see sqlite-serial-adapter.ts) in WAL mode with `synchronous = NORMAL` and foreign keys on;
 * PostgreSQL uses a pg pool of `poolSize` connections. Migrations are applied separately (migrate.ts).
 */
export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  const kind = databaseKind(options.url);
  const client = kind === "sqlite" ? await openSqlite(options.url) : await openPostgres(options);
  return { client, kind, close: () => client.$disconnect() };
}

async function openSqlite(url: string): Promise<DatabaseClient> {
  const path = sqliteFilePath(url);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new DatabaseError("Could not create the SQLite database's folder", "database:unreachable", { cause: error, context: { path } });
  }
  const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
  const { PrismaClient } = await import("./generated/sqlite/client.ts");
  const adapter = new SqliteSerialAdapterFactory(new PrismaBetterSQLite3({ url: path, timeout: sqliteBusyTimeoutMs }));
  const client = new PrismaClient({ adapter });
  try {
    const rows = await client.$queryRawUnsafe<Array<{ journal_mode: unknown }>>("PRAGMA journal_mode = WAL");
    const mode = rows[0]?.journal_mode;
    if (mode !== "wal") {
      throw new DatabaseError("SQLite refused WAL mode (is the file on a network or read-only filesystem?)", "database:no-wal", {
        context: { path, journalMode: mode },
      });
    }
    await client.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
    await client.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  } catch (error) {
    await client.$disconnect();
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError("Could not open the SQLite database", "database:unreachable", { cause: error, context: { path } });
  }
  return client;
}

async function openPostgres(options: DatabaseOptions): Promise<DatabaseClient> {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { PrismaClient } = await import("./generated/postgres/client.ts");
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: options.url, max: options.poolSize }) });
  try {
    await client.$queryRawUnsafe("SELECT 1");
  } catch (error) {
    await client.$disconnect();
    throw new DatabaseError("The PostgreSQL database does not answer", "database:unreachable", {
      cause: error,
      context: { url: redactDatabaseUrl(options.url) },
    });
  }
  // The only cast between the two clients (stack-notes "One codebase, two databases"): the generated
  // PostgreSQL and SQLite clients have the same models but differ in `$transaction` options, so neither type
  // is assignable to the other. The app is typed against the stricter SQLite client, which PostgreSQL accepts.
  return client as unknown as DatabaseClient;
}

/**
 * True when `error` is a unique-constraint violation, on either database. Model operations raise P2002;
 * raw SQL raises P2010 carrying the driver adapter's `UniqueConstraintViolation`; with driver adapters
 * `meta.target` is absent on both, so the constraint is only identified through `meta.driverAdapterError`.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof PrismaClientKnownRequestError)) return false;
  if (error.code === "P2002") return true;
  return error.code === "P2010" && driverAdapterErrorKind(error.meta) === "UniqueConstraintViolation";
}

/** `meta.driverAdapterError.cause.kind`, read without trusting the shape of `meta`. */
function driverAdapterErrorKind(meta: Record<string, unknown> | undefined): unknown {
  const adapterError = meta?.["driverAdapterError"];
  if (typeof adapterError !== "object" || adapterError === null || !("cause" in adapterError)) return undefined;
  const cause = adapterError.cause;
  if (typeof cause !== "object" || cause === null || !("kind" in cause)) return undefined;
  return cause.kind;
}
