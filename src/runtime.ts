import { randomUUID } from "node:crypto";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { resolve } from "node:path";
import { loadBotAssets, type ActiveBot, type BotAssets, type ReferenceData } from "./bot/bot-assets.ts";
import { createReferenceDataSource, type ReferenceDataSource } from "./bot/reference-data-source.ts";
import { createCampaignDispatcher } from "./campaigns/campaign-dispatcher.ts";
import { createCampaignQueue } from "./campaigns/campaign-queue.ts";
import { createRunPlanner } from "./campaigns/run-planner.ts";
import type { ChannelAdapter } from "./channels/channel-adapter.ts";
import { createChannelRegistry, type ChannelRegistry } from "./channels/channel-registry.ts";
import { createSimulatorAdapter } from "./channels/simulator/simulator-adapter.ts";
import type { Config } from "./config.ts";
import { createConversationWorker } from "./conversation/conversation-worker.ts";
import type { InboundUpdate } from "./conversation/inbound-message.ts";
import { acceptInboundUpdate, type AcceptedUpdate } from "./conversation/inbox.ts";
import { createOutboxDispatcher, createSendPacing } from "./conversation/outbox-dispatcher.ts";
import { createPollingLoop } from "./conversation/polling-loop.ts";
import { pruneExpiredRows } from "./conversation/retention.ts";
import { createTurnHandler } from "./conversation/turn-handler.ts";
import { staleEntries } from "./directory/help-staleness.ts";
import { LoaError } from "./errors.ts";
import type { Logger } from "./logger.ts";
import { createAnswerComposer } from "./questions/answer-composer.ts";
import { createAnswerRefiner } from "./questions/answer-refiner.ts";
import { compileIndicators, indicatorsFile, loadIndicators } from "./stats/indicators.ts";
import { pruneClosedPeriods } from "./stats/stats-pruning.ts";
import { rebuildStatisticsIfNeeded } from "./stats/stats-rebuild.ts";
import { redactDatabaseUrl, type Database } from "./store/database.ts";
import { openMigratedDatabase } from "./store/migrate.ts";

/** A running Loa: accepts inbound updates, and (in the worker role) handles them and sends replies. */
export type Runtime = {
  database: Database;
  assets: BotAssets;
  /** The bot as it runs now: the assets bound to the latest places and help entries. */
  bot(): ActiveBot;
  /** The clock every part of this runtime reads. */
  now: () => Date;
  /** Reloads places and help entries when staff changed them; returns true when something was reloaded. */
  refreshReferenceData(): Promise<boolean>;
  channels: ChannelRegistry;
  /** Writes an update to the inbox and wakes the local worker. Safe to call again with the same update. */
  accept(update: InboundUpdate): Promise<AcceptedUpdate>;
  /** Starts the background loops of the configured role. */
  start(): void;
  /** Stops the loops after their current pass and the campaign queue workers after their current jobs, then closes the database. */
  stop(): Promise<void>;
};

/** Injectable sources of time, identity and channels, so tests and benchmarks can control them. */
export type RuntimeOptions = {
  config: Config;
  logger: Logger;
  projectRoot: string;
  now?: () => Date;
  newId?: () => string;
  /** Extra channel adapters (real platforms, or fakes in tests); the simulator is added when enabled. */
  channels?: (database: Database, now: () => Date) => ChannelAdapter[];
  /** The chat model that improves answers to free-text questions (QA_MODEL_URL), or a fake in tests; none: retrieval only. */
  questionModel?: { model: BaseChatModel; hosted: boolean };
};

const retentionIntervalMs = 3_600_000;

/** How often a process looks for places or help entries imported by another process. */
const referenceCheckIntervalMs = 10_000;

