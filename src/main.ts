import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { runChat } from "./cli/chat-command.ts";
import { runCheck } from "./cli/check-command.ts";
import { parseWebhooksAction, runWebhooks } from "./cli/webhooks-command.ts";
import { parseConfig, questionModelHosted, type Config } from "./config.ts";
import { ConfigError, LoaError } from "./errors.ts";
import { createPlatformChannels } from "./channels/platform-channels.ts";
import { createHttpServer } from "./http/http-server.ts";
import { createLogger } from "./logger.ts";
import { createRuntime } from "./runtime.ts";

/**
 * The composition root and the `loa` command: `start` (server and worker, by LOA_ROLE), `worker` (the worker
 * role only, as LOA_ROLE=worker: several may run, sharing campaign queues when REDIS_URL is set), `chat` (terminal
 * simulator), `check` (flows and content), `webhooks set|info|delete` (platform webhooks), `places` (the
 * official list of administrative units), `directory` (local help entries), `content` (translations and
 * coverage), `admin` (staff accounts, teams and API tokens), `campaign` (broadcast campaigns), `stats rebuild` (recount the statistics from the stored events), `report` (the periodic report of a province as XLSX or CSV), `eval qa` (the free-text question eval). The only module that reads the environment.
 */

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const usage = "usage: loa start | worker | chat [--json] [--as <conversation-id>] | check | webhooks set|info|delete | places … | directory … | content … | admin … | campaign … | stats rebuild | report --period 2026-H2 --province <code> [--format xlsx|csv] [--out <file>] | eval qa [--details]";

/**
 * The chat model QA_MODEL_URL names, or undefined: then free-text questions are answered from the approved
 * messages alone. Loaded only when configured, so a bot without a model never loads LangChain's client.
 */
async function questionModel(config: Config) {
  if (config.QA_MODEL_URL === undefined || config.QA_MODEL_NAME === undefined) return undefined;
  const { createChatModel } = await import("./questions/chat-model.ts");
  const settings = { url: config.QA_MODEL_URL, name: config.QA_MODEL_NAME, timeoutMs: config.QA_MODEL_TIMEOUT_MS };
  const model = createChatModel(config.QA_MODEL_API_KEY === undefined ? settings : { ...settings, apiKey: config.QA_MODEL_API_KEY });
  return { model, name: config.QA_MODEL_NAME, hosted: questionModelHosted(config) };
}

/** The version in package.json, shown in the staff API's OpenAPI document. */
async function packageVersion(): Promise<string> {
  const text = await readFile(resolve(projectRoot, "package.json"), "utf8");
  return z.object({ version: z.string() }).parse(JSON.parse(text)).version;
}

