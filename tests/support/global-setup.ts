// Vitest global setup: migrates one SQLite and one PostgreSQL template per run, so each test database is a
// cheap copy. PostgreSQL trouble is recorded rather than thrown: SQLite tests still run, PostgreSQL tests fail
// with the reason (see createTestDatabase).
//
// PostgreSQL names carry the run's start time and a random tag (`loa_template_<seconds>_<tag>`,
// `loa_test_<seconds>_<tag>_<random>`): several runs can share one server (developers and CI jobs side by side)
// without dropping each other's template, and a run removes what interrupted runs left hours ago.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../src/store/migrate.ts";
import { postgresUrlFor, runAdminStatements } from "./test-database.ts";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Admin connection for creating test databases; `LOA_TEST_POSTGRES_URL` points the tests at another server. */
const postgresAdminUrl = process.env.LOA_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Databases of runs older than this are leftovers of interrupted runs (no run lasts that long). */
const staleAfterSeconds = 6 * 60 * 60;

/** Matches this suite's PostgreSQL databases, capturing the start time of the run that made them. */
const runDatabaseName = /^loa_(?:template|test)_(\d+)_[0-9a-f]{6}(?:_[0-9a-f]+)?$/;

/** Prepares both templates and returns the teardown that removes what this run created. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const folder = await mkdtemp(join(tmpdir(), "loa-test-"));
  const sqliteTemplatePath = join(folder, "template.db");
  const runTag = `${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString("hex")}`;
  const postgresTemplate = `loa_template_${runTag}`;
  const postgresDatabasePrefix = `loa_test_${runTag}_`;
  const [, postgresProblem] = await Promise.all([
    migrateDatabase({ url: `file:${sqliteTemplatePath}`, projectRoot }),
    preparePostgresTemplate(postgresTemplate),
  ]);
  project.provide("loaTestDatabases", {
    sqliteTemplatePath,
    postgresAdminUrl,
    postgresProblem,
    postgresTemplate,
    postgresDatabasePrefix,
  });
  return async () => {
    await rm(folder, { recursive: true, force: true });
    if (postgresProblem === null) {
      await dropDatabases((name) => name === postgresTemplate || name.startsWith(postgresDatabasePrefix));
    }
  };
}

/** Clears stale leftovers, then creates and migrates this run's PostgreSQL template; returns why it could not, or null. */
async function preparePostgresTemplate(name: string): Promise<string | null> {
  try {
    const now = Date.now() / 1000;
    await dropDatabases((existing) => {
      const startedAt = runDatabaseName.exec(existing)?.[1];
      return startedAt !== undefined && now - Number(startedAt) > staleAfterSeconds;
    });
    await runAdminStatements(postgresAdminUrl, [`CREATE DATABASE "${name}"`]);
    await migrateDatabase({ url: postgresUrlFor(postgresAdminUrl, name), projectRoot });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Drops every database whose name `select` accepts. */
async function dropDatabases(select: (name: string) => boolean): Promise<void> {
  const [found] = await runAdminStatements(postgresAdminUrl, ["SELECT datname FROM pg_database"]);
  const names = (found?.rows ?? []).map((row: { datname: string }) => row.datname).filter(select);
  if (names.length > 0) {
    await runAdminStatements(postgresAdminUrl, names.map((name) => `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}