/**
 * Builds Loa from its configuration: migrates and opens the database, loads and checks flows, content and
 * the help directory (refusing to start on errors), and wires the conversation worker, the outbox
 * dispatcher and the retention pruner. The only place these pieces meet.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config, logger } = options;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? randomUUID;
  const root = options.projectRoot;
  const contentDir = resolve(root, config.CONTENT_DIR);
  const assets = await loadBotAssets({
    flowsDir: resolve(root, config.FLOWS_DIR),
    contentDir,
    defaultLocale: config.DEFAULT_LOCALE,
    staleMonths: config.DIRECTORY_STALE_MONTHS,
    ...(config.PUBLIC_URL === undefined ? {} : { publicUrl: config.PUBLIC_URL }),
    questionsHosted: options.questionModel?.hosted ?? false,
    now,
  });
  const contentErrors = assets.contentIssues.filter((issue) => issue.severity === "error");
  if (contentErrors.length > 0) {
    throw new LoaError(`Content has ${contentErrors.length} error(s); run npm run check`, "content:invalid", {
      context: { codes: [...new Set(contentErrors.map((issue) => issue.code))] },
    });
  }
  const indicators = compileIndicators(await loadIndicators(indicatorsFile(contentDir)));
  const database = await openMigratedDatabase({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, projectRoot: root });
  const adapters = [
    ...(config.SIMULATOR_ENABLED ? [createSimulatorAdapter({ db: database.client, now })] : []),
    ...(options.channels?.(database, now) ?? []),
  ];
  const channels = createChannelRegistry(adapters);
  const reference: ReferenceDataSource = createReferenceDataSource({ db: database.client, contentDir, now });
  const seeded = await reference.seed();
  if (seeded > 0) logger.info({ places: seeded }, "shipped provinces and sample communes stored");
  // Staff see help entries due for checking in the log whenever the list is loaded (and with `loa directory list --stale`).
  const bindReference = (data: ReferenceData): ActiveBot => {
    const due = staleEntries([...data.localHelp, ...assets.directory], now(), config.DIRECTORY_STALE_MONTHS);
    if (due.length > 0) {
      logger.warn({ entries: due.map((entry) => entry.id), staleMonths: config.DIRECTORY_STALE_MONTHS }, "help entries not verified recently; check them (loa directory list --stale)");
    }
    return assets.bind(data);
  };
  let referenceRevision = await reference.revision();
  let active: ActiveBot = bindReference(await reference.load());
  const refreshReferenceData = async (): Promise<boolean> => {
    const revision = await reference.revision();
    if (revision === referenceRevision) return false;
    active = bindReference(await reference.load());
    referenceRevision = revision;
    logger.info({}, "places and help entries reloaded");
    return true;
  };
  const answers =
    options.questionModel === undefined
      ? undefined
      : createAnswerRefiner({
          database,
          composer: createAnswerComposer({ model: options.questionModel.model, timeoutMs: config.QA_MODEL_TIMEOUT_MS }),
          questions: () => assets.questionIndex,
          renderer: () => active.renderer,
          directoryNumbers: () => assets.directory.map((entry) => entry.phone),
          timeoutMs: config.QA_MODEL_TIMEOUT_MS,
          now,
          logger,
          indicators,
        });
  const turns = createTurnHandler({ database, bot: () => active, now, newId, logger, indicators, ...(answers ? { answers } : {}) });
  // One pacing for conversation replies and campaign messages, so together they stay within each platform's limit.
  const pacing = createSendPacing();
  const retry = { maxAttempts: config.OUTBOX_MAX_ATTEMPTS, baseDelayMs: 1_000, maxDelayMs: 300_000 };
  const dispatcher = createOutboxDispatcher({ database, channels, now, logger, retry, leaseMs: config.OUTBOX_LEASE_SECONDS * 1000, pacing });
  const runsWorker = config.LOA_ROLE !== "web";
  // Before any worker records engagement: a database from before the aggregates, or a rebuild cut short.
  if (runsWorker) await rebuildStatisticsIfNeeded(database, { indicators, clock: now, logger });
  // With Redis, workers of any number of processes take deliveries from BullMQ queues and this loop only keeps
  // the queues in step with the table; without it, this loop sends from the table itself.
  const campaignQueue =
    config.REDIS_URL === undefined || !runsWorker
      ? undefined
      : createCampaignQueue({
          redisUrl: config.REDIS_URL,
          databaseName: redactDatabaseUrl(config.DATABASE_URL),
          db: database.client,
          channels: [...channels.keys()],
          // Called by the queue workers only once started, when the dispatcher below exists.
          deliver: (id) => campaigns.processDelivery(id),
          now,
          logger,
          leaseMs: config.OUTBOX_LEASE_SECONDS * 1000,
        });
  const planner = createRunPlanner({ db: database.client, now, defaultLocale: config.DEFAULT_LOCALE });
  const campaigns = createCampaignDispatcher({
    db: database.client,
    channels: campaignQueue?.limitedChannels(channels) ?? channels,
    bot: () => active,
    now,
    logger,
    pacing,
    retry,
    leaseMs: config.OUTBOX_LEASE_SECONDS * 1000,
    monthlyQuota: { "zalo-bot": config.ZALO_BOT_MONTHLY_QUOTA },
    indicators,
  });
  const campaignLoop = createPollingLoop({
    name: "campaigns",
    runOnce: async () => {
      await planner.startDueRuns();
      const done = campaignQueue ? await campaignQueue.enqueueOpenDeliveries() : await campaigns.dispatchDue();
      await planner.closeFinishedRuns();
      return done;
    },
    idleMs: Math.max(config.POLL_INTERVAL_MS, 1_000),
    logger,
  });
  const dispatchLoop = createPollingLoop({ name: "outbox", runOnce: dispatcher.dispatchDue, idleMs: config.POLL_INTERVAL_MS, logger });
  const worker = createConversationWorker({ database, turns, logger, onHandled: () => dispatchLoop.wake(), ...(answers ? { answers } : {}) });
  const workerLoop = createPollingLoop({ name: "conversations", runOnce: worker.handlePending, idleMs: config.POLL_INTERVAL_MS, logger });
  const retentionLoop = createPollingLoop({
    name: "retention",
    runOnce: async () => {
      const pruned = await pruneExpiredRows(database, now(), config.RETENTION_DAYS);
      logger.info({ pruned, retentionDays: config.RETENTION_DAYS }, "old rows pruned");
      logger.info({ pruned: await pruneClosedPeriods(database.client, now()) }, "people counted in ended statistics periods forgotten");
      return 0;
    },
    idleMs: retentionIntervalMs,
    logger,
  });
  const referenceLoop = createPollingLoop({
    name: "reference-data",
    runOnce: async () => {
      await refreshReferenceData();
      return 0;
    },
    idleMs: referenceCheckIntervalMs,
    logger,
  });
  const loops = runsWorker ? [workerLoop, dispatchLoop, campaignLoop, retentionLoop, referenceLoop] : [];

  return {
    database,
    assets,
    bot: () => active,
    now,
    refreshReferenceData,
    channels,
    async accept(update) {
      const accepted = await acceptInboundUpdate(database.client, update, now());
      if (runsWorker) workerLoop.wake();
      return accepted;
    },
    start() {
      for (const loop of loops) loop.start();
      campaignQueue?.start();
    },
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
      await worker.idle();
      await campaignQueue?.close();
      await database.close();
    },
  };
}
