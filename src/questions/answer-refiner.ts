import type { OutboundMessage } from "../channels/outbound-message.ts";
import { teamWrittenLocales } from "../content/language-offer.ts";
import type { MessageRenderer } from "../content/message-renderer.ts";
import type { PlannedQuestion, TurnPlan } from "../conversation/turn-plan.ts";
import type { ContactSnapshot } from "../engine/contact-snapshot.ts";
import type { EngineInput } from "../engine/engine-input.ts";
import { topicSchema } from "../engine/flow-schema.ts";
import type { DangerTopic } from "../engine/question-lookup.ts";
import { urgentLeadKey } from "../engine/question-step.ts";
import { engineContentKeys } from "../engine/turn.ts";
import { loggableError, type Logger } from "../logger.ts";
import type { CompiledIndicator } from "../stats/indicators.ts";
import { recordEngagement, teamForCommune, type EngagementInput } from "../stats/stats-recorder.ts";
import type { Database, DatabaseTransaction } from "../store/database.ts";
import type { AnswerComposer, ComposedAnswer } from "./answer-composer.ts";
import type { QuestionIndex } from "./question-index.ts";

/**
 * A reply to a free-text question, held back in the outbox while a model composes a better one. Lives in
 * memory only: `text` is what she typed, kept for the model and never stored or logged.
 */
export type HeldQuestion = PlannedQuestion & {
  outboxId: number;
  heldUntil: Date;
  text: string;
  message: OutboundMessage;
  contact: ContactSnapshot;
  pseudonym: string;
  channel: string;
};

/** What a turn hands over, inside its transaction, for its question reply to be held. */
export type TurnToHold = {
  inboxId: number;
  plan: TurnPlan;
  input: EngineInput;
  /** The contact after the turn. */
  contact: ContactSnapshot;
  pseudonym: string;
  channel: string;
  now: Date;
};

/**
 * Lets a model improve question replies without ever holding a lock while it thinks. Inside the turn's
 * transaction, `hold` delays the reply's outbox row by the model's time limit (messages after it wait behind
 * it, since a person's messages go in order). After the commit, `refine` asks the model, checks its answer
 * and puts it in the row, or leaves the retrieved messages, and releases the row at once. If the process dies
 * in between, the row is released by its own time: the person gets the retrieved answer, a moment later.
 */
export type AnswerRefiner = {
  hold(tx: DatabaseTransaction, turn: TurnToHold): Promise<HeldQuestion | undefined>;
  refine(question: HeldQuestion): Promise<void>;
  /** Resolves when every refinement started so far has finished (for shutdown and tests). */
  idle(): Promise<void>;
};

/** Time given to write the row after the model's deadline. */
const releaseMarginMs = 1_500;
/** Refinements at once; past this, replies are sent as retrieved rather than queued behind the model. */
const defaultMaxInFlight = 8;

function dangerTopicOf(topic: string | null): DangerTopic | undefined {
  return topic === "violence" || topic === "child-marriage" || topic === "safe-birth" ? topic : undefined;
}

