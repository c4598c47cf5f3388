// Applies pending migrations at start-up with the Prisma CLI (`migrate deploy`), the path Prisma supports
// for production; prisma.config.ts picks the SQLite or PostgreSQL schema from DATABASE_URL.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { DatabaseError } from "../errors.ts";
import { createDatabase, databaseKind, redactDatabaseUrl, sqliteFilePath, type Database, type DatabaseKind } from "./database.ts";

/** The database to migrate and the project folder holding `prisma.config.ts`, `prisma/` and `node_modules/`. */
export interface MigrationOptions {
  url: string;
  projectRoot: string;
}

/**
 * What `migrate deploy` prints once it has applied everything. On PostgreSQL the CLI's WebAssembly schema
 * engine leaves a 10-second advisory-lock timer running after success, which keeps the process (and its
 * session advisory lock) alive; once this line is out the work is done, so the process is stopped instead.
 * SQLite exits by itself and is left to, so its file is always closed cleanly.
 */
const successLines = ["All migrations have been successfully applied.", "No pending migrations to apply."];

/**
 * Brings the database at `url` up to the latest migration by running the Prisma CLI as a child process.
 * A relative SQLite path is resolved against the current folder (the CLI runs in `projectRoot`), and its
 * folder is created. Throws a `DatabaseError` holding the CLI's output, with any password removed.
 */
export async function migrateDatabase(options: MigrationOptions): Promise<void> {
  const url = cliDatabaseUrl(options.url);
  const stopOnSuccess = databaseKind(url) === "postgres";
  const cli = join(options.projectRoot, "node_modules/prisma/build/index.js");
  const child = spawn(process.execPath, [cli, "migrate", "deploy"], {
    cwd: options.projectRoot,
    // Only what the CLI needs: the app's environment (and its secrets) stays out of the child.
    env: { DATABASE_URL: url, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let succeeded = false;
  const collect = (chunk: Buffer): void => {
    output += chunk.toString("utf8");
    if (stopOnSuccess && !succeeded && successLines.some((line) => output.includes(line))) {
      succeeded = true;
      child.kill();
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((settle, fail) => {
    child.once("error", fail);
    child.once("close", (code, signal) => settle({ code, signal }));
  }).catch((error: unknown) => {
    throw new DatabaseError("Could not start the Prisma CLI to migrate the database", "database:migration-failed", {
      cause: error,
      context: { url: redactDatabaseUrl(url), cli },
    });
  });
  if (exit.code === 0 || succeeded) return;
  throw new DatabaseError(
    `Database migration failed (prisma migrate deploy exited with ${exit.code ?? exit.signal}):\n${withoutPassword(output, url).trim()}`,
    "database:migration-failed",
    { context: { url: redactDatabaseUrl(url) } },
  );
}

/** The URL as the CLI should see it: SQLite paths made absolute (creating their folder), PostgreSQL as is. */
function cliDatabaseUrl(url: string): string {
  if (databaseKind(url) === "postgres") return url;
  const path = resolve(sqliteFilePath(url));
  mkdirSync(dirname(path), { recursive: true });
  return `file:${path}`;
}

/** `text` with the URL's password (as written and percent-decoded) replaced by `***`. */
function withoutPassword(text: string, url: string): string {
  if (databaseKind(url) !== "postgres" || !URL.canParse(url)) return text;
  const written = new URL(url).password;
  if (written === "") return text;
  let decoded = written;
  try {
    decoded = decodeURIComponent(written);
  } catch {
    // A malformed escape: the password can only appear as written.
  }
  return text.replaceAll(written, "***").replaceAll(decoded, "***");
}

/** Migration folders shipped for a database kind, in the order Prisma applies them. */
export async function shippedMigrations(projectRoot: string, kind: DatabaseKind): Promise<string[]> {
  const folder = join(projectRoot, "prisma", kind, "migrations");
  const entries = await readdir(folder, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/**
 * Shipped migrations the open database has not applied, read from Prisma's own `_prisma_migrations` table
 * (all of them when the table does not exist yet). Start-up runs the Prisma CLI only when this is not empty:
 * the CLI takes an exclusive lock on SQLite, which fails while another Loa process has the file open.
 */
export async function pendingMigrations(database: Database, projectRoot: string): Promise<string[]> {
  const shipped = await shippedMigrations(projectRoot, database.kind);
  let applied: Set<string>;
  try {
    const rows = await database.client.$queryRawUnsafe<Array<{ migration_name: string }>>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    applied = new Set(rows.map((row) => row.migration_name));
  } catch (error) {
    if (!/_prisma_migrations/.test(String(error instanceof Error ? error.message : error))) throw error;
    applied = new Set();
  }
  return shipped.filter((name) => !applied.has(name));
}

/**
 * Opens the database, first applying any migration it lacks. The migration CLI runs only when one is
 * pending, with the connection closed meanwhile, so a second process can open a SQLite file already in use.
 */
export async function openMigratedDatabase(options: { url: string; poolSize: number; projectRoot: string }): Promise<Database> {
  const open = () => createDatabase({ url: options.url, poolSize: options.poolSize });
  const database = await open();
  if ((await pendingMigrations(database, options.projectRoot)).length === 0) return database;
  await database.close();
  await migrateDatabase({ url: options.url, projectRoot: options.projectRoot });
  return open();
}
