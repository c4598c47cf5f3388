// Adds a migration for both databases from the change in prisma/models.prisma since the last migration.
//   npm run db:migration -- <name>     write prisma/{sqlite,postgres}/migrations/<timestamp>_<name>/migration.sql
//   npm run db:migration -- --check    exit 1 when models.prisma has changes that no migration covers
// Uses `prisma migrate diff` between schema files and no downloaded engine. Prisma's JavaScript engine still
// opens a connection for PostgreSQL diffs: LOA_MIGRATION_POSTGRES_URL (default: the local `test` database).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const prisma = join(root, "node_modules/prisma/build/index.js");
const arg = process.argv[2];
const postgresUrl = process.env.LOA_MIGRATION_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
if (!arg) {
  console.error("usage: npm run db:migration -- <name> | --check");
  process.exit(2);
}
const check = arg === "--check";
if (!check && !/^[a-z0-9_]+$/.test(arg)) {
  console.error(`Migration name "${arg}" must be lower-case letters, digits and underscores.`);
  process.exit(2);
}

execFileSync(process.execPath, [join(root, "scripts/prisma-generate.mjs"), "--schemas-only"], { stdio: "inherit" });
// The JavaScript engine opens the SQLite file a diff runs against: a throw-away one, so no folder must exist.
const scratch = mkdtempSync(join(tmpdir(), "loa-migration-diff-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
let pending = [];
for (const [name, provider] of [["sqlite", "sqlite"], ["postgres", "postgresql"]]) {
  const folder = join(root, "prisma", name);
  const last = join(folder, "last-migrated.prisma");
  const from = existsSync(last) ? ["--from-schema-datamodel", last] : ["--from-empty"];
  const sql = execFileSync(
    process.execPath,
    [prisma, "migrate", "diff", ...from, "--to-schema-datamodel", join(folder, "schema.prisma"), "--script"],
    { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: name === "postgres" ? postgresUrl : `file:${join(scratch, "diff.db")}` } },
  );
  const empty = sql.trim() === "" || sql.includes("This is an empty migration");
  if (check) {
    if (!empty) pending.push(name);
    continue;
  }
  if (empty) {
    console.log(`${name}: no changes`);
    continue;
  }
  const dir = join(folder, "migrations", `${stamp}_${arg}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "migration.sql"), sql);
  writeFileSync(join(folder, "migrations", "migration_lock.toml"), `provider = "${provider}"\n`);
  copyFileSync(join(folder, "schema.prisma"), last);
  console.log(`${name}: wrote ${dir}`);
}
if (check && pending.length > 0) {
  console.error(`prisma/models.prisma has changes with no migration (${pending.join(", ")}). Run: npm run db:migration -- <name>`);
  process.exit(1);
}
