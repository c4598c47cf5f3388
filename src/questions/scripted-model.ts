import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import type { QuestionTopic } from "../engine/question-lookup.ts";
import type { ApprovedMessage } from "./question-index.ts";

/** A phone number no approved message or help entry gives: what an ungrounded model might invent. */
export const inventedPhoneNumber = "0912 345 678";

/**
 * A stand-in for a real model when none is configured (CI, `npm run eval:qa` offline): @langchain/core's
 * FakeListChatModel, scripted with the reply a careful model would give, the first sentence of the best
 * message, citing it. With `invent`, the reply adds a phone number that no approved text states, as a
 * careless model might, so the eval shows the grounding check catching it.
 */
export function scriptedModel(answer: { topic: QuestionTopic | "none"; messages: readonly ApprovedMessage[]; invent: boolean }): BaseChatModel {
  const best = answer.messages[0];
  const sentence = best === undefined ? "" : (best.text.split(/(?<=[.!?])\s/)[0] ?? best.text);
  const text = answer.invent ? `${sentence} Gọi ${inventedPhoneNumber} để được giúp.` : sentence;
  const reply = { topic: answer.topic, urgent: false, answer: text, cites: best === undefined ? [] : [best.key] };
  return new FakeListChatModel({ responses: [JSON.stringify(reply)] });
}
