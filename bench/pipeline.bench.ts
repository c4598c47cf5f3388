// npm run bench:pipeline — messages per second through inbox → engine → outbox → a fake channel, and the
// latency from accepting a message to its last reply being sent, on SQLite and on PostgreSQL side by side.
// Uses the shipped flows and content. Prints figures; asserts nothing.
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadBotAssets } from "../src/bot/bot-assets.ts";
import type { ChannelAdapter } from "../src/channels/channel-adapter.ts";
import { createChannelRegistry } from "../src/channels/channel-registry.ts";
import { createConversationWorker } from "../src/conversation/conversation-worker.ts";
import { acceptInboundUpdate } from "../src/conversation/inbox.ts";
import { createOutboxDispatcher } from "../src/conversation/outbox-dispatcher.ts";
import { createPollingLoop } from "../src/conversation/polling-loop.ts";
import { createTurnHandler } from "../src/conversation/turn-handler.ts";
import { createLogger } from "../src/logger.ts";
import { compileIndicators, indicatorsFile, loadIndicators } from "../src/stats/indicators.ts";
import { createDatabase, type Database } from "../src/store/database.ts";
import { migrateDatabase } from "../src/store/migrate.ts";
import { throwawayDatabase } from "./throwaway-database.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const people = Number(process.env.LOA_BENCH_PEOPLE ?? 200);
const script = ["xin chào", "1", "1", "1", "Chiềng Sơn", "4", "1", "1", "3", "1", "2", "cứu tôi"];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** A platform that accepts every message at once, counting them. */
function countingChannel(): ChannelAdapter & { sent: number } {
  const channel = {
    channel: "bench",
    capabilities: { maxTextLength: 4096, maxButtons: 8 },
    sent: 0,
    async send() {
      channel.sent += 1;
      return {};
    },
  };
  return channel;
}

async function openDatabase(kind: "sqlite" | "postgres"): Promise<{ database: Database; dispose(): Promise<void> }> {
  const scratch = await throwawayDatabase(kind, "pipeline");
  await migrateDatabase({ url: scratch.url, projectRoot: root });
  const database = await createDatabase({ url: scratch.url, poolSize: 10 });
  return { database, dispose: async () => (await database.close(), await scratch.dispose()) };
}

async function run(kind: "sqlite" | "postgres") {
  const { database, dispose } = await openDatabase(kind);
  const assets = await loadBotAssets({ flowsDir: join(root, "flows"), contentDir: join(root, "content"), defaultLocale: "vi" });
  const logger = createLogger({ level: "error" });
  const channel = countingChannel();
  const now = () => new Date();
  const indicators = compileIndicators(await loadIndicators(indicatorsFile(join(root, "content"))));
  const turns = createTurnHandler({ database, bot: () => assets, now, newId: () => crypto.randomUUID(), logger, indicators });
  const dispatcher = createOutboxDispatcher({ database, channels: createChannelRegistry([channel]), now, logger, concurrency: 16 });
  const dispatchLoop = createPollingLoop({ name: "outbox", runOnce: dispatcher.dispatchDue, idleMs: 5, logger });
  const worker = createConversationWorker({ database, turns, logger, onHandled: () => dispatchLoop.wake(), concurrency: kind === "postgres" ? 8 : 4 });
  const workerLoop = createPollingLoop({ name: "conversations", runOnce: worker.handlePending, idleMs: 5, logger });
  const db = database.client;
  let externalId = 0;
  const accept = (person: number, text: string) =>
    acceptInboundUpdate(db, { channel: "bench", externalId: `e${(externalId += 1)}`, channelUserId: `p${person}`, message: { kind: "text", text } }, now());

  const drained = async () => {
    for (;;) {
      const open = await db.inboxMessage.count({ where: { status: "pending" } }) + (await db.outboxMessage.count({ where: { status: { in: ["pending", "sending"] } } }));
      if (open === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  // Phase 1: ingest. Every message of every person written to the inbox, as webhooks would.
  const total = people * script.length;
  let started = performance.now();
  for (let step = 0; step < script.length; step += 1) {
    await Promise.all(Array.from({ length: people }, (_, person) => accept(person, script[step] as string)));
  }
  const ingestSeconds = (performance.now() - started) / 1000;

  // Phase 2: drain the backlog: engine, state, outbox, engagement, and sending.
  started = performance.now();
  workerLoop.start();
  dispatchLoop.start();
  await drained();
  const drainSeconds = (performance.now() - started) / 1000;
  const replies = channel.sent;

  // Phase 3: steady arrivals at half the drain rate; latency = accepted → last reply sent.
  const rate = Math.max(1, Math.floor((total / drainSeconds) / 2));
  const steadyPeople = Math.min(people, 100);
  const firstSteadyInbox = (await db.inboxMessage.aggregate({ _max: { id: true } }))._max.id ?? 0;
  const interval = 1000 / rate;
  started = performance.now();
  let sent = 0;
  for (let step = 0; step < 4; step += 1) {
    for (let person = 0; person < steadyPeople; person += 1) {
      const due = started + sent * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await accept(people + person, script[step] as string);
      sent += 1;
    }
  }
  await drained();
  const inbox = await db.inboxMessage.findMany({ where: { id: { gt: firstSteadyInbox } }, select: { id: true, receivedAt: true } });
  const outbox = await db.outboxMessage.groupBy({ by: ["inboxId"], where: { inboxId: { gt: firstSteadyInbox } }, _max: { sentAt: true } });
  const lastSent = new Map(outbox.map((row) => [row.inboxId, row._max.sentAt?.getTime() ?? NaN]));
  const latencies = inbox.map((row) => (lastSent.get(row.id) ?? NaN) - row.receivedAt.getTime()).filter(Number.isFinite);

  await workerLoop.stop();
  await dispatchLoop.stop();
  const engagement = await db.engagementEvent.count();
  await dispose();
  return {
    kind,
    messages: total,
    replies,
    engagement,
    ingestPerSecond: total / ingestSeconds,
    drainPerSecond: total / drainSeconds,
    repliesPerSecond: replies / drainSeconds,
    steadyRate: rate,
    steadyMessages: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

const results = [];
for (const kind of ["sqlite", "postgres"] as const) results.push(await run(kind));
console.log(`bench:pipeline — Node ${process.version}, ${cpus()[0]?.model ?? "?"} × ${cpus().length}`);
console.log(`${people} people × ${script.length} messages through the demo flows; SQLite WAL + synchronous=NORMAL, busy_timeout 5000; PostgreSQL pool 10; Prisma 6.19.3`);
console.log("database   ingest msg/s   drain msg/s   replies/s   steady rate   p50 ms   p99 ms   (messages, replies, engagement rows)");
for (const r of results) {
  console.log(
    `${r.kind.padEnd(10)} ${r.ingestPerSecond.toFixed(0).padStart(12)} ${r.drainPerSecond.toFixed(0).padStart(13)} ${r.repliesPerSecond.toFixed(0).padStart(11)} ${String(r.steadyRate).padStart(10)}/s ${r.p50.toFixed(0).padStart(8)} ${r.p99.toFixed(0).padStart(8)}   (${r.messages}, ${r.replies}, ${r.engagement})`,
  );
}
