// Writes the SQLite and PostgreSQL Prisma schemas from prisma/models.prisma and generates both clients.
// Runs as the root `postinstall`, so a fresh `npm ci` leaves a working client without any download.
// `--schemas-only` writes the schema files and stops; `--check` fails when they differ from models.prisma.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const models = readFileSync(join(root, "prisma/models.prisma"), "utf8");
const providers = {
  sqlite: { provider: "sqlite", url: "file:./unused.db" },
  postgres: { provider: "postgresql", url: "postgresql://unused@127.0.0.1:5432/unused" },
};

function schemaFor(name) {
  const { provider, url } = providers[name];
  return `// Generated from prisma/models.prisma by scripts/prisma-generate.mjs. Do not edit.

generator client {
  provider     = "prisma-client"
  output       = "../../src/store/generated/${name}"
  engineType   = "client"
  moduleFormat = "esm"
  runtime      = "nodejs"
}

datasource db {
  provider = "${provider}"
  // Connections come from the driver adapter; Prisma 6.19 still needs a url here to read the schema.
  url      = "${url}"
}

${models}`;
}

const args = new Set(process.argv.slice(2));
let stale = [];
for (const name of Object.keys(providers)) {
  const path = join(root, "prisma", name, "schema.prisma");
  const text = schemaFor(name);
  if (args.has("--check")) {
    if (!existsSync(path) || readFileSync(path, "utf8") !== text) stale.push(path);
    continue;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
if (args.has("--check")) {
  if (stale.length > 0) {
    console.error(`Out of date with prisma/models.prisma: ${stale.join(", ")}. Run: npm run db:schemas`);
    process.exit(1);
  }
  process.exit(0);
}
if (!args.has("--schemas-only")) {
  const prisma = join(root, "node_modules/prisma/build/index.js");
  for (const name of Object.keys(providers)) {
    execFileSync(process.execPath, [prisma, "generate", "--no-hints", "--schema", join(root, "prisma", name, "schema.prisma")], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    });
  }
}
