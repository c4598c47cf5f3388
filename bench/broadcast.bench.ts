// npm run bench:broadcast — a campaign to N synthetic consented people in one commune of the shipped sample,
// on Telegram, through the campaign path the runtime runs (run planner + table-driven campaign dispatcher in a
// polling loop, with the shared send pacing) and the real Telegram adapter pointed at a local fake that
// enforces 30 messages/s per bot (fixed one-second windows) and 1/s per chat, answering 429 with retry_after.
// Then the same with 5% of the people having blocked the bot, and the BullMQ enqueue time of 100,000 deliveries.
// Prints figures; asserts nothing. Efficiency can pass 1 slightly (much for tiny N): N messages at 30 a second
// need only about N/30 − 1 seconds after the first send, since the first second's 30 go at once.
//
//   npm run bench:broadcast                       SQLite, 10,000 recipients in each run
//   npm run bench:broadcast -- --postgres         PostgreSQL instead (--both for both)
//   npm run bench:broadcast -- --recipients 3000 --blocked-recipients 1000 --jobs 100000 --skip-queue
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadBotAssets } from "../src/bot/bot-assets.ts";
import { createCampaignDispatcher } from "../src/campaigns/campaign-dispatcher.ts";
import { createRunPlanner } from "../src/campaigns/run-planner.ts";
import { createChannelRegistry } from "../src/channels/channel-registry.ts";
import { createTelegramAdapter, telegramChannel } from "../src/channels/telegram/telegram-adapter.ts";
import { createSendPacing } from "../src/conversation/outbox-dispatcher.ts";
import { createPollingLoop } from "../src/conversation/polling-loop.ts";
import { createLogger } from "../src/logger.ts";
import { compileIndicators, indicatorsFile, loadIndicators } from "../src/stats/indicators.ts";
import { createDatabase } from "../src/store/database.ts";
import { migrateDatabase } from "../src/store/migrate.ts";
import { measureQueueEnqueue } from "./broadcast-queue.ts";
import { startFakeTelegramLimits } from "./fake-telegram-limits.ts";
import { throwawayDatabase } from "./throwaway-database.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const { values: args } = parseArgs({
  options: {
    recipients: { type: "string", default: "10000" },
    "blocked-recipients": { type: "string", default: "10000" },
    jobs: { type: "string", default: "100000" },
    postgres: { type: "boolean", default: false },
    both: { type: "boolean", default: false },
    "skip-queue": { type: "boolean", default: false },
  },
});
const recipients = Number(args.recipients);
const blockedRecipients = Number(args["blocked-recipients"]);
const jobs = Number(args.jobs);
const kinds: Array<"sqlite" | "postgres"> = args.both ? ["sqlite", "postgres"] : args.postgres ? ["postgres"] : ["sqlite"];

const commune = "14-mau-04";
const token = "4242:bench-token";
/** Every twentieth person blocked the bot: 5%. */
const isBlocked = (index: number) => index % 20 === 19;

type RunResult = {
  kind: string;
  label: string;
  recipients: number;
  blocked: number;
  planSeconds: number;
  elapsedSeconds: number;
  efficiency: number;
  calls: number;
  tooManyRequests: number;
  violations: number;
  duplicates: number;
  lost: number;
  skippedBlocked: number;
  blockedRetried: number;
  failed: number;
  sentRows: number;
  /** Whole one-second windows between the first and last that let through fewer than 30 calls. */
  shortWindows: number;
  innerWindows: number;
};

/** Windows strictly between the first and the last busy one, and how many of them were not full. */
function shortOf(perWindow: ReadonlyMap<number, number>): { shortWindows: number; innerWindows: number } {
  const seconds = [...perWindow.keys()].sort((a, b) => a - b);
  const first = seconds[0] ?? 0;
  const last = seconds.at(-1) ?? 0;
  let shortWindows = 0;
  for (let second = first + 1; second < last; second += 1) if ((perWindow.get(second) ?? 0) < 30) shortWindows += 1;
  return { shortWindows, innerWindows: Math.max(0, last - first - 1) };
}

