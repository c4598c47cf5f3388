import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configKeys, enabledChannels, parseConfig, questionModelHosted } from "../src/config.ts";
import { ConfigError } from "../src/errors.ts";

function readEnvExample(): Record<string, string> {
  const text = readFileSync(new URL("../.env.example", import.meta.url), "utf8");
  const entries = text
    .split("\n")
    .filter((line) => /^[A-Z0-9_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const);
  return Object.fromEntries(entries);
}

describe("configuration", () => {
  it("parses .env.example, which lists every key of the schema and no other", () => {
    const example = readEnvExample();
    expect(Object.keys(example).sort()).toEqual([...configKeys].sort());
    const config = parseConfig(example);
    expect(config.DATABASE_URL).toBe("file:./data/loa.db");
    expect(config.PORT).toBe(3000);
    expect(config.SIMULATOR_ENABLED).toBe(true);
  });

  it("gives defaults that run the embedded bot when nothing is set", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ DATABASE_URL: "file:./data/loa.db", LOA_ROLE: "all", RETENTION_DAYS: 7 });
  });

  it("treats empty values as unset", () => {
    expect(parseConfig({ PORT: "" }).PORT).toBe(3000);
  });

  it("names every invalid key in one error", () => {
    let caught: unknown;
    try {
      parseConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", LOA_ROLE: "both", RETENTION_DAYS: "0", SIMULATOR_ENABLED: "maybe" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    for (const key of ["PORT", "DATABASE_URL", "LOA_ROLE", "RETENTION_DAYS", "SIMULATOR_ENABLED"]) expect(message).toContain(key);
    expect((caught as ConfigError).context.keys).toHaveLength(5);
  });

  it("accepts PostgreSQL URLs", () => {
    expect(parseConfig({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test" }).DATABASE_URL).toMatch(/^postgres:/);
    expect(parseConfig({ DATABASE_URL: "postgresql://u:p@db/loa" }).DATABASE_URL).toMatch(/^postgresql:/);
  });

  it("turns a channel on only when its token is set, and then asks for the keys it needs", () => {
    expect(enabledChannels(parseConfig({}))).toEqual({ telegram: false, zaloBot: false, zaloOa: false });
    let caught: unknown;
    try {
      parseConfig({ TELEGRAM_BOT_TOKEN: "123:abc", ZALO_OA_APP_ID: "1" });
    } catch (error) {
      caught = error;
    }
    const keys = (caught as ConfigError).context.keys as string[];
    expect(keys).toEqual(
      expect.arrayContaining(["TELEGRAM_WEBHOOK_SECRET", "PUBLIC_URL", "ZALO_OA_APP_SECRET", "ZALO_OA_OA_ID", "ZALO_OA_WEBHOOK_SECRET", "ZALO_OA_REFRESH_TOKEN"]),
    );
    const polling = parseConfig({ TELEGRAM_BOT_TOKEN: "123:abc", TELEGRAM_MODE: "polling" });
    expect(enabledChannels(polling).telegram).toBe(true);
    expect(() => parseConfig({ TELEGRAM_BOT_TOKEN: "123:abc", TELEGRAM_WEBHOOK_SECRET: "short" })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });
});

describe("question model configuration", () => {
  const local = { QA_MODEL_URL: "http://127.0.0.1:8080/v1", QA_MODEL_NAME: "qwen" };
  const hosted = { QA_MODEL_URL: "https://api.example.com/v1", QA_MODEL_NAME: "model" };

  it("needs a model name with a model address", () => {
    expect(() => parseConfig({ QA_MODEL_URL: local.QA_MODEL_URL })).toThrow(/QA_MODEL_NAME/);
    expect(parseConfig(local).QA_MODEL_TIMEOUT_MS).toBe(4000);
  });

  it("counts a model on this machine as local and any other as hosted, unless told otherwise", () => {
    expect(questionModelHosted(parseConfig(local))).toBe(false);
    expect(questionModelHosted(parseConfig({ ...local, QA_MODEL_URL: "http://localhost:11434/v1" }))).toBe(false);
    expect(questionModelHosted(parseConfig(hosted))).toBe(true);
    expect(questionModelHosted(parseConfig({ ...local, QA_MODEL_URL: "http://10.0.0.5:8080/v1" }))).toBe(true);
    expect(questionModelHosted(parseConfig({ ...local, QA_MODEL_URL: "http://10.0.0.5:8080/v1", QA_MODEL_HOSTED: "false" }))).toBe(false);
    expect(questionModelHosted(parseConfig({}))).toBe(false);
  });

  it("refuses a hosted model when questions must stay local, and LangChain tracing with any model", () => {
    expect(() => parseConfig({ ...hosted, QA_LOCAL_ONLY: "true" })).toThrow(/QA_LOCAL_ONLY/);
    expect(parseConfig({ ...local, QA_LOCAL_ONLY: "true" }).QA_LOCAL_ONLY).toBe(true);
    expect(() => parseConfig({ ...local, LANGSMITH_TRACING: "true" })).toThrow(/LangSmith/);
    expect(() => parseConfig({ ...local, LANGCHAIN_TRACING_V2: "true" })).toThrow(/LANGCHAIN_TRACING_V2/);
    expect(parseConfig({ LANGSMITH_TRACING: "true" }).LANGSMITH_TRACING).toBe(true);
  });

  it("keeps the model's wait short", () => {
    expect(() => parseConfig({ ...local, QA_MODEL_TIMEOUT_MS: "60000" })).toThrow(/QA_MODEL_TIMEOUT_MS/);
  });
});
