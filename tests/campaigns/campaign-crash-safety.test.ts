// Crash safety of campaign delivery with REAL processes, on both dispatchers: two worker processes (the runtime of
// `loa worker`, see crash-worker-process.ts; one on SQLite) send a campaign to 300 people, and every one of them is
// SIGKILLed three times mid-campaign and restarted. In the end each person must have received her delivery (0 lost) and
// no one two different deliveries (0 duplicates); a resend of the same delivery after a kill between the send
// and its mark carries the same idempotency key, which the fake platform deduplicates as the simulator does.
// Then `loa worker` itself is started with Redis and stopped with SIGTERM.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { campaignQueuePrefix } from "../../src/campaigns/campaign-queue.ts";
import { configKeys } from "../../src/config.ts";
import type { DatabaseClient } from "../../src/store/database.ts";
import { redactDatabaseUrl } from "../../src/store/database.ts";
import { waitUntil, withDatabase } from "../support/loa-process.ts";
import { seedCommuneCampaign } from "../support/campaign-fixture.ts";
import { dropQueueKeys, requireRedis, testRedisUrl } from "../support/test-redis.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));
const redisUrl = testRedisUrl;
const recipients = 300;
/**
 * When each kill lands: once this many deliveries are marked sent, plus a few milliseconds so that some land
 * between a send and its mark.
 */
const killPlan = [{ sent: 30, extraMs: 0 }, { sent: 110, extraMs: 7 }, { sent: 200, extraMs: 3 }];

type Worker = { child: ChildProcessByStdio<null, Readable, Readable>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; stderr: () => string };
const live = new Set<Worker>();

/** The environment without any Loa setting from the developer's shell. */
function baseEnvironment(): Record<string, string> {
  const loaKeys = new Set<string>(configKeys);
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !loaKeys.has(entry[0])));
}

/** Starts a child in its own process group and resolves once it prints `readyText`. */
async function startChild(args: string[], env: Record<string, string>, readyText: string, readyOn: "stdout" | "stderr" = "stdout"): Promise<Worker> {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: projectRoot, env: { ...baseEnvironment(), ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stderrText = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("close", (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal })));
  const worker: Worker = { child, exited, stderr: () => stderrText };
  live.add(worker);
  void exited.then(() => live.delete(worker));
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => (stderrText += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} was not ready within 30 s:\n${stderrText}`)), 30_000);
    createInterface({ input: readyOn === "stdout" ? child.stdout : child.stderr }).on("line", (line) => {
      if (line.includes(readyText)) {
        clearTimeout(timer);
        resolve();
      }
    });
    if (readyOn === "stderr") child.stdout.resume();
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited before it was ready (${JSON.stringify(exit)}):\n${stderrText}`));
    });
  });
  return worker;
}

/** SIGKILL to the child's whole process group, like a power cut; resolves once it is gone. */
async function kill(worker: Worker) {
  if (worker.child.exitCode === null && worker.child.signalCode === null && worker.child.pid !== undefined) process.kill(-worker.child.pid, "SIGKILL");
  return worker.exited;
}



/** 300 people on the fake platform, and an approved campaign to all of them that is due now, at any hour. */
async function seed(db: DatabaseClient): Promise<void> {
  await seedCommuneCampaign(db, { id: "campaign-crash", name: "Tháng hành động vì bình đẳng giới", channel: "fake", count: recipients, status: "approved", locale: (index) => (index % 3 === 0 ? "en" : "vi") });
}

async function progress(db: DatabaseClient) {
  const [sent, sending, pending] = await Promise.all(["sent", "sending", "pending"].map((status) => db.campaignDelivery.count({ where: { status } })));
  return { sent: sent ?? 0, sending: sending ?? 0, pending: pending ?? 0 };
}

// SQLite runs one worker: two processes starting at the same moment on a fresh file collide in start-up seeding.
const setups = [
  { name: "table dispatcher on postgres", kind: "postgres", redis: false, workers: 2, sendDelayMs: 5 },
  { name: "BullMQ queue on postgres", kind: "postgres", redis: true, workers: 2, sendDelayMs: 40 },
  { name: "table dispatcher on sqlite", kind: "sqlite", redis: false, workers: 1, sendDelayMs: 5 },
] as const;

