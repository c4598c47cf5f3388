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
