// Real Loa processes for integration tests: `loa start` (on its own port) or `loa worker` as a child, through tsx
// as `npm start` runs it, killed or stopped by the test. Each child runs in its own process group, so a kill also
// takes down what it spawned (the Prisma CLI during start-up migration), and no child outlives the test run.
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { configKeys } from "../../src/config.ts";
import { createDatabase, type DatabaseClient } from "../../src/store/database.ts";

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

/** How a child ended. */
export type LoaExit = { code: number | null; signal: NodeJS.Signals | null };

/** A running `loa` child. */
export interface LoaChild {
  pid: number;
  /** Every line the child wrote to stdout so far (the ready banner and, by LOG_LEVEL, JSON log lines). */
  stdoutLines: string[];
  /** What the child wrote to stderr so far. */
  stderr(): string;
  /** Settles when the child has exited. */
  exited: Promise<LoaExit>;
  /** False once the child has exited. */
  running(): boolean;
  /** SIGTERM (Loa's graceful stop), then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<LoaExit>;
  /** SIGKILL to the child's whole process group, like a power cut for the process; resolves once it is gone. */
  kill(): Promise<LoaExit>;
  /** The same SIGKILL, synchronously (for the parent's own exit). */
  killNow(): void;
}

/** A running `loa start` child. */
export interface LoaProcess extends LoaChild {
  port: number;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
}

/** Options of `startLoa`. */
export interface StartOptions {
  /** Configuration of the child (DATABASE_URL at least); every other Loa key gets a test default. */
  env: Record<string, string>;
  /** Port to listen on; a free one is found when absent. */
  port?: number;
  /** How long to wait for the ready line before failing. */
  readyTimeoutMs?: number;
}

/** Options of `startLoaWorker`. */
export type WorkerOptions = Omit<StartOptions, "port">;

/** How a command tells it is ready: `loa start` prints a banner once it listens; `loa worker` logs at info. */
const readyLines = { start: "Loa is running", worker: "\"msg\":\"worker started\"" } as const;

const live = new Set<LoaChild>();
let exitHookInstalled = false;

/**
 * SIGKILLs a child's process group, only while the child (its leader) has not been reaped: after that the
 * group id may belong to someone else's processes.
 */
function killGroup(child: { pid?: number; exitCode: number | null; signalCode: NodeJS.Signals | null }): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** A port nothing listens on right now (the kernel's choice for port 0, released at once). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}

/** The parent's environment without any Loa setting, so a developer's shell cannot change what a test runs. */
function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  const loaKeys = new Set<string>(configKeys);
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !loaKeys.has(key)) env[key] = value;
  }
  return env;
}

/** Test defaults of every child; the caller's `env` overrides them. */
const testDefaults = { HOST: "127.0.0.1", LOG_LEVEL: "warn", SIMULATOR_ENABLED: "true", POLL_INTERVAL_MS: "20", OUTBOX_LEASE_SECONDS: "1" };

/**
 * Starts `loa start` (node --import tsx src/main.ts start, in the project root) and resolves once it prints
 * "Loa is running". Fails with the child's stderr if it exits or is not ready within `readyTimeoutMs`.
 * Retries with another port if the chosen one turned out to be taken.
 */
export async function startLoa(options: StartOptions): Promise<LoaProcess> {
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await findFreePort());
    try {
      const child = await spawnLoa("start", { ...testDefaults, LOA_ROLE: "all", ...options.env, PORT: String(port) }, options.readyTimeoutMs);
      return Object.assign(child, { port, baseUrl: `http://127.0.0.1:${port}` });
    } catch (error) {
      const taken = error instanceof Error && error.message.includes("EADDRINUSE");
      if (!taken || attempt >= 3) throw error;
      if (options.port !== undefined) options = { ...options, port: await findFreePort() };
    }
  }
}

