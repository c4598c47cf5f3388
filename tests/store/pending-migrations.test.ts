import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "../../src/store/database.ts";
import { pendingMigrations, shippedMigrations } from "../../src/store/migrate.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../support/test-database.ts";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

describe.each(databaseKinds)("pending migrations on %s", (kind) => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.drop();
    test = undefined;
  });

  it("are none on a migrated database, so start-up does not run the migration CLI", async () => {
    test = await createTestDatabase(kind);
    expect(await shippedMigrations(projectRoot, kind)).not.toHaveLength(0);
    expect(await pendingMigrations(test.database, projectRoot)).toEqual([]);
  });

  it("include a shipped migration the database has not recorded", async () => {
    test = await createTestDatabase(kind);
    const [first] = await shippedMigrations(projectRoot, kind);
    await test.database.client.$executeRawUnsafe(`DELETE FROM _prisma_migrations WHERE migration_name = '${first}'`);
    expect(await pendingMigrations(test.database, projectRoot)).toEqual([first]);
  });
});

describe("pending migrations on an empty SQLite file", () => {
  let database: Database | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await database?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("are all of them", async () => {
    dir = await mkdtemp(join(tmpdir(), "loa-pending-"));
    database = await createDatabase({ url: `file:${join(dir, "new.db")}` });
    expect(await pendingMigrations(database, projectRoot)).toEqual(await shippedMigrations(projectRoot, "sqlite"));
  });
});
