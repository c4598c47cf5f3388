/**
 * Loa's error classes. Every error carries a stable `code` and context for the log line, so failures
 * can be counted and traced without logging message text or secrets.
 */
export class LoaError extends Error {
  readonly context: Record<string, unknown>;

  constructor(
    message: string,
    readonly code: string,
    options: { cause?: unknown; context?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.context = options.context ?? {};
  }
}

/** Configuration that cannot be used; start-up stops with one message naming every bad key. */
export class ConfigError extends LoaError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super(message, "config:invalid", { context });
  }
}

/**
 * A database that cannot be opened, migrated or used. Codes start with `database:`; messages and context
 * never contain a password (URLs are redacted before they get here).
 */
export class DatabaseError extends LoaError {
  constructor(message: string, code: `database:${string}`, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super(message, code, options);
  }
}
