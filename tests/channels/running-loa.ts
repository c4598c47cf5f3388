import { fileURLToPath } from "node:url";
import { createPlatformChannels } from "../../src/channels/platform-channels.ts";
import { parseConfig } from "../../src/config.ts";
import { createHttpServer } from "../../src/http/http-server.ts";
import { createRuntime } from "../../src/runtime.ts";
import { createLogCapture } from "../support/log-capture.ts";
import { createTestDatabase } from "../support/test-database.ts";

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

/** A webhook request as a platform would POST it: the exact bytes, and the headers that authenticate them. */
export type WebhookDelivery = { route: string; rawBody: string; headers: Record<string, string> };

/**
 * Loa's clock in these tests: real time sped up `speed` times, so Telegram's one-second spacing per chat and
 * the dispatcher's backoffs pass in milliseconds while keeping their order. `freeze` stops it (nothing paced
 * or backed off becomes due), `resume` lets it run on from where it stopped.
 */
export function createScaledClock(speed: number) {
  let base = Date.now();
  let anchor = performance.now();
  let frozen = false;
  const now = () => base + (frozen ? 0 : (performance.now() - anchor) * speed);
  return {
    now: () => new Date(now()),
    freeze() {
      base = now();
      frozen = true;
    },
    resume() {
      anchor = performance.now();
      frozen = false;
    },
  };
}

/**
 * Polls `condition` every few milliseconds until it holds, failing with `what` after `timeoutMs` (real time).
 * Returns the condition's last truthy value.
 */
export async function waitFor<T>(what: string, condition: () => Promise<T> | T, timeoutMs = 8_000): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== null && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Loa as `start` in src/main.ts builds it — configuration parsed from `env`, the platform channels, the runtime
 * and the HTTP server listening on 127.0.0.1 — on a fresh SQLite database, with every log line captured and the
 * clock sped up. The simulator is off, as in production.
 */
export async function startRunningLoa(env: Record<string, string>, options: { clockSpeed?: number } = {}) {
  const test = await createTestDatabase("sqlite");
  await test.database.close();
  const config = parseConfig({
    DATABASE_URL: test.url,
    POLL_INTERVAL_MS: "5",
    SIMULATOR_ENABLED: "false",
    PUBLIC_URL: "https://loa.example",
    LOG_LEVEL: "debug",
    ...env,
  });
  const logs = createLogCapture();
  const clock = createScaledClock(options.clockSpeed ?? 100);
  const platforms = createPlatformChannels(config, logs.logger);
  const runtime = await createRuntime({ config, logger: logs.logger, projectRoot, channels: platforms.adapters, now: clock.now });
  const server = createHttpServer({ runtime, logger: logs.logger, simulator: false, webhooks: platforms.webhooks, afterAccept: platforms.afterAccept });
  runtime.start();
  const origin = await server.listen({ host: "127.0.0.1", port: 0 });
  const db = runtime.database.client;

  /** Nothing left to handle or send now: every inbox row handled, every outbox row sent, dead or cancelled. */
  async function isSettled(): Promise<boolean> {
    const [inbox, outbox] = await Promise.all([
      db.inboxMessage.count({ where: { status: "pending" } }),
      db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } }),
    ]);
    return inbox === 0 && outbox === 0;
  }

  return {
    config,
    runtime,
    db,
    logs,
    clock,
    /** POSTs a delivery to `/webhooks/<route>` over HTTP; returns the status Loa answered. */
    async post(delivery: WebhookDelivery): Promise<number> {
      const response = await fetch(`${origin}/webhooks/${delivery.route}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...delivery.headers },
        body: delivery.rawBody,
      });
      await response.arrayBuffer();
      return response.status;
    },
    /** The Prometheus text of `/metrics`. */
    async metrics(): Promise<string> {
      const response = await fetch(`${origin}/metrics`);
      return response.text();
    },
    /** Waits until everything accepted so far has been handled and sent (or given up on). */
    settle: () => waitFor("inbox and outbox to settle", isSettled),
    /** Waits until Loa's clock has moved `ms` on: time for a paced or backed-off send to have gone out, had it been due. */
    async letTimePass(ms: number): Promise<void> {
      const until = clock.now().getTime() + ms;
      await waitFor(`${ms} ms of Loa's time to pass`, () => clock.now().getTime() >= until);
    },
    async stop(): Promise<void> {
      await server.close();
      await runtime.stop();
      await test.drop();
    },
  };
}

/** A running Loa with its platform channels. */
export type RunningLoa = Awaited<ReturnType<typeof startRunningLoa>>;
