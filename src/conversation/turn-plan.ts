import type { OutboundMessage } from "../channels/outbound-message.ts";
import type { MessageRenderer } from "../content/message-renderer.ts";
import type { ContactSnapshot } from "../engine/contact-snapshot.ts";
import type { FlowEvent } from "../engine/flow-events.ts";
import { topicSchema } from "../engine/flow-schema.ts";
import type { QuestionTopic } from "../engine/question-lookup.ts";
import type { StepResult } from "../engine/step.ts";

/** One engagement row to write: what happened, about which topic, with small structured details. */
export type EngagementRecord = {
  kind: string;
  topic?: string;
  contentKey?: string;
  flowId?: string;
  nodeId?: string;
  detail: Record<string, string | number | boolean>;
};

/** Contact columns a turn may change. */
export type ContactChanges = {
  locale?: string | null;
  provinceCode?: string | null;
  communeCode?: string | null;
  communeName?: string | null;
  groups?: string;
  consentedAt?: Date | null;
  stoppedAt?: Date | null;
};

/**
 * The reply to a free-text question in this turn: which outbox message it is, and what answered it (`keys`
 * empty when nothing did), so a model may compose a better one before it is sent (docs/questions.md).
 */
export type PlannedQuestion = { messageIndex: number; keys: string[]; topic: QuestionTopic | null; locale: string };

/** Everything one turn writes, decided before the transaction opens. */
export type TurnPlan = {
  contact: ContactChanges;
  messages: OutboundMessage[];
  question?: PlannedQuestion;
  engagement: EngagementRecord[];
  deleteData: boolean;
  /** Content or flow problems to log (failure tiers 1 and 2); codes only, never message text. */
  problems: Array<{ code: string; detail: string }>;
};

function engagementFor(event: FlowEvent): EngagementRecord | undefined {
  switch (event.type) {
    case "message_created":
      return event.message.topic === undefined
        ? undefined
        : {
            kind: "content_delivered",
            topic: event.message.topic,
            contentKey: event.message.keys[0],
            ...(event.flowId === undefined ? {} : { flowId: event.flowId }),
            ...(event.nodeId === undefined ? {} : { nodeId: event.nodeId }),
            detail: {},
          };
    case "module_completed":
      return { kind: "module_completed", topic: event.topic, flowId: event.flowId, detail: {} };
    case "quiz_answered":
      return {
        kind: "quiz_answered",
        ...(event.topic === undefined ? {} : { topic: event.topic }),
        flowId: event.flowId,
        nodeId: event.nodeId,
        detail: { quizId: event.quizId, optionId: event.optionId, correct: event.correct },
      };
    case "help_shown":
      return { kind: "help_shown", detail: { scope: event.scope } };
    case "urgency_detected":
      return { kind: "urgency_detected", topic: event.topic, detail: { sign: event.sign, source: "rules" } };
    case "question_unmatched":
      return { kind: "question_unmatched", detail: {} };
    case "emergency_answered":
    case "opted_out":
    case "opted_in":
    case "session_expired":
      return { kind: event.type, detail: {} };
    case "data_deletion_confirmed":
      return { kind: "data_deleted", detail: {} };
    case "failure":
      return { kind: "conversation_failed", detail: { code: event.code } };
    case "contact_field_set":
      if (event.field === "consent" && event.value === true) return { kind: "consent_recorded", detail: {} };
      if (event.field === "locale" && typeof event.value === "string") return { kind: "language_changed", detail: { locale: event.value } };
      return undefined;
    default:
      return undefined;
  }
}

/**
 * A question answered from approved content: one row for the question (its topic and the keys that answered
 * it, never its words), and each message counts as content delivered when its topic is a programme topic.
 */
function questionEngagement(event: Extract<FlowEvent, { type: "question_answered" }>): EngagementRecord[] {
  const programme = topicSchema.safeParse(event.topic);
  const delivered = programme.success
    ? event.keys.map((key) => ({ kind: "content_delivered", topic: programme.data, contentKey: key, detail: { via: "question" } }))
    : [];
  return [
    { kind: "question_answered", ...(programme.success ? { topic: programme.data } : {}), detail: { topic: event.topic, keys: event.keys.join(",") } },
    ...delivered,
  ];
}

function contactChanges(before: ContactSnapshot, after: ContactSnapshot, now: Date): ContactChanges {
  const changes: ContactChanges = {};
  if (after.locale !== before.locale) changes.locale = after.locale;
  if (after.provinceCode !== before.provinceCode) changes.provinceCode = after.provinceCode;
  if (after.communeCode !== before.communeCode) changes.communeCode = after.communeCode;
  if (after.communeName !== before.communeName) changes.communeName = after.communeName;
  if (JSON.stringify(after.groups) !== JSON.stringify(before.groups)) changes.groups = JSON.stringify(after.groups);
  if (after.consented !== before.consented) changes.consentedAt = after.consented ? now : null;
  if (after.stopped !== before.stopped) changes.stoppedAt = after.stopped ? now : null;
  return changes;
}

/**
 * Turns the engine's result into the writes of one turn: rendered outbox messages, contact changes and
 * engagement rows. Pure, so what a turn writes can be tested without a database.
 */
export function planTurn(before: ContactSnapshot, result: StepResult, renderer: MessageRenderer, now: Date): TurnPlan {
  const plan: TurnPlan = {
    contact: contactChanges(before, result.contact, now),
    messages: [],
    engagement: [],
    deleteData: false,
    problems: [],
  };
  let fallbackAnnounced = false;
  let asked: Omit<PlannedQuestion, "messageIndex" | "locale"> | undefined;
  for (const event of result.events) {
    if (event.type === "message_created") {
      const asker = event.flowId === undefined || event.nodeId === undefined ? undefined : `${event.flowId}/${event.nodeId}`;
      const rendered = renderer.render(event.message, result.contact, asker, { announceFallback: !fallbackAnnounced });
      fallbackAnnounced ||= rendered.fellBack;
      if (asked !== undefined) plan.question = { ...asked, messageIndex: plan.messages.length, locale: rendered.message.locale };
      asked = undefined;
      plan.messages.push(rendered.message);
      for (const key of rendered.missingKeys) plan.problems.push({ code: "content_missing", detail: `${key} in ${rendered.message.locale}` });
    }
    if (event.type === "error" || event.type === "failure") plan.problems.push({ code: event.code, detail: event.detail });
    if (event.type === "data_deletion_confirmed") plan.deleteData = true;
    if (event.type === "question_answered") {
      asked = { keys: event.keys, topic: event.topic };
      plan.engagement.push(...questionEngagement(event));
    }
    if (event.type === "question_unmatched") asked = { keys: [], topic: null };
    const record = engagementFor(event);
    if (record) plan.engagement.push(record);
  }
  return plan;
}