/**
 * Starts `loa worker` (node --import tsx src/main.ts worker): the conversation worker, the outbox dispatcher and
 * campaign sending without the HTTP server. Resolves once it logs "worker started", an info line, so LOG_LEVEL
 * defaults to info here; fails with the child's stderr if it exits or is not ready within `readyTimeoutMs`.
 */
export async function startLoaWorker(options: WorkerOptions): Promise<LoaChild> {
  return spawnLoa("worker", { ...testDefaults, LOG_LEVEL: "info", ...options.env }, options.readyTimeoutMs);
}

async function spawnLoa(command: keyof typeof readyLines, childEnv: Record<string, string>, readyTimeoutMs = 60_000): Promise<LoaChild> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const child of live) child.killNow();
    });
  }
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, ["--import", "tsx", "src/main.ts", command], {
    cwd: projectRoot,
    env: { ...baseEnvironment(), ...childEnv },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn loa ${command}`);
  const stdoutLines: string[] = [];
  let stderrText = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderrText += chunk;
  });
  // "close" rather than "exit": by then everything the child wrote has been read, for the error messages below.
  const exited = new Promise<LoaExit>((resolve) => {
    child.once("close", (code: number | null, signal: NodeJS.Signals | null) => {
      live.delete(handle);
      resolve({ code, signal });
    });
  });
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });

  const handle: LoaChild = {
    pid,
    stdoutLines,
    stderr: () => stderrText,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    async stop(graceMs = 10_000) {
      if (!handle.running()) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => killGroup(child), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
    async kill() {
      killGroup(child);
      return exited;
    },
    killNow: () => killGroup(child),
  };
  live.add(handle);

  const readyLine = readyLines[command];
  const ready = new Promise<void>((resolve, reject) => {
    const describe = (why: string) =>
      new Error(`loa ${command} ${why}.\n--- stderr ---\n${stderrText.trim()}\n--- stdout (last lines) ---\n${stdoutLines.slice(-20).join("\n")}`);
    const timer = setTimeout(() => {
      killGroup(child);
      reject(describe(`was not ready within ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
    lines.on("line", (line) => {
      stdoutLines.push(line);
      if (line.includes(readyLine)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(describe(`exited before it was ready (code ${exit.code}, signal ${exit.signal})`));
    });
  });
  try {
    await ready;
  } catch (error) {
    killGroup(child);
    await exited;
    throw error;
  }
  return handle;
}

/** SIGKILLs every child still running (for afterEach/afterAll), and waits until they are gone. */
export async function killAllLoaProcesses(): Promise<void> {
  await Promise.all([...live].map((child) => child.kill()));
}

// ---------------------------------------------------------------------------------------------------------
// Talking to a running Loa as a messaging platform would, and reading what it delivered.

/**
 * One person's visit through the shipped demo flow: welcome and consent, language, province menu, the commune
 * ask, the violence module (goto, quiz, help directory, back to the main flow), an emergency keyword, an
 * invalid menu answer, the child-marriage and safe-birth modules, goodbye, and a new visit.
 */
export const demoScript: readonly string[] = [
  "xin chào",
  "1",
  "1",
  "1",
  "Chiềng Sơn",
  "4",
  "1",
  "cứu tôi",
  "1",
  "abc",
  "1",
  "1",
  "1",
  "3",
  "2",
  "2",
  "2",
  "xin chào",
];

/** What a 202 from `POST /chat/api/messages` carries, with how many tries it took. */
export type Accepted = { inboxId: number; duplicate: boolean; tries: number };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Posts a simulator message and retries it with the SAME external id after any connection error, timeout or
 * non-2xx answer, until Loa answers 202 (as a platform redelivers an update it got no 200 for).
 * `baseUrl` is read again on each try, so the caller may point it at a restarted process.
 */
