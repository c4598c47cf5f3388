import type { Topic } from "./flow-schema.ts";

/** What a free-text question is about: a programme topic, where to get help, or staying safe on a shared phone. */
export type QuestionTopic = Topic | "help" | "safety";

/** The topics a danger sign can belong to: violence now, a child being married off, danger in pregnancy or labour. */
export type DangerTopic = Extract<Topic, "violence" | "child-marriage" | "safe-birth">;

/** A danger sign found in a message, by the id of the rule that found it. */
export type DangerSign = { topic: DangerTopic; sign: string };

/**
 * The approved messages that answer a question, best first (one to three content keys), or nothing good
 * enough. `questionLike` says whether unmatched text still reads as a question (so it is told kindly that
 * there is no answer) rather than a mistyped answer (which is asked again).
 */
export type QuestionMatch =
  | { kind: "answer"; topic: QuestionTopic; keys: string[] }
  | { kind: "unmatched"; questionLike: boolean };

/**
 * What the engine asks of the free-text question index (src/questions). It gets it with its setup, like the
 * place lookup, so finding danger signs and the best approved messages stays pure and in memory.
 */
export type QuestionLookup = {
  /** A danger sign in the text, found by fixed rules before any flow or model sees the text. */
  danger(text: string): DangerSign | null;
  /** The best approved messages for a question, in the person's locale (null: the default locale). */
  match(text: string, locale: string | null): QuestionMatch;
  /** True when questions are sent to a model on another server, so the privacy notice must say so. */
  hostedModel: boolean;
};
