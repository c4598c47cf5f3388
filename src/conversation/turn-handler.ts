import { z } from "zod";
import type { ActiveBot } from "../bot/bot-assets.ts";
import { emptyContact, type ContactSnapshot } from "../engine/contact-snapshot.ts";
import type { EngineInput } from "../engine/engine-input.ts";
import { sessionStateSchema, type SessionState } from "../engine/session-state.ts";
import { step } from "../engine/step.ts";
import { engineContentKeys } from "../engine/turn.ts";
import { loggableError, type Logger } from "../logger.ts";
import type { AnswerRefiner, HeldQuestion } from "../questions/answer-refiner.ts";
import type { Database, DatabaseTransaction } from "../store/database.ts";
import { isUniqueViolation } from "../store/database.ts";
import type { CompiledIndicator } from "../stats/indicators.ts";
import { recordEngagement, teamForCommune } from "../stats/stats-recorder.ts";
import { inboundMessageSchema } from "./inbound-message.ts";
import { planTurn, type TurnPlan } from "./turn-plan.ts";

/** A conversation on one channel: the unit whose messages are handled strictly in order. */
export type ConversationAddress = { channel: string; channelUserId: string };

/**
 * What handling one inbox row did, for the worker's log and for tests. `question` is a reply held for a model
 * to improve after the commit; it holds what she typed, in memory only.
 */
export type HandledTurn = { inboxId: number; messages: number; deleted: boolean; problems: TurnPlan["problems"]; question?: HeldQuestion };

/** Dependencies of the turn handler, passed in by the composition root. */
export type TurnHandlerDeps = {
  database: Database;
  /** The bot to run each turn with; a function, so places or help entries imported by staff apply to the next turn. */
  bot: () => ActiveBot;
  now: () => Date;
  newId: () => string;
  logger: Logger;
  /** The indicators engagement is counted toward, as the statistics are updated in each turn's transaction. */
  indicators: readonly CompiledIndicator[];
  /** With a question model configured: holds a question's reply while the model composes a better one. */
  answers?: Pick<AnswerRefiner, "hold">;
};

/** Attempts after which an inbox row that keeps failing is set aside, so it cannot block the person's later messages. */
export const maxInboxAttempts = 5;

const groupsSchema = z.record(z.string(), z.string());

function toSnapshot(contact: {
  locale: string | null;
  provinceCode: string | null;
  communeCode: string | null;
  communeName: string | null;
  groups: string;
  consentedAt: Date | null;
  stoppedAt: Date | null;
}): ContactSnapshot {
  const groups = groupsSchema.safeParse(parseJson(contact.groups));
  return {
    locale: contact.locale,
    provinceCode: contact.provinceCode,
    communeCode: contact.communeCode,
    communeName: contact.communeName,
    consented: contact.consentedAt !== null,
    stopped: contact.stoppedAt !== null,
    groups: groups.success ? groups.data : {},
  };
}

/** Parses JSON written by Loa itself; anything unreadable is `undefined`, never an exception. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A stored session that cannot be read (corrupted, or an unknown shape) restarts the conversation instead of blocking it. */
function parseState(text: string | undefined): { state: SessionState | null; invalid: boolean } {
  if (text === undefined) return { state: null, invalid: false };
  const parsed = sessionStateSchema.safeParse(parseJson(text));
  return parsed.success ? { state: parsed.data, invalid: false } : { state: null, invalid: true };
}

function toEngineInput(payload: string | null): EngineInput | "blocked" | null {
  if (payload === null) return null;
  const parsed = inboundMessageSchema.safeParse(parseJson(payload));
  if (!parsed.success) return null;
  switch (parsed.data.kind) {
    case "text":
      return { kind: "text", text: parsed.data.text };
    case "choice":
      return { kind: "choice", optionId: parsed.data.optionId, ...(parsed.data.nodeId === undefined ? {} : { nodeId: parsed.data.nodeId }) };
    case "blocked":
      return "blocked";
  }
}

/**
 * Handles the oldest pending inbox row of one conversation in ONE transaction: the contact row is locked
 * first (its turn counter is bumped, which on PostgreSQL holds the row lock until commit, so two processes
 * never handle one person's messages at once or out of order); then the engine runs, and the new session
 * state, the outbox rows, the engagement rows and the inbox row's `done` mark are committed together.
 * A crash at any point leaves either all of it or none of it. The inbox text is erased in the same commit.
 */
