import { z } from "zod";
import { ConfigError } from "./errors.ts";

const booleanText = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

const positiveInt = z.coerce.number().int().positive();

/** Telegram allows 1–256 characters A–Z, a–z, 0–9, _ and - in a webhook secret token. */
const webhookSecret = z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "16–256 letters, digits, _ or -");

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
  DIRECTORY_STALE_MONTHS: positiveInt.max(120).default(12),
  STATS_SUPPRESS_BELOW: positiveInt.max(100).default(5),
  ZALO_BOT_MONTHLY_QUOTA: positiveInt.default(3000),
  OUTBOX_MAX_ATTEMPTS: positiveInt.max(100).default(8),
  OUTBOX_LEASE_SECONDS: positiveInt.max(3600).default(30),
  POLL_INTERVAL_MS: positiveInt.max(60_000).default(250),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://").optional(),
  QA_MODEL_URL: z.url({ protocol: /^https?$/ }).optional(),
  QA_MODEL_NAME: z.string().min(1).optional(),
  QA_MODEL_API_KEY: z.string().min(1).optional(),
  QA_MODEL_HOSTED: booleanText.optional(),
  QA_MODEL_TIMEOUT_MS: positiveInt.min(500).max(15_000).default(4000),
  QA_LOCAL_ONLY: booleanText.default(false),
  LANGSMITH_TRACING: booleanText.optional(),
  LANGCHAIN_TRACING_V2: booleanText.optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, "looks like 123456:ABC-…").optional(),
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  TELEGRAM_MODE: z.enum(["webhook", "polling"]).default("webhook"),
  TELEGRAM_WEBHOOK_SECRET: webhookSecret.optional(),
  ZALO_BOT_TOKEN: z.string().min(10).optional(),
  ZALO_BOT_API_ROOT: z.url().default("https://bot-api.zaloplatforms.com"),
  ZALO_BOT_MODE: z.enum(["webhook", "polling"]).default("webhook"),
  ZALO_BOT_WEBHOOK_SECRET: webhookSecret.optional(),
  ZALO_OA_APP_ID: z.string().min(1).optional(),
  ZALO_OA_APP_SECRET: z.string().min(1).optional(),
  ZALO_OA_OA_ID: z.string().min(1).optional(),
  ZALO_OA_WEBHOOK_SECRET: z.string().min(1).optional(),
  ZALO_OA_REFRESH_TOKEN: z.string().min(1).optional(),
  ZALO_OA_API_ROOT: z.url().default("https://openapi.zalo.me"),
  ZALO_OA_OAUTH_ROOT: z.url().default("https://oauth.zaloapp.com"),
});

export type Config = z.infer<typeof configSchema>;

const zaloOaKeys = ["ZALO_OA_APP_ID", "ZALO_OA_APP_SECRET", "ZALO_OA_OA_ID", "ZALO_OA_WEBHOOK_SECRET", "ZALO_OA_REFRESH_TOKEN"] as const;

/** Keys that only make sense together: a channel is on when its token is set, and then needs the rest. */
function crossKeyProblems(config: Config): Array<{ key: string; message: string }> {
  const problems: Array<{ key: string; message: string }> = [];
  const needs = (when: boolean, key: keyof Config, why: string) => {
    if (when && config[key] === undefined) problems.push({ key, message: `required ${why}` });
  };
  const telegramWebhook = config.TELEGRAM_BOT_TOKEN !== undefined && config.TELEGRAM_MODE === "webhook";
  needs(telegramWebhook, "TELEGRAM_WEBHOOK_SECRET", "when Telegram runs in webhook mode");
  needs(telegramWebhook, "PUBLIC_URL", "when Telegram runs in webhook mode");
  const zaloBotWebhook = config.ZALO_BOT_TOKEN !== undefined && config.ZALO_BOT_MODE === "webhook";
  needs(zaloBotWebhook, "ZALO_BOT_WEBHOOK_SECRET", "when the Zalo Bot runs in webhook mode");
  needs(zaloBotWebhook, "PUBLIC_URL", "when the Zalo Bot runs in webhook mode");
  needs(config.QA_MODEL_URL !== undefined, "QA_MODEL_NAME", "when QA_MODEL_URL is set");
  if (config.QA_MODEL_URL !== undefined && config.QA_LOCAL_ONLY && questionModelHosted(config)) {
    problems.push({ key: "QA_MODEL_URL", message: "is on another server, but QA_LOCAL_ONLY keeps questions on this one" });
  }
  for (const key of ["LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2"] as const) {
    if (config.QA_MODEL_URL !== undefined && config[key] === true) {
      problems.push({ key, message: "would send every question to LangSmith; leave it unset or false" });
    }
  }
  const zaloOa = zaloOaKeys.some((key) => config[key] !== undefined);
  for (const key of zaloOaKeys) needs(zaloOa, key, "when any ZALO_OA_ key is set");
  return problems;
}

/** The platform channels this configuration turns on: a channel whose keys are absent is off. */
export function enabledChannels(config: Config): { telegram: boolean; zaloBot: boolean; zaloOa: boolean } {
  return {
    telegram: config.TELEGRAM_BOT_TOKEN !== undefined,
    zaloBot: config.ZALO_BOT_TOKEN !== undefined,
    zaloOa: config.ZALO_OA_APP_ID !== undefined,
  };
}

/** Host names that are this machine: a model there keeps questions on the server. */
const thisMachine = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/**
 * Whether the question model is on another server, so questions leave this one: QA_MODEL_HOSTED when set,
 * otherwise true unless QA_MODEL_URL names this machine. A model elsewhere on the local network counts as
 * hosted until the operator says otherwise.
 */
export function questionModelHosted(config: Pick<Config, "QA_MODEL_URL" | "QA_MODEL_HOSTED">): boolean {
  if (config.QA_MODEL_URL === undefined) return false;
  if (config.QA_MODEL_HOSTED !== undefined) return config.QA_MODEL_HOSTED;
  return !thisMachine.has(new URL(config.QA_MODEL_URL).hostname);
}

/** Keys of the schema, for checking that `.env.example` documents every one. */
export const configKeys = Object.keys(configSchema.shape) as Array<keyof Config>;

/**
 * Parses configuration from an environment-like record. Empty strings count as unset. On failure throws
 * one `ConfigError` naming every invalid key, so an operator fixes them all at once.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const input = Object.fromEntries(configKeys.map((key) => [key, env[key] === "" ? undefined : env[key]]));
  const parsed = configSchema.safeParse(input);
  const problems = parsed.success
    ? crossKeyProblems(parsed.data)
    : parsed.error.issues.map((issue) => ({ key: issue.path.join("."), message: issue.message }));
  if (parsed.success && problems.length === 0) return parsed.data;
  throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p.key}: ${p.message}`).join("\n")}`, {
    keys: problems.map((p) => p.key),
  });
}
