import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";

/** Loa's logger: structured JSON lines with secrets and message text redacted wherever they might appear. */
export type Logger = PinoLogger;

/**
 * Paths removed from every log line. Message text and channel user ids are personal; tokens and secrets
 * must never reach a log. Code should not log these at all: this is the safety net.
 */
export const redactedPaths = [
  "text",
  "*.text",
  "payload",
  "*.payload",
  "channelUserId",
  "*.channelUserId",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "password",
  "*.password",
  "databaseUrl",
  "*.databaseUrl",
  "req.headers.authorization",
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-bot-api-secret-token"]',
];

/** Creates the process logger. `destination` lets tests capture lines and scan them for leaks. */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "loa" },
      redact: { paths: redactedPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/** What a log line may say about an error. */
export type LoggedError = { type: string; code?: string; message?: string; context?: Record<string, unknown>; stack?: string };

/**
 * An error reduced to what is safe to log. Prisma's errors quote the failed call with its arguments, which
 * can hold what a person typed, so only their class and code are kept. Loa's own errors are written to carry
 * no personal text and keep their message and context; other errors keep a shortened message.
 */
export function loggableError(error: unknown): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
  const base = { type: error.name, ...(code === undefined ? {} : { code }) };
  if (error.name.startsWith("PrismaClient") || error.constructor.name.startsWith("PrismaClient")) return base;
  if ("context" in error && typeof error.context === "object" && error.context !== null) {
    return { ...base, message: error.message.slice(0, 500), context: { ...error.context }, ...(error.stack ? { stack: error.stack } : {}) };
  }
  return { ...base, message: error.message.slice(0, 200), ...(error.stack ? { stack: error.stack.split("\n").slice(0, 6).join("\n") } : {}) };
}
