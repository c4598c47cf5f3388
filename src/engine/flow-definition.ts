import type { BotSettings, FlowNode, Topic } from "./flow-schema.ts";
import type { PlaceLookup } from "./place-lookup.ts";
import type { QuestionLookup } from "./question-lookup.ts";

/** A validated flow, as the engine runs it. `revision` is a hash of its content, so any edit changes it. */
export type FlowDefinition = {
  id: string;
  title?: string;
  topic?: Topic;
  start: string;
  nodes: Readonly<Record<string, FlowNode>>;
  revision: string;
  /** The file it came from, for error messages. */
  file: string;
};

/** Every global keyword, in all shipped locales: a Mông speaker may still type Vietnamese. */
export type TriggerKeywords = {
  emergency: readonly string[];
  stop: readonly string[];
  deletion: readonly string[];
  language: readonly string[];
  home: readonly string[];
  help: readonly string[];
  yes: readonly string[];
  no: readonly string[];
};
export type TriggerName = keyof TriggerKeywords;

/** Limits that keep one turn bounded whatever a flow author writes. */
export type EngineLimits = {
  /** Nodes entered in one turn before the turn is stopped as a runaway loop (goflow uses 100). */
  stepBudget: number;
  /** Nested `goto` flows before the conversation is stopped. */
  maxCallDepth: number;
};

export const defaultEngineLimits: EngineLimits = { stepBudget: 100, maxCallDepth: 10 };

/** A language the bot offers: its locale code and its name in the language itself. */
export type OfferedLanguage = { code: string; name: string };

/** Everything the engine needs to run, loaded at start-up (places again when staff import them). Immutable during a turn. */
export type EngineSetup = {
  flows: ReadonlyMap<string, FlowDefinition>;
  settings: BotSettings;
  keywords: TriggerKeywords;
  limits: EngineLimits;
  /** The words of a label in every shipped locale, so a typed "Bạo lực gia đình" picks that option. */
  labelsOf: (key: string) => readonly string[];
  /** Provinces and communes, for the `place` node. */
  places: PlaceLookup;
  /** The languages offered in the `language` node: only those whose core content is reviewed. */
  languages: readonly OfferedLanguage[];
  /** Danger signs and approved answers for free-text questions; without it, unmatched text is asked again. */
  questions?: QuestionLookup;
};