describe("campaign crash safety", () => {
  let testDatabase: TestDatabase | undefined;
  let sendsFile: string | undefined;

  afterEach(async () => {
    await Promise.all([...live].map(kill));
    if (testDatabase) await dropQueueKeys(campaignQueuePrefix(redactDatabaseUrl(testDatabase.url)));
    await testDatabase?.drop();
    if (sendsFile) await rm(sendsFile, { force: true });
    testDatabase = undefined;
    sendsFile = undefined;
  });

  it.each(setups)(
    "$name: SIGKILLing every worker mid-campaign again and again loses no delivery and sends none twice",
    async (setup) => {
      if (setup.redis) await requireRedis("the campaign crash test");
      const startedAt = Date.now();
      testDatabase = await createTestDatabase(setup.kind);
      await seed(testDatabase.database.client);
      // Connections are opened only while no process starts (SQLite's start-up migration needs the file alone).
      await testDatabase.database.close();
      const url = testDatabase.url;
      sendsFile = join(tmpdir(), `loa-campaign-sends-${process.pid}-${Date.now()}.jsonl`);
      await writeFile(sendsFile, "");
      const env: Record<string, string> = {
        DATABASE_URL: url,
        LOA_TEST_SENDS_FILE: sendsFile,
        LOA_TEST_SEND_DELAY_MS: String(setup.sendDelayMs),
        LOG_LEVEL: "warn",
        SIMULATOR_ENABLED: "false",
        POLL_INTERVAL_MS: "20",
        OUTBOX_LEASE_SECONDS: "1",
        ...(setup.redis ? { REDIS_URL: redisUrl } : {}),
      };
      const startWorkers = () => Promise.all(Array.from({ length: setup.workers }, () => startChild(["tests/campaigns/crash-worker-process.ts"], env, "campaign worker ready")));

      let workers = await startWorkers();
      const kills: Array<{ afterReadyMs: number } & Awaited<ReturnType<typeof progress>>> = [];
      for (const plan of killPlan) {
        const readyAt = Date.now();
        await withDatabase(url, (db) =>
          waitUntil(async () => (await progress(db)).sent >= plan.sent, { timeoutMs: 30_000, intervalMs: 5, describe: async () => `no progress: ${JSON.stringify(await progress(db))}` }),
        );
        await new Promise((resolve) => setTimeout(resolve, plan.extraMs));
        await Promise.all(workers.map(kill));
        kills.push({ afterReadyMs: Date.now() - readyAt, ...(await withDatabase(url, progress)) });
        workers = await startWorkers();
      }
      await withDatabase(url, (db) =>
        waitUntil(async () => (await db.campaign.findUniqueOrThrow({ where: { id: "campaign-crash" } })).status === "completed", {
          timeoutMs: 30_000,
          describe: async () => `the campaign did not complete: ${JSON.stringify(await progress(db))}`,
        }),
      );
      const exits = await Promise.all(
        workers.map((worker) => {
          worker.child.kill("SIGTERM");
          return worker.exited;
        }),
      );

      const lines = (await readFile(sendsFile, "utf8"))
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as { key: string; to: string; pid: number });
      const keysByPerson = new Map<string, Set<string>>();
      for (const line of lines) keysByPerson.set(line.to, (keysByPerson.get(line.to) ?? new Set()).add(line.key));
      const resends = lines.length - new Set(lines.map((line) => line.key)).size;
      const midCampaign = kills.filter((k) => k.sent < recipients).length;
      console.log(
        `[campaign crash ${setup.name}] ${((Date.now() - startedAt) / 1000).toFixed(1)} s, ${recipients} recipients, ${setup.workers} worker(s), ` +
          `${kills.length} kills of every worker (${midCampaign} mid-campaign), ${lines.length} sends seen by the platform, ` +
          `${resends} resent with the same key after a kill between send and mark (deduplicated), exits on SIGTERM ${JSON.stringify(exits)}\n` +
          `  at each kill (ms after ready: sent/sending/pending): ${kills.map((k) => `${k.afterReadyMs}: ${k.sent}/${k.sending}/${k.pending}`).join("  ")}`,
      );

      expect(midCampaign).toBe(killPlan.length);
      expect(exits).toEqual(workers.map(() => ({ code: 0, signal: null })));
      await withDatabase(url, async (db) => {
        const deliveries = await db.campaignDelivery.findMany({ orderBy: { id: "asc" } });
        // 0 lost: one delivery row per person, all sent, each reached the platform.
        expect(deliveries).toHaveLength(recipients);
        expect(deliveries.filter((row) => row.status !== "sent").map((row) => ({ id: row.id, status: row.status, reason: row.reason }))).toEqual([]);
        expect(new Set(lines.map((line) => line.key))).toEqual(new Set(deliveries.map((row) => `campaign-${row.id}`)));
        // 0 duplicates: every person got exactly one delivery (one key), and reach counts her once.
        expect(keysByPerson.size).toBe(recipients);
        expect([...keysByPerson.values()].filter((keys) => keys.size !== 1)).toEqual([]);
        expect(await db.engagementEvent.count({ where: { kind: "campaign_delivered" } })).toBe(recipients);
      });
    },
    90_000,
  );

  it("`loa worker` starts the campaign queue workers without the HTTP server and stops cleanly on SIGTERM", async () => {
    await requireRedis("the campaign crash test");
    testDatabase = await createTestDatabase("postgres");
    await testDatabase.database.close();
    const worker = await startChild(["src/main.ts", "worker"], { DATABASE_URL: testDatabase.url, REDIS_URL: redisUrl, LOG_LEVEL: "info", SIMULATOR_ENABLED: "true" }, "worker started");
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });
});
