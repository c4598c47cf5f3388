import { z } from "zod";
import { ConfigError } from "./errors.ts";

const booleanText = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

const positiveInt = z.coerce.number().int().positive();

/**
 * Every setting Loa reads, with its default. `.env.example` lists and explains each key, and a test parses
 * it with this schema so the two cannot drift apart. Only `src/main.ts` calls `parseConfig`.
 */
export const configSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres:\/\/|postgresql:\/\/)/, "must start with file: (SQLite) or postgres:// (PostgreSQL)")
    .default("file:./data/loa.db"),
  DATABASE_POOL_SIZE: positiveInt.max(100).default(10),
  LOA_ROLE: z.enum(["all", "web", "worker"]).default("all"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DEFAULT_LOCALE: z.string().regex(/^[a-z]{2,3}$/, "a content locale folder name such as vi").default("vi"),
  FLOWS_DIR: z.string().min(1).default("flows"),
  CONTENT_DIR: z.string().min(1).default("content"),
  SIMULATOR_ENABLED: booleanText.default(true),
  RETENTION_DAYS: positiveInt.max(3650).default(7),
  OUTBOX_MAX_ATTEMPTS: positiveInt.max(100).default(8),
  OUTBOX_LEASE_SECONDS: positiveInt.max(3600).default(30),
  POLL_INTERVAL_MS: positiveInt.max(60_000).default(250),
});

export type Config = z.infer<typeof configSchema>;

/** Keys of the schema, for checking that `.env.example` documents every one. */
export const configKeys = Object.keys(configSchema.shape) as Array<keyof Config>;

/**
 * Parses configuration from an environment-like record. Empty strings count as unset. On failure throws
 * one `ConfigError` naming every invalid key, so an operator fixes them all at once.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const input = Object.fromEntries(configKeys.map((key) => [key, env[key] === "" ? undefined : env[key]]));
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${problems.join("\n")}`, {
    keys: parsed.error.issues.map((issue) => issue.path.join(".")),
  });
}
