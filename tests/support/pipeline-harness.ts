import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { createPlaceIndex } from "../../src/places/place-index.ts";
import { loadShippedPlaces } from "../../src/places/shipped-places.ts";
import { fileURLToPath } from "node:url";
import { loadBotAssets, type BotAssets } from "../../src/bot/bot-assets.ts";
import type { ChannelAdapter } from "../../src/channels/channel-adapter.ts";
import { createChannelRegistry } from "../../src/channels/channel-registry.ts";
import { createSimulatorAdapter, simulatorChannel } from "../../src/channels/simulator/simulator-adapter.ts";
import { createConversationWorker } from "../../src/conversation/conversation-worker.ts";
import type { InboundMessage } from "../../src/conversation/inbound-message.ts";
import { acceptInboundUpdate } from "../../src/conversation/inbox.ts";
import { createOutboxDispatcher, type RetryPolicy } from "../../src/conversation/outbox-dispatcher.ts";
import { createTurnHandler } from "../../src/conversation/turn-handler.ts";
import { createAnswerComposer } from "../../src/questions/answer-composer.ts";
import { createAnswerRefiner } from "../../src/questions/answer-refiner.ts";
import { compileIndicators, indicatorsFile, loadIndicators, type CompiledIndicator } from "../../src/stats/indicators.ts";
import type { DatabaseKind } from "../../src/store/database.ts";
import { createLogCapture } from "./log-capture.ts";
import { createSequentialIds, createTestClock } from "./test-clock.ts";

import { createTestDatabase } from "./test-database.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
let shippedAssets: Promise<BotAssets> | undefined;

/** The date help entries are dated against in tests that share the shipped assets. */
const shippedClockStart = new Date("2026-01-05T08:00:00.000Z");

/** The shipped flows, content, directory and places (provinces and sample communes), loaded once per test file. */
export function loadShippedAssets(): Promise<BotAssets> {
  shippedAssets ??= (async () => {
    const places = await loadShippedPlaces(`${root}content`);
    const reference = { places: createPlaceIndex([...places.provinces, ...places.sampleCommunes]), localHelp: [] };
    return loadBotAssets({ flowsDir: `${root}flows`, contentDir: `${root}content`, defaultLocale: "vi", reference, now: () => shippedClockStart });
  })();
  return shippedAssets;
}

let shippedIndicators: Promise<CompiledIndicator[]> | undefined;

/** The shipped indicators (content/indicators.yaml), compiled once per test file. */
export function loadShippedIndicators(): Promise<CompiledIndicator[]> {
  shippedIndicators ??= loadIndicators(indicatorsFile(`${root}content`)).then(compileIndicators);
  return shippedIndicators;
}

/**
 * The whole conversation pipeline on a fresh database of `kind`, with the shipped flows and content, a hand-moved
 * clock and sequential ids: accept updates, run the worker and the dispatcher, read what was delivered.
 */
export async function createPipeline(
  kind: DatabaseKind,
  options: {
    channels?: ChannelAdapter[];
    retry?: RetryPolicy;
    leaseMs?: number;
    /** Other assets than the shipped ones, e.g. loaded with a hosted question model. */
    assets?: BotAssets;
    /** A chat model for free-text questions: their replies are held and refined as in production. */
    questionModel?: { model: BaseChatModel; timeoutMs: number };
  } = {},
) {
  const testDatabase = await createTestDatabase(kind);
  const { database } = testDatabase;
  const assets = options.assets ?? (await loadShippedAssets());
  const clock = createTestClock();
  const logs = createLogCapture();
  const newId = createSequentialIds();
  const channels = createChannelRegistry([createSimulatorAdapter({ db: database.client, now: clock.now }), ...(options.channels ?? [])]);
  const indicators = await loadShippedIndicators();
  const answers =
    options.questionModel === undefined
      ? undefined
      : createAnswerRefiner({
          database,
          composer: createAnswerComposer(options.questionModel),
          questions: () => assets.questionIndex,
          renderer: () => assets.renderer,
          directoryNumbers: () => assets.directory.map((entry) => entry.phone),
          timeoutMs: options.questionModel.timeoutMs,
          now: clock.now,
          logger: logs.logger,
          indicators,
        });
  const turns = createTurnHandler({ database, bot: () => assets, now: clock.now, newId, logger: logs.logger, indicators, ...(answers ? { answers } : {}) });
  const worker = createConversationWorker({ database, turns, logger: logs.logger, ...(answers ? { answers } : {}) });
  const dispatcher = createOutboxDispatcher({
    database,
    channels,
    now: clock.now,
    logger: logs.logger,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  });
  let externalId = 0;

  /** Accepts one inbound message from a simulated person. */
  async function receive(userId: string, message: InboundMessage | string, channel = simulatorChannel) {
    externalId += 1;
    const inbound: InboundMessage = typeof message === "string" ? { kind: "text", text: message } : message;
    return acceptInboundUpdate(database.client, { channel, externalId: `u${externalId}`, channelUserId: userId, message: inbound }, clock.now());
  }

  /** Runs the worker and the dispatcher until neither has anything left that is due now. */
  async function settle(): Promise<void> {
    for (let pass = 0; pass < 100; pass += 1) {
      const handled = await worker.handlePending();
      await worker.idle();
      const sent = await dispatcher.dispatchDue();
      if (handled === 0 && sent === 0) return;
    }
    throw new Error("pipeline did not settle in 100 passes");
  }

  /** What the simulator delivered to one person, in order. */
  async function delivered(userId: string) {
    const rows = await database.client.simulatorMessage.findMany({ where: { conversationId: userId }, orderBy: { id: "asc" } });
    return rows.map((row) => JSON.parse(row.payload) as { text: string; contentKeys: string[]; options?: Array<{ id: string; label: string }>; nodeId?: string });
  }

  /** Sends a message, settles, and returns the content keys of the replies it produced. */
  async function say(userId: string, message: InboundMessage | string): Promise<string[][]> {
    const before = (await delivered(userId)).length;
    await receive(userId, message);
    await settle();
    return (await delivered(userId)).slice(before).map((reply) => reply.contentKeys);
  }

  /** Every row of every table as JSON, to search for text that must not be stored. */
  async function dumpAllRows(): Promise<string> {
    const db = database.client;
    const tables = await Promise.all([
      db.contact.findMany(),
      db.session.findMany(),
      db.inboxMessage.findMany(),
      db.outboxMessage.findMany(),
      db.engagementEvent.findMany(),
    ]);
    return JSON.stringify(tables);
  }

  return { database, assets, clock, logs, turns, worker, dispatcher, receive, settle, delivered, say, dumpAllRows, drop: testDatabase.drop };
}

export type Pipeline = Awaited<ReturnType<typeof createPipeline>>;