export function createTurnHandler(deps: TurnHandlerDeps) {
  const { database } = deps;

  async function handleInTransaction(tx: DatabaseTransaction, address: ConversationAddress): Promise<HandledTurn | null> {
    const now = deps.now();
    const contact = await tx.contact.upsert({
      where: { channel_channelUserId: address },
      create: { id: deps.newId(), pseudonym: deps.newId(), ...address, createdAt: now, lastSeenAt: now, turnCount: 1 },
      update: { turnCount: { increment: 1 }, lastSeenAt: now },
    });
    const inbox = await tx.inboxMessage.findFirst({ where: { ...address, status: "pending" }, orderBy: { id: "asc" } });
    if (!inbox) return null;
    const input = toEngineInput(inbox.payload);
    if (input === null) {
      await tx.inboxMessage.update({ where: { id: inbox.id }, data: { status: "failed", errorCode: "payload_invalid", payload: null, handledAt: now } });
      return { inboxId: inbox.id, messages: 0, deleted: false, problems: [{ code: "payload_invalid", detail: `inbox ${inbox.id}` }] };
    }
    if (input === "blocked") {
      const isNew = contact.turnCount === 1 && contact.createdAt.getTime() === now.getTime();
      await tx.outboxMessage.updateMany({ where: { ...address, status: "pending" }, data: { status: "cancelled" } });
      await tx.session.deleteMany({ where: { contactId: contact.id } });
      if (isNew) await tx.contact.delete({ where: { id: contact.id } });
      else if (contact.stoppedAt === null) {
        await tx.contact.update({ where: { id: contact.id }, data: { stoppedAt: now } });
        const { locale, provinceCode, communeCode, groups } = toSnapshot(contact);
        const teamId = await teamForCommune(tx, communeCode);
        await recordEngagement(tx, [{ kind: "blocked_bot", occurredAt: now, pseudonym: contact.pseudonym, channel: address.channel, locale, provinceCode, communeCode, teamId, groups }], deps);
      }
      await tx.inboxMessage.update({ where: { id: inbox.id }, data: { status: "done", payload: null, handledAt: now } });
      return { inboxId: inbox.id, messages: 0, deleted: false, problems: [] };
    }
    const session = await tx.session.findUnique({ where: { contactId: contact.id } });
    const stored = parseState(session?.state);
    const before = toSnapshot(contact);
    const { setup, renderer } = deps.bot();
    const result = step(setup, { contact: before, state: stored.state, input, now });
    const plan = planTurn(before, result, renderer, now);
    if (stored.invalid) plan.problems.push({ code: "session_invalid", detail: `contact session could not be read; restarted` });

    if (plan.deleteData) {
      await tx.session.deleteMany({ where: { contactId: contact.id } });
      await tx.outboxMessage.updateMany({ where: { contactId: contact.id }, data: { contactId: null } });
      // Campaign deliveries keep only the pseudonym, for reach; those not yet sent are skipped.
      await tx.campaignDelivery.updateMany({ where: { contactId: contact.id, status: "pending" }, data: { status: "skipped", reason: "deleted" } });
      await tx.campaignDelivery.updateMany({ where: { contactId: contact.id }, data: { contactId: null } });
      await tx.outboxMessage.deleteMany({ where: { ...address, status: { in: ["sent", "dead", "cancelled"] } } });
      await tx.inboxMessage.deleteMany({ where: { ...address, status: { in: ["done", "failed"] } } });
      await tx.contact.delete({ where: { id: contact.id } });
    } else {
      if (Object.keys(plan.contact).length > 0) await tx.contact.update({ where: { id: contact.id }, data: plan.contact });
      if (result.contact.stopped && !before.stopped) {
        // She opted out: replies still waiting from earlier turns are not sent; only the confirmation below is.
        await tx.outboxMessage.updateMany({ where: { ...address, status: "pending" }, data: { status: "cancelled" } });
      }
      if (result.state) {
        const state = JSON.stringify(result.state);
        const expiresAt = new Date(result.state.expiresAt);
        await tx.session.upsert({
          where: { contactId: contact.id },
          create: { contactId: contact.id, state, expiresAt, updatedAt: now },
          update: { state, expiresAt, updatedAt: now },
        });
      } else {
        await tx.session.deleteMany({ where: { contactId: contact.id } });
      }
    }
    if (plan.messages.length > 0) {
      // One multi-row INSERT: both databases number its rows in the order given, which is the sending order.
      await tx.outboxMessage.createMany({
        data: plan.messages.map((message) => ({
          ...address,
          contactId: plan.deleteData ? null : contact.id,
          inboxId: inbox.id,
          payload: JSON.stringify(message),
          nextAttemptAt: now,
          createdAt: now,
        })),
      });
    }
    if (plan.engagement.length > 0) {
      const teamId = await teamForCommune(tx, result.contact.communeCode);
      await recordEngagement(
        tx,
        plan.engagement.map((record) => ({
          kind: record.kind,
          occurredAt: now,
          pseudonym: contact.pseudonym,
          channel: address.channel,
          locale: result.contact.locale ?? null,
          provinceCode: result.contact.provinceCode,
          communeCode: result.contact.communeCode,
          topic: record.topic ?? null,
          contentKey: record.contentKey ?? null,
          flowId: record.flowId ?? null,
          nodeId: record.nodeId ?? null,
          detail: record.detail,
          teamId,
          groups: result.contact.groups,
        })),
        deps,
      );
    }
    // Free-text questions (docs/questions.md): with a model configured, the reply waits in the outbox for a better one.
    const question = await deps.answers?.hold(tx, { inboxId: inbox.id, plan, input, contact: result.contact, pseudonym: contact.pseudonym, channel: address.channel, now });
    await tx.inboxMessage.update({ where: { id: inbox.id }, data: { status: "done", payload: null, handledAt: now } });
    return { inboxId: inbox.id, messages: plan.messages.length, deleted: plan.deleteData, problems: plan.problems, ...(question ? { question } : {}) };
  }

  /**
   * Counts a failed attempt on the conversation's oldest pending row. After `maxInboxAttempts` the row is set
   * aside so her later messages are not blocked, and she is sent the closing message with the help numbers:
   * whatever went wrong, a person who wrote gets a way to reach help (failure tier 3).
   */
  async function recordFailure(address: ConversationAddress, error: unknown): Promise<void> {
    const inbox = await database.client.inboxMessage.findFirst({ where: { ...address, status: "pending" }, orderBy: { id: "asc" } });
    if (!inbox) return;
    const attempts = inbox.attempts + 1;
    const setAside = attempts >= maxInboxAttempts;
    const code = error instanceof Error ? error.name : "unknown";
    deps.logger.error({ error: loggableError(error), inboxId: inbox.id, attempts, setAside }, "conversation turn failed");
    if (!setAside) {
      await database.client.inboxMessage.update({ where: { id: inbox.id }, data: { attempts, errorCode: code } });
      return;
    }
    const now = deps.now();
    await database.client.$transaction(async (tx) => {
      await tx.inboxMessage.update({ where: { id: inbox.id }, data: { attempts, status: "failed", errorCode: code, payload: null, handledAt: now } });
      const contact = await tx.contact.findUnique({ where: { channel_channelUserId: address } });
      const { message } = deps.bot().renderer.render({ keys: [engineContentKeys.failure], help: "closing" }, contact ? toSnapshot(contact) : emptyContact);
      await tx.outboxMessage.create({
        data: { ...address, contactId: contact?.id ?? null, inboxId: inbox.id, payload: JSON.stringify(message), nextAttemptAt: now, createdAt: now },
      });
    });
  }

  return {
    /**
     * Handles the conversation's oldest pending message; returns null when there was none. A lost race to
     * create a new contact is retried; any other error is counted on the inbox row and rethrown.
     */
    async handleNext(address: ConversationAddress): Promise<HandledTurn | null> {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const handled = await database.client.$transaction((tx) => handleInTransaction(tx, address), { maxWait: 10_000, timeout: 20_000 });
          for (const problem of handled?.problems ?? []) deps.logger.warn({ code: problem.code, detail: problem.detail }, "conversation problem");
          return handled;
        } catch (error) {
          if (isUniqueViolation(error) && attempt < 3) continue;
          await recordFailure(address, error);
          throw error;
        }
      }
    },
  };
}

export type TurnHandler = ReturnType<typeof createTurnHandler>;
