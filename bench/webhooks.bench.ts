// npm run bench:webhooks — webhook requests per second and p50/p99 acknowledgement latency for each channel
// (telegram, zalo-bot, zalo-oa), on SQLite and on PostgreSQL, beside a bare grammY webhook that only answers
// 200. Loa runs as in production with LOA_ROLE=web: the HTTP server and the inbox, no worker, so what is
// measured is acknowledgement (secret or signature check, parse, inbox write, 200). No platform is called:
// acknowledgement comes before any send (text messages only, so no button is acknowledged either), and the
// platforms' API roots point at an unused loopback port.
// Load per docs platform-limits P7 (see bench/webhook-load.ts), from a child process, on loopback only.
// Prints figures; asserts nothing.
import { fork, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Fastify from "fastify";
import { Bot, webhookCallback } from "grammy";
import { pino } from "pino";
import { createPlatformChannels } from "../src/channels/platform-channels.ts";
import { parseConfig, type Config } from "../src/config.ts";
import { createHttpServer } from "../src/http/http-server.ts";
import { createLogger } from "../src/logger.ts";
import { createRuntime, type Runtime } from "../src/runtime.ts";
import { throwawayDatabase } from "./throwaway-database.ts";
import type { LoadPlan, LoadRequest, LoadResult } from "./webhook-load.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const requestsPerCell = Number(process.env.LOA_BENCH_REQUESTS ?? 2000);
const perChat = 4;
const concurrency = Math.min(100, Number(process.env.LOA_BENCH_CONCURRENCY ?? 40));
const timeLimitMs = Number(process.env.LOA_BENCH_SECONDS ?? 60) * 1000;
const warmUpRequests = 500;
const rounds = Math.max(1, Number(process.env.LOA_BENCH_ROUNDS ?? 3));
const logLevel = process.env.LOA_BENCH_LOG_LEVEL ?? "info";

const secrets = {
  telegramToken: "7000000001:AAbench-token-never-sent-anywhere",
  telegramSecret: "bench_telegram_webhook_secret_0123",
  zaloBotToken: "1459232241454765289:bench-zalo-bot-token",
  zaloBotSecret: "bench_zalo_bot_webhook_secret_4567",
  zaloOa: { appId: "3456789012345678901", oaId: "1234567890123456789", appSecret: "bench-app-secret", webhookSecret: "bench-oa-secret-key", refreshToken: "bench-refresh" },
};
const texts = ["xin chào", "1", "2", "cứu tôi"];
const channels = ["telegram", "zalo-bot", "zalo-oa"] as const;
type Channel = (typeof channels)[number];

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

// Every chat and update id is new across the whole run, so no request is a redelivery of another.
let serial = 0;
const next = () => (serial += 1);

/** Real webhook bodies with the header each platform sends: Telegram's and Zalo Bot's secret, Zalo OA's signature. */
function requestsFor(channel: Channel, count: number): LoadRequest[][] {
  const chats: LoadRequest[][] = [];
  for (let left = count; left > 0; left -= perChat) {
    const chat = next();
    chats.push(Array.from({ length: Math.min(perChat, left) }, (_, index) => request(channel, chat, index)));
  }
  return chats;
}

function request(channel: Channel, chat: number, index: number): LoadRequest {
  const text = texts[index % texts.length] ?? "1";
  const id = next();
  if (channel === "telegram") {
    const chatId = 5_000_000_000 + chat;
    const body = { update_id: 100_000_000 + id, message: { message_id: index + 1, from: { id: chatId, is_bot: false, first_name: "Hoa" }, chat: { id: chatId, first_name: "Hoa", type: "private" }, date: 1764115200, text } };
    return { headers: { "x-telegram-bot-api-secret-token": secrets.telegramSecret }, body: JSON.stringify(body) };
  }
  if (channel === "zalo-bot") {
    const chatId = chat.toString(16).padStart(20, "0");
    const body = { event_name: "message.text.received", message: { from: { id: chatId, display_name: "Hoa", is_bot: false }, chat: { id: chatId, chat_type: "PRIVATE" }, text, message_id: randomBytes(10).toString("hex"), date: Date.now() } };
    return { headers: { "x-bot-api-secret-token": secrets.zaloBotSecret }, body: JSON.stringify(body) };
  }
  const { appId, oaId, webhookSecret } = secrets.zaloOa;
  const timestamp = String(Date.now());
  const body = JSON.stringify({ app_id: appId, sender: { id: String(2_000_000_000_000_000_000n + BigInt(chat)) }, recipient: { id: oaId }, event_name: "user_send_text", message: { text, msg_id: `bench${id}` }, timestamp });
  const mac = createHash("sha256").update(appId).update(body).update(timestamp).update(webhookSecret).digest("hex");
  return { headers: { "x-zevent-signature": `mac=${mac}` }, body };
}

/** Loa with every channel on, in webhook mode, role web, composed as src/main.ts does. */
async function startLoa(databaseUrl: string): Promise<{ url: string; runtime: Runtime; config: Config; stop(): Promise<void> }> {
  const nowhere = "http://127.0.0.1:9";
  const config = parseConfig({
    DATABASE_URL: databaseUrl,
    LOA_ROLE: "web",
    LOG_LEVEL: logLevel,
    SIMULATOR_ENABLED: "false",
    PUBLIC_URL: "https://loa.invalid",
    TELEGRAM_BOT_TOKEN: secrets.telegramToken,
    TELEGRAM_API_ROOT: nowhere,
    TELEGRAM_WEBHOOK_SECRET: secrets.telegramSecret,
    ZALO_BOT_TOKEN: secrets.zaloBotToken,
    ZALO_BOT_API_ROOT: nowhere,
    ZALO_BOT_WEBHOOK_SECRET: secrets.zaloBotSecret,
    ZALO_OA_APP_ID: secrets.zaloOa.appId,
    ZALO_OA_APP_SECRET: secrets.zaloOa.appSecret,
    ZALO_OA_OA_ID: secrets.zaloOa.oaId,
    ZALO_OA_WEBHOOK_SECRET: secrets.zaloOa.webhookSecret,
    ZALO_OA_REFRESH_TOKEN: secrets.zaloOa.refreshToken,
    ZALO_OA_API_ROOT: nowhere,
    ZALO_OA_OAUTH_ROOT: nowhere,
  });
  // Logged as in production (LOG_LEVEL info: a line per request), written to /dev/null instead of a terminal.
  const logger = createLogger({ level: config.LOG_LEVEL, destination: pino.destination({ dest: "/dev/null", sync: true }) });
  const platforms = createPlatformChannels(config, logger);
  const runtime = await createRuntime({ config, logger, projectRoot: root, channels: (database, now) => platforms.adapters(database, now) });
  const server = createHttpServer({ runtime, logger, simulator: false, webhooks: platforms.webhooks, afterAccept: platforms.afterAccept });
  runtime.start();
  const address = await server.listen({ host: "127.0.0.1", port: 0 });
  return { url: address, runtime, config, stop: async () => (await server.close(), await runtime.stop()) };
}

/** The least a Telegram webhook can do: grammY checks the secret and answers 200; the bot's handler does nothing. */
async function startBareGrammy(): Promise<{ url: string; stop(): Promise<void> }> {
  const bot = new Bot(secrets.telegramToken, {
    // Given botInfo, bot.init() makes no getMe call.
    botInfo: {
      id: 7000000001, is_bot: true, first_name: "Bench", username: "bench_bot", can_join_groups: false, can_read_all_group_messages: false,
      supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false,
      allows_users_to_create_topics: false, can_manage_bots: false, supports_join_request_queries: false,
    },
  });
  bot.use(() => {});
  const app = Fastify();
  app.post("/webhooks/telegram", webhookCallback(bot, "fastify", { secretToken: secrets.telegramSecret }));
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  return { url: address, stop: () => app.close() };
}

/** Sends plans to the load generator's process, one at a time. */
function startLoadGenerator(): { run(plan: LoadPlan): Promise<LoadResult>; stop(): void } {
  const child: ChildProcess = fork(fileURLToPath(new URL("./webhook-load.ts", import.meta.url)), { execArgv: ["--import", "tsx"] });
  return {
    run: (plan) =>
      new Promise((resolve, reject) => {
        const fail = (error: Error) => reject(error);
        child.once("error", fail);
        child.once("message", (result) => {
          child.off("error", fail);
          resolve(result as LoadResult);
        });
        child.send(plan);
      }),
    stop: () => child.disconnect(),
  };
}

async function databaseSettings(runtime: Runtime, config: Config): Promise<string> {
  const client = runtime.database.client;
  const first = async (sql: string) => Object.values((await client.$queryRawUnsafe<Array<Record<string, unknown>>>(sql))[0] ?? {})[0];
  if (runtime.database.kind === "sqlite") {
    const synchronous = Number(await first("PRAGMA synchronous"));
    const names = ["OFF", "NORMAL", "FULL", "EXTRA"];
    return `SQLite: journal_mode=${String(await first("PRAGMA journal_mode"))}, synchronous=${names[synchronous] ?? synchronous}, busy_timeout=${String(await first("PRAGMA busy_timeout"))} ms, one serialised connection`;
  }
  return `PostgreSQL ${String(await first("SHOW server_version"))}: pool of ${config.DATABASE_POOL_SIZE} connections (DATABASE_POOL_SIZE)`;
}

/** One server and channel on one database: the result of each round, and the inbox rows its requests wrote. */
type Cell = { database: "sqlite" | "postgres"; server: string; results: LoadResult[]; rows?: number };

const plan = (url: string, channel: Channel, count: number): LoadPlan => ({
  url,
  chats: requestsFor(channel, count),
  concurrency,
  timeLimitMs,
  requestTimeoutMs: 10_000,
  maxAttempts: 5,
});

const load = startLoadGenerator();
const cells: Cell[] = [];
const settings: string[] = [];
const bare = await startBareGrammy();
const bareUrl = `${bare.url}/webhooks/telegram`;
try {
  // Warms the load generator's process before anything is measured.
  await load.run(plan(bareUrl, "telegram", requestsPerCell));
  for (const kind of ["sqlite", "postgres"] as const) {
    const database = await throwawayDatabase(kind, "webhooks");
    const loa = await startLoa(database.url);
    try {
      settings.push(await databaseSettings(loa.runtime, loa.config));
      const inboxRows = (channel: Channel) => loa.runtime.database.client.inboxMessage.count({ where: { channel } });
      for (const channel of channels) await load.run(plan(`${loa.url}/webhooks/${channel}`, channel, warmUpRequests));
      await load.run(plan(bareUrl, "telegram", warmUpRequests));
      const bareCell: Cell = { database: kind, server: "bare grammY", results: [] };
      const loaCells = channels.map((channel): Cell & { channel: Channel } => ({ database: kind, server: `Loa ${channel}`, channel, results: [], rows: 0 }));
      // Rounds interleave the servers, so a slow moment of the machine does not land on one cell only.
      for (let round = 0; round < rounds; round += 1) {
        bareCell.results.push(await load.run(plan(bareUrl, "telegram", requestsPerCell)));
        for (const cell of loaCells) {
          const before = await inboxRows(cell.channel);
          cell.results.push(await load.run(plan(`${loa.url}/webhooks/${cell.channel}`, cell.channel, requestsPerCell)));
          cell.rows = (cell.rows ?? 0) + (await inboxRows(cell.channel)) - before;
        }
      }
      cells.push(bareCell, ...loaCells);
    } finally {
      await loa.stop();
      await database.dispose();
    }
  }
} finally {
  load.stop();
  await bare.stop();
}

const median = (values: number[]) => percentile(values, 50);
const summary = (cell: Cell) => {
  const rps = cell.results.map((r) => r.acknowledged / r.seconds);
  return {
    rps: median(rps),
    rpsRange: `${Math.min(...rps).toFixed(0)}–${Math.max(...rps).toFixed(0)}`,
    p50: median(cell.results.map((r) => percentile(r.latenciesMs, 50))),
    p99: median(cell.results.map((r) => percentile(r.latenciesMs, 99))),
    acknowledged: cell.results.reduce((sum, r) => sum + r.acknowledged, 0),
    failed: cell.results.reduce((sum, r) => sum + r.failed, 0),
    retries: cell.results.reduce((sum, r) => sum + r.retries, 0),
    timeLimited: cell.results.some((r) => r.stoppedByTimeLimit),
  };
};

const prisma = JSON.parse(await readFile(join(root, "node_modules/@prisma/client/package.json"), "utf8")) as { version: string };
const cpu = cpus();
console.log(`bench:webhooks — Node ${process.version}, ${cpu[0]?.model ?? "?"} × ${cpu.length}, Prisma ${prisma.version}, loopback only`);
console.log(`Loa: LOA_ROLE=web — HTTP server + inbox only, no worker: measures acknowledgement (verify, parse, inbox write, 200); LOG_LEVEL=${logLevel} to /dev/null.`);
console.log(`Bare: grammY webhookCallback(bot, "fastify", { secretToken }), handler does nothing, no database, no logging; Telegram bodies.`);
console.log(
  `Load (platform-limits P7): ${requestsPerCell} requests per cell and round over ${Math.ceil(requestsPerCell / perChat)} distinct chats (${perChat} each, in order), ` +
    `≤ ${concurrency} in flight, one per chat at a time, non-2xx/timeout retried with the same body (≤ 5 tries), ≤ ${timeLimitMs / 1000} s per cell; ` +
    `${rounds} interleaved rounds after ${warmUpRequests} warm-up requests per server; generator in its own process. Latency: first try → 2xx. Figures: median of rounds.`,
);
for (const line of settings) console.log(line);
console.log("");
console.log("database   server           req/s  (range)     p50 ms   p99 ms   acked  failed  retries  inbox rows   Loa/bare: req/s    p50    p99");
for (const kind of ["sqlite", "postgres"] as const) {
  const bareCell = cells.find((cell) => cell.database === kind && cell.server === "bare grammY");
  const base = bareCell === undefined ? undefined : summary(bareCell);
  for (const cell of cells.filter((c) => c.database === kind)) {
    const r = summary(cell);
    const ratios =
      base === undefined || cell === bareCell ? "" : `${(r.rps / base.rps).toFixed(2).padStart(17)} ${(r.p50 / base.p50).toFixed(1).padStart(6)} ${(r.p99 / base.p99).toFixed(1).padStart(6)}`;
    console.log(
      `${kind.padEnd(10)} ${cell.server.padEnd(14)} ${r.rps.toFixed(0).padStart(7)}  ${r.rpsRange.padEnd(10)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${String(r.acknowledged).padStart(7)} ${String(r.failed).padStart(7)} ${String(r.retries).padStart(8)} ${(cell.rows === undefined ? "—" : String(cell.rows)).padStart(11)}   ${ratios}` +
        (r.timeLimited ? "   (stopped by the time limit)" : ""),
    );
  }
}
const others = cells.flatMap((cell) =>
  cell.results.flatMap((result) => Object.entries(result.answers).filter(([status]) => status !== "200").map(([status, count]) => `${cell.database} ${cell.server}: ${count}× ${status}`)),
);
if (others.length > 0) console.log(`\nAnswers other than 200: ${others.join("; ")}`);
