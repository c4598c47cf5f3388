import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { QuestionTopic } from "../engine/question-lookup.ts";
import { groundingProblems, longestAnswer, type GroundingProblem } from "./grounding-check.ts";
import { parseModelReply } from "./model-reply.ts";
import type { ApprovedMessage } from "./question-index.ts";
import { QuestionModelError } from "./question-model-error.ts";
import { redactIdentifiers } from "./question-redaction.ts";

/** One question to compose an answer for: her words, her language, and the approved messages retrieved for it. */
export type ComposeRequest = {
  question: string;
  /** The language the approved messages are in, and the answer must be in (vi or en). */
  locale: string;
  messages: readonly ApprovedMessage[];
  /** Numbers an answer may give besides those in the messages: the help directory's phone numbers. */
  directoryNumbers: readonly string[];
};

/** Why no composed answer is sent: the retrieved messages go instead. */
export type FallbackReason = "timeout" | "model_error" | "unreadable" | "bad_citation" | "ungrounded";

/**
 * What the model step produced. `classified`: it was given no messages (nothing answered the question) and
 * only read the question's topic and danger. `urgent` is the model's reading of danger when it gave a readable
 * reply, even if its answer cannot be sent: a model may add urgency, never remove it. `topic` is its topic, or
 * null.
 */
export type ComposedAnswer =
  | { outcome: "composed"; text: string; cites: string[]; topic: QuestionTopic | "none"; urgent: boolean }
  | {
      outcome: "classified" | FallbackReason;
      topic: QuestionTopic | "none" | null;
      urgent: boolean;
      problems: GroundingProblem[];
      /** For a failed call: the error's class and HTTP status, for the log (never its message, which may quote the question). */
      error?: string;
    };

/** Classifies a question and writes a short answer from approved messages only; never throws. */
export type AnswerComposer = { compose(request: ComposeRequest): Promise<ComposedAnswer> };

const languageNames: Readonly<Record<string, string>> = { vi: "Vietnamese", en: "English" };

/**
 * The instructions. The answer may only restate the numbered messages, for a reader with little schooling;
 * the reply is JSON so it can be parsed and checked like any other input.
 */
function instructions(language: string): string {
  return [
    "You help Loa, a chatbot for ethnic-minority women in Viet Nam, answer a question.",
    "Use ONLY the approved messages given. Do not add any fact, number, phone number, law or advice that they do not state.",
    `Write the answer in ${language}: at most 3 short sentences and ${longestAnswer} characters, simple everyday words, kind and respectful, for a reader who went to school only a few years.`,
    "Also decide the topic of the question and whether it shows danger now: violence happening or threatened, a child about to be married off, or a danger sign in pregnancy or labour.",
    'If no approved messages are given, leave "answer" empty and "cites" empty, and still give the topic and urgency.',
    'Reply with JSON only: {"topic": "child-marriage" | "consanguinity" | "safe-birth" | "violence" | "help" | "safety" | "none", "urgent": true | false, "answer": "...", "cites": ["<key of each message you used>"]}',
  ].join("\n");
}

function prompt(request: ComposeRequest): string {
  const messages = request.messages.map((message) => `[${message.key}] ${message.text}`).join("\n");
  return `Question: ${redactIdentifiers(request.question)}\n\nApproved messages:\n${messages}`;
}

/** An error as the log may show it: its class, and the HTTP status a client error carries. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const status = "status" in error && typeof error.status === "number" ? ` ${error.status}` : "";
  return `${error.name}${status}`;
}

/** Runs `work` with a deadline: the person must never wait long for a model. */
async function withDeadline<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new QuestionModelError(`no answer within ${timeoutMs} ms`, "questions:model-timeout", { context: { timeoutMs } }));
    }, timeoutMs);
  });
  const running = work(controller.signal);
  // Aborted after the deadline, the call still rejects; that late rejection has nobody left to tell.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Composes answers with any @langchain/core chat model. The question leaves with no identifiers (phone
 * numbers, addresses are removed), together with the approved messages, which are public content. Every
 * reply is checked: it must parse, cite only the messages given, and state no number or law reference they
 * do not (or the help directory's phone numbers); otherwise the retrieved messages are sent instead.
 */
export function createAnswerComposer(deps: { model: BaseChatModel; timeoutMs: number }): AnswerComposer {
  return {
    async compose(request) {
      const language = languageNames[request.locale] ?? languageNames["vi"] ?? "Vietnamese";
      let content: string;
      try {
        const reply = await withDeadline(deps.timeoutMs, (signal) =>
          deps.model.invoke([new SystemMessage(instructions(language)), new HumanMessage(prompt(request))], { signal, timeout: deps.timeoutMs }),
        );
        content = reply.text;
      } catch (error) {
        const outcome = error instanceof QuestionModelError && error.code === "questions:model-timeout" ? "timeout" : "model_error";
        return { outcome, topic: null, urgent: false, problems: [], error: describeError(error) };
      }
      const reply = parseModelReply(content);
      if (reply === undefined) return { outcome: "unreadable", topic: null, urgent: false, problems: [] };
      const fallback = (outcome: "classified" | FallbackReason, problems: GroundingProblem[]): ComposedAnswer => ({ outcome, topic: reply.topic, urgent: reply.urgent, problems });
      if (request.messages.length === 0) return fallback("classified", []);
      if (reply.answer === "") return fallback("unreadable", []);
      const given = new Map(request.messages.map((message) => [message.key, message]));
      if (reply.cites.length === 0 || !reply.cites.every((key) => given.has(key))) return fallback("bad_citation", []);
      const problems = groundingProblems(
        reply.answer,
        request.messages.map((message) => message.text),
        request.directoryNumbers,
      );
      if (problems.length > 0) return fallback("ungrounded", problems);
      return { outcome: "composed", text: reply.answer, cites: [...new Set(reply.cites)], topic: reply.topic, urgent: reply.urgent };
    },
  };
}
