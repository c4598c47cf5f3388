// Prisma CLI configuration for migration commands (`migrate deploy`, `migrate status`, `migrate diff`).
// The CLI is a separate tool from the app, so it reads DATABASE_URL itself; the app passes it explicitly.
// SQLite is the default; a postgres:// URL selects the PostgreSQL schema and migrations.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const url = process.env.DATABASE_URL ?? "file:./data/loa.db";
const isPostgres = /^postgres(ql)?:\/\//.test(url);
const folder = isPostgres ? "prisma/postgres" : "prisma/sqlite";

/**
 * Catalog column types that migration introspection selects and @prisma/adapter-pg 6.19 cannot map
 * ("Column type 'name' could not be deserialized", prisma/orm#27403), read as text instead:
 * char, name, int2vector, regproc, xid, oidvector, pg_node_tree, regclass, regtype → text; name[] → text[].
 */
const catalogTypesAsText = new Map([
  [18, 25], [19, 25], [22, 25], [24, 25], [28, 25], [30, 25], [194, 25], [2205, 25], [2206, 25], [1003, 1009],
]);

/**
 * A pg client that renames catalog column types before pg parses the rows, so the adapter maps them.
 * Its listener on the connection's row descriptions is registered before the client's own (at connect).
 * Only migration commands use this client.
 */
class MigrationClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super(config);
    this.connection.on("rowDescription", (message: { fields: Array<{ dataTypeID: number }> }) => {
      for (const field of message.fields) field.dataTypeID = catalogTypesAsText.get(field.dataTypeID) ?? field.dataTypeID;
    });
  }
}

/**
 * pg settings from a URL, passed field by field: a connectionString would also override the shadow database name.
 * `allowExitOnIdle` lets the CLI exit at once: it never closes its pool, whose idle clients would hold it ~10 s.
 */
function postgresOptions(raw: string) {
  const parsed = new URL(raw);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    database: decodeURIComponent(parsed.pathname.slice(1)),
    user: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    Client: MigrationClient,
    allowExitOnIdle: true,
  };
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: `${folder}/schema.prisma`,
  migrations: { path: `${folder}/migrations` },
  adapter: async () =>
    isPostgres ? new PrismaPg(postgresOptions(url)) : new PrismaBetterSQLite3({ url, timeout: 5000 }),
});