async function start(config: Config): Promise<void> {
  const logger = createLogger({ level: config.LOG_LEVEL });
  const platforms = createPlatformChannels(config, logger);
  const model = await questionModel(config);
  const runtime = await createRuntime({
    config,
    logger,
    projectRoot,
    channels: (database, now) => platforms.adapters(database, now),
    ...(model === undefined ? {} : { questionModel: model }),
  });
  const accepts = config.LOA_ROLE !== "worker";
  const server = accepts
    ? createHttpServer({
        runtime,
        logger,
        simulator: config.SIMULATOR_ENABLED,
        webhooks: platforms.webhooks,
        afterAccept: platforms.afterAccept,
        staff: { secureCookies: config.PUBLIC_URL?.startsWith("https:") ?? false, version: await packageVersion(), staleMonths: config.DIRECTORY_STALE_MONTHS, suppressBelow: config.STATS_SUPPRESS_BELOW },
      })
    : undefined;
  const pollers = accepts ? await platforms.startPolling((update) => runtime.accept(update)) : [];
  runtime.start();
  if (server) {
    const address = await server.listen({ host: config.HOST, port: config.PORT });
    const where = address.replace("[::1]", "localhost");
    process.stdout.write(
      `\nLoa is running (${runtime.database.kind}, role ${config.LOA_ROLE}).\n` +
        (config.SIMULATOR_ENABLED ? `Chat with the bot in a browser: ${where}/chat\nor in a terminal: npm run chat\n` : "") +
        `Staff console: ${where}/console` +
        ((await runtime.database.client.staffAccount.count({ where: { role: "admin", disabled: false } })) === 0 ? " (create the first admin with: npx loa admin create)\n\n" : "\n\n"),
    );
  } else {
    logger.info({ role: config.LOA_ROLE }, "worker started");
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    await Promise.all(pollers.map((poller) => poller.stop()));
    await server?.close();
    await runtime.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

async function chat(config: Config, args: string[]): Promise<void> {
  const logger = createLogger({ level: config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL, destination: process.stderr });
  const model = await questionModel(config);
  const runtime = await createRuntime({ config, logger, projectRoot, ...(model === undefined ? {} : { questionModel: model }) });
  runtime.start();
  const asIndex = args.indexOf("--as");
  const conversationId = asIndex >= 0 ? args[asIndex + 1] : undefined;
  try {
    await runChat({
      runtime,
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY) && !args.includes("--json"),
      json: args.includes("--json"),
      ...(conversationId === undefined ? {} : { conversationId }),
    });
  } finally {
    await runtime.stop();
  }
}

async function main(): Promise<number> {
  const [command = "start", ...args] = process.argv.slice(2);
  const config = parseConfig(process.env);
  switch (command) {
    case "start":
      await start(config);
      return -1;
    case "worker":
      // Conversation worker, outbox and campaign sending without the HTTP server: add as many as the load needs.
      await start({ ...config, LOA_ROLE: "worker" });
      return -1;
    case "chat":
      await chat(config, args);
      return 0;
    case "eval": {
      if (args[0] !== "qa") {
        process.stderr.write(`${usage}\n`);
        return 2;
      }
      const { runQuestionEvalCommand } = await import("./questions/question-eval-command.ts");
      return runQuestionEvalCommand({
        projectRoot,
        flowsDir: resolve(projectRoot, config.FLOWS_DIR),
        contentDir: resolve(projectRoot, config.CONTENT_DIR),
        model: await questionModel(config),
        timeoutMs: config.QA_MODEL_TIMEOUT_MS,
        details: args.includes("--details"),
        write: (line) => process.stdout.write(`${line}\n`),
      });
    }
    case "check":
      return runCheck({
        flowsDir: resolve(projectRoot, config.FLOWS_DIR),
        contentDir: resolve(projectRoot, config.CONTENT_DIR),
        defaultLocale: config.DEFAULT_LOCALE,
        write: (line) => process.stdout.write(`${line}\n`),
      });
    case "webhooks": {
      const action = parseWebhooksAction(args[0]);
      if (action !== undefined) return runWebhooks({ config, action, write: (line) => process.stdout.write(`${line}\n`) });
      process.stderr.write(`${usage}\n`);
      return 2;
    }
    case "content": {
      const { runContent } = await import("./cli/content-command.ts");
      return runContent({
        args,
        contentDir: resolve(projectRoot, config.CONTENT_DIR),
        flowsDir: resolve(projectRoot, config.FLOWS_DIR),
        cwd: process.cwd(),
        today: new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date()),
        write: (line) => process.stdout.write(`${line}\n`),
      });
    }
    case "campaign": {
      const { runCampaignCommand } = await import("./cli/campaign-command.ts");
      return runCampaignCommand({ config, projectRoot, args, write: (text) => process.stdout.write(text), isTerminal: Boolean(process.stdout.isTTY) });
    }
    case "admin": {
      const { runAdminCommand } = await import("./cli/admin-command.ts");
      return runAdminCommand({ config, projectRoot, args, input: process.stdin, output: process.stdout });
    }
    case "places": {
      // Loaded here so `start` does not load the spreadsheet reader.
      const { runPlaces } = await import("./cli/places-command.ts");
      return runPlaces({ config, projectRoot, args, write: (line) => process.stdout.write(`${line}\n`) });
    }
    case "stats": {
      const { runStats } = await import("./cli/stats-command.ts");
      return runStats({ config, projectRoot, args, write: (line) => process.stdout.write(`${line}\n`) });
    }
    case "report": {
      // Loaded here so `start` does not load the spreadsheet writer.
      const { runReport } = await import("./cli/report-command.ts");
      return runReport({ config, projectRoot, args, cwd: process.cwd(), write: (line) => process.stdout.write(`${line}\n`) });
    }
    case "directory": {
      // Loaded here so `start` does not load the spreadsheet reader.
      const { runDirectoryCommand } = await import("./cli/directory-command.ts");
      return runDirectoryCommand({ config, projectRoot, args, write: (line) => process.stdout.write(`${line}\n`) });
    }
    default:
      process.stderr.write(`${usage}\n`);
      return 2;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    else if (error instanceof LoaError) process.stderr.write(`Loa could not start: ${error.message}\n`);
    else process.stderr.write(`Loa stopped on an unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
