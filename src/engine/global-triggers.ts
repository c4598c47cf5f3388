import type { TriggerKeywords } from "./flow-definition.ts";
import { containsPhrase, isSameWord } from "./text-folding.ts";

/** Global triggers, in the order they are checked before the current node sees the message. */
export const triggerOrder = ["emergency", "stop", "deletion", "language", "home", "help"] as const;
export type GlobalTrigger = (typeof triggerOrder)[number];

/** Inputs longer than this are never a keyword (emergency phrases are still searched in them). */
const keywordMaxLength = 60;

/**
 * Finds the global trigger a message matches, if any. Emergency phrases of two or more words match anywhere
 * in the message, because a person in danger writes a sentence, not a keyword; a one-word emergency keyword
 * ("cứu", "sos") and every other trigger must be the whole message, so that "nghiên cứu" is not an emergency
 * and "tôi không muốn dừng học" is not an opt-out.
 */
export function matchTrigger(text: string, keywords: TriggerKeywords): GlobalTrigger | null {
  for (const trigger of triggerOrder) {
    const list = keywords[trigger];
    if (trigger === "emergency") {
      const matches = (phrase: string) =>
        phrase.trim().includes(" ") ? containsPhrase(text, phrase) : text.length <= keywordMaxLength && isSameWord(text, phrase);
      if (list.some(matches)) return trigger;
      continue;
    }
    if (text.length <= keywordMaxLength && list.some((word) => isSameWord(text, word))) return trigger;
  }
  return null;
}

/** True when a short answer is one of the yes or no words. */
export function matchesAnswer(text: string, words: readonly string[]): boolean {
  return text.length <= keywordMaxLength && words.some((word) => isSameWord(text, word));
}
