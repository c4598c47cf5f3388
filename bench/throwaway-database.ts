// A database made for one benchmark run and removed after it: a SQLite file in a temporary folder, or a
// PostgreSQL database created from the admin URL (LOA_BENCH_POSTGRES_URL, default the local `test` database).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

const postgresAdminUrl = process.env.LOA_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** An empty database of `kind` (not migrated); `dispose` deletes it. */
export async function throwawayDatabase(kind: "sqlite" | "postgres", label: string): Promise<{ url: string; dispose(): Promise<void> }> {
  if (kind === "sqlite") {
    const dir = await mkdtemp(join(tmpdir(), `loa-bench-${label}-`));
    return { url: `file:${join(dir, "bench.db")}`, dispose: () => rm(dir, { recursive: true, force: true }) };
  }
  const name = `loa_bench_${label.replace(/\W/g, "_")}_${Date.now()}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), dispose: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
