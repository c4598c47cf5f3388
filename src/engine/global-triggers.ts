import type { TriggerKeywords } from "./flow-definition.ts";
import { prepareWords, wordsContain, wordsEqual, type PreparedWord } from "./text-folding.ts";

/** Global triggers, in the order they are checked before the current node sees the message. */
export const triggerOrder = ["emergency", "stop", "deletion", "language", "home", "help"] as const;
export type GlobalTrigger = (typeof triggerOrder)[number];

/** Inputs longer than this are never a keyword (emergency phrases are still searched in them). */
const keywordMaxLength = 60;

type PreparedTriggers = Record<GlobalTrigger | "yes" | "no", PreparedWord[][]>;

/** Keyword lists prepared once per setup: the same `keywords` object always gives the same prepared lists. */
const prepared = new WeakMap<TriggerKeywords, PreparedTriggers>();

function prepare(keywords: TriggerKeywords): PreparedTriggers {
  let lists = prepared.get(keywords);
  if (!lists) {
    const words = (list: readonly string[]) => list.map(prepareWords).filter((phrase) => phrase.length > 0);
    lists = {
      emergency: words(keywords.emergency),
      stop: words(keywords.stop),
      deletion: words(keywords.deletion),
      language: words(keywords.language),
      home: words(keywords.home),
      help: words(keywords.help),
      yes: words(keywords.yes),
      no: words(keywords.no),
    };
    prepared.set(keywords, lists);
  }
  return lists;
}

/**
 * Finds the global trigger a message matches, if any. Emergency phrases of two or more words match anywhere
 * in the message, because a person in danger writes a sentence, not a keyword; a one-word emergency keyword
 * ("cứu", "sos") and every other trigger must be the whole message, so that "nghiên cứu" is not an emergency
 * and "tôi không muốn dừng học" is not an opt-out.
 */
export function matchTrigger(text: string, keywords: TriggerKeywords): GlobalTrigger | null {
  const lists = prepare(keywords);
  const typed = prepareWords(text);
  const short = text.length <= keywordMaxLength;
  for (const trigger of triggerOrder) {
    const list = lists[trigger];
    const matches =
      trigger === "emergency"
        ? list.some((phrase) => (phrase.length > 1 ? wordsContain(typed, phrase) : short && wordsEqual(typed, phrase)))
        : short && list.some((phrase) => wordsEqual(typed, phrase));
    if (matches) return trigger;
  }
  return null;
}

/** True when a short answer is one of the yes (or no) words. */
export function matchesAnswer(text: string, keywords: TriggerKeywords, answer: "yes" | "no"): boolean {
  if (text.length > keywordMaxLength) return false;
  const typed = prepareWords(text);
  return prepare(keywords)[answer].some((phrase) => wordsEqual(typed, phrase));
}