export async function postUntilAccepted(
  baseUrl: () => string,
  body: { conversationId: string; externalId: string; text: string },
  options: { deadline: number; retryDelayMs?: number; onTry?: (started: boolean) => void },
): Promise<Accepted> {
  let lastProblem = "";
  for (let tries = 1; ; tries += 1) {
    options.onTry?.(true);
    try {
      const response = await fetch(`${baseUrl()}/chat/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      if (response.status === 202) {
        const parsed = JSON.parse(text) as { inboxId: number; duplicate: boolean };
        return { inboxId: parsed.inboxId, duplicate: parsed.duplicate, tries };
      }
      lastProblem = `HTTP ${response.status}: ${text.slice(0, 200)}`;
    } catch (error) {
      lastProblem = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    } finally {
      options.onTry?.(false);
    }
    if (Date.now() > options.deadline) {
      throw new Error(`message ${body.externalId} was not accepted before the deadline (${tries} tries; last: ${lastProblem})`);
    }
    await sleep(options.retryDelayMs ?? 25);
  }
}

/** Polls `check` until it returns true; fails with `describe()` at the deadline. */
export async function waitUntil(check: () => Promise<boolean>, options: { timeoutMs: number; intervalMs?: number; describe: () => Promise<string> }) {
  const deadline = Date.now() + options.timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${options.timeoutMs} ms: ${await options.describe()}`);
    await sleep(options.intervalMs ?? 100);
  }
}

/**
 * Runs `work` on a short-lived connection to `url`. On SQLite the connection must be closed before a Loa
 * process starts: start-up migration (prisma migrate deploy) takes the file in exclusive locking mode and
 * fails with SQLITE_BUSY while another connection has it open.
 */
export async function withDatabase<T>(url: string, work: (db: DatabaseClient) => Promise<T>): Promise<T> {
  const database = await createDatabase({ url, poolSize: 2 });
  try {
    return await work(database.client);
  } finally {
    await database.close();
  }
}

/** Where the queues stand: accepted-but-unhandled inbox rows, and outbox rows not yet sent (or abandoned mid-send). */
export async function queueCounts(db: DatabaseClient) {
  const [inbox, inboxPending, outboxPending, outboxSending, deliveredUnmarked] = await Promise.all([
    db.inboxMessage.count(),
    db.inboxMessage.count({ where: { status: "pending" } }),
    db.outboxMessage.count({ where: { status: "pending" } }),
    db.outboxMessage.count({ where: { status: "sending" } }),
    db.simulatorMessage.count({ where: { sendKey: { in: (await db.outboxMessage.findMany({ where: { status: "sending" }, select: { id: true } })).map((row) => String(row.id)) } } }),
  ]);
  return { inbox, inboxPending, outboxPending, outboxSending, deliveredUnmarked };
}

/** Waits until all `expectedInbox` messages are in the inbox, none is pending, and no outbox row waits to be sent. */
export async function waitForDrain(db: DatabaseClient, expectedInbox: number, timeoutMs = 90_000): Promise<void> {
  let last = await queueCounts(db);
  await waitUntil(
    async () => {
      last = await queueCounts(db);
      return last.inbox >= expectedInbox && last.inboxPending === 0 && last.outboxPending === 0 && last.outboxSending === 0;
    },
    { timeoutMs, describe: async () => `Loa did not drain: ${JSON.stringify(last)} (expected ${expectedInbox} inbox rows)` },
  );
}

/** One delivered simulator message, as the mailbox table holds it. */
export type Delivery = { id: number; outboxId: number; conversationId: string; contentKeys: string[]; payload: string };

/** Every simulator delivery, grouped by conversation, each group in delivery (mailbox id) order. */
export async function readDeliveries(db: DatabaseClient): Promise<Map<string, Delivery[]>> {
  const rows = await db.simulatorMessage.findMany({ orderBy: { id: "asc" } });
  const byConversation = new Map<string, Delivery[]>();
  for (const row of rows) {
    const { contentKeys } = JSON.parse(row.payload) as { contentKeys: string[] };
    const list = byConversation.get(row.conversationId) ?? [];
    list.push({ id: row.id, outboxId: Number(row.sendKey), conversationId: row.conversationId, contentKeys, payload: row.payload });
    byConversation.set(row.conversationId, list);
  }
  return byConversation;
}