/** Builds the refiner; the composition root gives it the same composer, index and renderer the bot runs with. */
export function createAnswerRefiner(deps: {
  database: Database;
  composer: AnswerComposer;
  questions: () => QuestionIndex | undefined;
  renderer: () => MessageRenderer;
  /** Phone numbers of the help directory: an answer may give them. */
  directoryNumbers: () => readonly string[];
  timeoutMs: number;
  now: () => Date;
  logger: Logger;
  /** The indicators engagement counts toward, as in the turn handler: a model's urgency is counted like the rules'. */
  indicators: readonly CompiledIndicator[];
  maxInFlight?: number;
}): AnswerRefiner {
  const running = new Set<Promise<void>>();
  const maxInFlight = deps.maxInFlight ?? defaultMaxInFlight;

  /**
   * The reply as it will be sent: composed where the check passed (without the retrieved messages' voice notes,
   * which no longer match its words), with the emergency numbers when the model saw danger.
   */
  function finalMessage(question: HeldQuestion, composed: ComposedAnswer): OutboundMessage {
    const base: OutboundMessage =
      composed.outcome === "composed" ? { text: composed.text, contentKeys: composed.cites, locale: question.message.locale } : question.message;
    if (!composed.urgent) return base;
    const topic = dangerTopicOf(composed.topic) ?? dangerTopicOf(question.topic);
    const keys = [...(topic === undefined ? [] : [urgentLeadKey({ topic, sign: "model" })]), engineContentKeys.emergency];
    const urgent = deps.renderer().render({ keys, help: "emergency" }, question.contact).message;
    return { ...base, text: `${base.text}\n\n${urgent.text}`, contentKeys: [...base.contentKeys, ...urgent.contentKeys] };
  }

  function urgencyRows(question: HeldQuestion, composed: ComposedAnswer, now: Date, teamId: string | null): EngagementInput[] {
    const base = {
      occurredAt: now,
      pseudonym: question.pseudonym,
      channel: question.channel,
      locale: question.contact.locale,
      provinceCode: question.contact.provinceCode,
      communeCode: question.contact.communeCode,
      teamId,
      groups: question.contact.groups,
    };
    const programme = topicSchema.safeParse(composed.topic);
    return [
      { ...base, kind: "urgency_detected", topic: programme.success ? programme.data : null, detail: { source: "model" } },
      { ...base, kind: "emergency_answered", topic: null, detail: {} },
      { ...base, kind: "help_shown", topic: null, detail: { scope: "emergency" } },
    ];
  }

  async function refineOne(question: HeldQuestion): Promise<void> {
    const messages = deps.questions()?.texts(question.keys, question.locale) ?? [];
    const composed = await deps.composer.compose({ question: question.text, locale: question.locale, messages, directoryNumbers: deps.directoryNumbers() });
    const message = finalMessage(question, composed);
    const now = deps.now();
    const released = await deps.database.client.$transaction(async (tx) => {
      const update = await tx.outboxMessage.updateMany({
        where: { id: question.outboxId, status: "pending", nextAttemptAt: question.heldUntil },
        data: { payload: JSON.stringify(message), nextAttemptAt: now },
      });
      if (update.count === 1 && composed.urgent) {
        const teamId = await teamForCommune(tx, question.contact.communeCode);
        await recordEngagement(tx, urgencyRows(question, composed, now, teamId), deps);
      }
      return update.count === 1;
    });
    const log = {
      outboxId: question.outboxId,
      outcome: composed.outcome,
      urgencyRaised: composed.urgent,
      released,
      ...(composed.outcome === "composed" ? {} : { problems: composed.problems.map((problem) => problem.kind), ...(composed.error ? { modelError: composed.error } : {}) }),
    };
    if (released) deps.logger.info(log, "question answer refined");
    else deps.logger.warn(log, "question answer was no longer held; it went as retrieved");
  }

  return {
    async hold(tx, turn) {
      const question = turn.plan.question;
      const message = question === undefined ? undefined : turn.plan.messages[question.messageIndex];
      if (question === undefined || message === undefined || turn.input.kind !== "text") return undefined;
      if (!teamWrittenLocales.has(question.locale) || running.size >= maxInFlight) return undefined;
      const rows = await tx.outboxMessage.findMany({ where: { inboxId: turn.inboxId }, orderBy: { id: "asc" }, select: { id: true } });
      const row = rows[question.messageIndex];
      if (row === undefined) return undefined;
      const heldUntil = new Date(turn.now.getTime() + deps.timeoutMs + releaseMarginMs);
      await tx.outboxMessage.update({ where: { id: row.id }, data: { nextAttemptAt: heldUntil } });
      return { ...question, outboxId: row.id, heldUntil, text: turn.input.text, message, contact: turn.contact, pseudonym: turn.pseudonym, channel: turn.channel };
    },
    refine(question) {
      const work = refineOne(question).catch((error: unknown) => {
        deps.logger.error({ error: loggableError(error), outboxId: question.outboxId }, "question answer could not be refined; it goes as retrieved when its hold ends");
      });
      running.add(work);
      void work.finally(() => running.delete(work));
      return work;
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
