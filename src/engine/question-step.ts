import type { DangerSign, DangerTopic } from "./question-lookup.ts";
import { engineContentKeys as keys, type Turn } from "./turn.ts";

/** The short lead said before the emergency numbers, per kind of danger: what to do now. */
const urgentLeads: Readonly<Record<DangerTopic, string>> = {
  violence: keys.urgentViolence,
  "child-marriage": keys.urgentChildMarriage,
  "safe-birth": keys.urgentSafeBirth,
};

/** The key of the lead said before the emergency numbers when a danger sign was found. */
export function urgentLeadKey(sign: DangerSign): string {
  return urgentLeads[sign.topic];
}

/**
 * Where free text arrived: `waiting` at a menu, quiz or language question whose options it did not match;
 * `idle` when no flow waits (the conversation had ended), where only a good answer is given and anything
 * else starts the conversation as before.
 */
export type QuestionPlace = "waiting" | "idle";

/**
 * Answers text that is not an expected answer from approved content: the best one to three messages after a
 * short lead, or, for text that reads as a question with no good answer, a kind "Loa has no answer" with the
 * menu and help keywords. Only after consent: before it, she has not read what Loa does with what she writes.
 * Returns false when the text was left alone, so the waiting question handles it as an invalid answer.
 * Danger signs never get here: `step` answers them first, from any state.
 */
export function answerQuestion(turn: Turn, text: string, place: QuestionPlace): boolean {
  const lookup = turn.setup.questions;
  if (lookup === undefined || !turn.contact.consented) return false;
  const found = lookup.match(text, turn.contact.locale);
  if (found.kind === "answer") {
    turn.emit({ type: "question_answered", topic: found.topic, keys: found.keys });
    turn.say({ keys: [keys.questionIntro, ...found.keys] });
    return true;
  }
  if (place === "idle" || !found.questionLike) return false;
  turn.emit({ type: "question_unmatched" });
  turn.say({ keys: [keys.questionUnmatched] });
  return true;
}