async function broadcast(kind: "sqlite" | "postgres", label: string, count: number, withBlocked: boolean): Promise<RunResult> {
  const scratch = await throwawayDatabase(kind, "broadcast");
  await migrateDatabase({ url: scratch.url, projectRoot: root });
  const database = await createDatabase({ url: scratch.url, poolSize: 10 });
  const db = database.client;
  const assets = await loadBotAssets({ flowsDir: join(root, "flows"), contentDir: join(root, "content"), defaultLocale: "vi" });
  const logger = createLogger({ level: "error" });
  const chatOf = (index: number) => String(7_000_000_000 + index);
  const blockedChats = new Set<string>();
  for (let index = 0; index < count; index += 1) if (withBlocked && isBlocked(index)) blockedChats.add(chatOf(index));
  const fake = await startFakeTelegramLimits({ token, blockedChats });

  try {
    const now = () => new Date();
    const created = now();
    for (let start = 0; start < count; start += 1000) {
      await db.contact.createMany({
        data: Array.from({ length: Math.min(1000, count - start) }, (_, offset) => {
          const index = start + offset;
          return {
            id: `bench-${String(index).padStart(6, "0")}`,
            channel: telegramChannel,
            channelUserId: chatOf(index),
            pseudonym: `p-bench-${index}`,
            locale: index % 4 === 0 ? "en" : "vi",
            provinceCode: "14",
            communeCode: commune,
            consentedAt: created,
            createdAt: created,
            lastSeenAt: created,
          };
        }),
      });
    }
    // Approved and due, with no quiet hours, so the figures do not depend on the time of day the bench runs.
    await db.campaign.create({
      data: {
        id: "bench-campaign",
        name: "bench",
        provinceCode: "14",
        createdBy: "bench",
        status: "approved",
        content: JSON.stringify({ keys: ["child-marriage:intro"] }),
        audience: JSON.stringify({ communeCodes: [commune], channels: [telegramChannel] }),
        startsAt: created,
        quietStart: "00:00",
        quietEnd: "00:00",
        createdAt: created,
        updatedAt: created,
      },
    });

    const channels = createChannelRegistry([createTelegramAdapter({ token, apiRoot: fake.apiRoot, timeoutSeconds: 10 })]);
    const planner = createRunPlanner({ db, now });
    const indicators = compileIndicators(await loadIndicators(indicatorsFile(join(root, "content"))));
    const dispatcher = createCampaignDispatcher({ db, channels, bot: () => assets, now, logger, pacing: createSendPacing(), indicators });
    // The runtime's campaign loop, as src/runtime.ts wires it (idle 1 s when a pass did nothing).
    const loop = createPollingLoop({
      name: "campaigns",
      runOnce: async () => {
        await planner.startDueRuns();
        const done = await dispatcher.dispatchDue();
        await planner.closeFinishedRuns();
        return done;
      },
      idleMs: 1_000,
      logger,
    });

    let started = performance.now();
    const planned = await planner.startDueRuns();
    const planSeconds = (performance.now() - started) / 1000;
    if (planned !== count) throw new Error(`planned ${planned} deliveries, expected ${count}`);

    started = performance.now();
    loop.start();
    for (;;) {
      const campaign = await db.campaign.findUniqueOrThrow({ where: { id: "bench-campaign" }, select: { status: true } });
      if (campaign.status === "completed") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    await loop.stop();

    const report = fake.report();
    const statuses = await db.campaignDelivery.groupBy({ by: ["status", "reason"], _count: { _all: true } });
    const countOf = (status: string, reason?: string) =>
      statuses.filter((row) => row.status === status && (reason === undefined || row.reason === reason)).reduce((sum, row) => sum + row._count._all, 0);
    const expected = count - blockedChats.size;
    const deliveredChats = [...report.deliveredByChat.keys()].filter((chat) => !blockedChats.has(chat)).length;
    const duplicates = [...report.deliveredByChat.values()].reduce((sum, times) => sum + times - 1, 0);
    return {
      kind,
      label,
      recipients: count,
      blocked: blockedChats.size,
      planSeconds,
      elapsedSeconds,
      efficiency: count / 30 / elapsedSeconds,
      calls: report.calls,
      tooManyRequests: report.tooManyRequests,
      violations: report.violations,
      duplicates,
      lost: expected - deliveredChats,
      skippedBlocked: countOf("skipped", "blocked"),
      blockedRetried: [...report.blockedByChat.values()].reduce((sum, times) => sum + times - 1, 0),
      failed: countOf("failed"),
      sentRows: countOf("sent"),
      ...shortOf(report.perWindow),
    };
  } finally {
    await fake.close();
    await database.close();
    await scratch.dispose();
  }
}

console.log(`bench:broadcast — Node ${process.version}, ${cpus()[0]?.model ?? "?"} × ${cpus().length}; Prisma 6.19.3`);
console.log(`campaign to synthetic consented people in ${commune} on Telegram: planner + campaign dispatcher (runtime's loop and pacing), grammY adapter → local fake enforcing 30 msg/s per bot (fixed 1 s windows) and 1 msg/s per chat`);
console.log("efficiency = (recipients ÷ 30) ÷ elapsed seconds, elapsed from the first dispatch pass until the campaign completed (planning timed apart)");
console.log("database   run        recipients  blocked  plan s  elapsed s  efficiency  API calls  429s  violations  duplicates  lost  skipped blocked  blocked retried  failed  sent rows  windows under 30/s");
for (const kind of kinds) {
  for (const [label, count, withBlocked] of [["plain", recipients, false], ["5% blocked", blockedRecipients, true]] as const) {
    if (count <= 0) continue;
    const r = await broadcast(kind, label, count, withBlocked);
    console.log(
      `${r.kind.padEnd(10)} ${r.label.padEnd(10)} ${String(r.recipients).padStart(10)} ${String(r.blocked).padStart(8)} ${r.planSeconds.toFixed(1).padStart(7)} ${r.elapsedSeconds.toFixed(1).padStart(10)} ${r.efficiency.toFixed(3).padStart(11)} ${String(r.calls).padStart(10)} ${String(r.tooManyRequests).padStart(5)} ${String(r.violations).padStart(11)} ${String(r.duplicates).padStart(11)} ${String(r.lost).padStart(5)} ${String(r.skippedBlocked).padStart(16)} ${String(r.blockedRetried).padStart(16)} ${String(r.failed).padStart(7)} ${String(r.sentRows).padStart(10)} ${`${r.shortWindows}/${r.innerWindows}`.padStart(18)}`,
    );
  }
}
if (!args["skip-queue"]) for (const kind of kinds) for (const line of await measureQueueEnqueue(kind, jobs)) console.log(line);
