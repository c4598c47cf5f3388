// Prisma CLI configuration for migration commands (`migrate deploy`, `migrate status`, `migrate diff`).
// The CLI is a separate tool from the app, so it reads DATABASE_URL itself; the app passes it explicitly.
// SQLite is the default; a postgres:// URL selects the PostgreSQL schema and migrations.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

const url = process.env.DATABASE_URL ?? "file:./data/loa.db";
const isPostgres = /^postgres(ql)?:\/\//.test(url);
const folder = isPostgres ? "prisma/postgres" : "prisma/sqlite";

/** pg settings from a URL, passed field by field: a connectionString would also override the shadow database name. */
function postgresOptions(raw: string) {
  const parsed = new URL(raw);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    database: decodeURIComponent(parsed.pathname.slice(1)),
    user: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
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
