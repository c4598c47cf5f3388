/**
 * A small harness for engine tests: builds an `EngineSetup` from inline YAML, plays conversations with a
 * fixed clock, and checks after every turn that no event carries the text the person typed.
 */
import { cleanAnswer } from "../../src/engine/answer-matching.ts";
import { emptyContact, type ContactSnapshot } from "../../src/engine/contact-snapshot.ts";
import type { EngineInput } from "../../src/engine/engine-input.ts";
import {
  defaultEngineLimits,
  type EngineLimits,
  type EngineSetup,
  type FlowDefinition,
  type OfferedLanguage,
  type TriggerKeywords,
} from "../../src/engine/flow-definition.ts";
import { noPlaces, type PlaceLookup } from "../../src/engine/place-lookup.ts";
import type { FlowEvent, MessageSpec } from "../../src/engine/flow-events.ts";
import { inspectFlows } from "../../src/engine/flow-inspector.ts";
import { formatFlowIssue, type FlowIssue } from "../../src/engine/flow-issue.ts";
import { parseFlowText, parseSettingsText } from "../../src/engine/flow-loader.ts";
import type { SessionState } from "../../src/engine/session-state.ts";
import { step, type StepResult } from "../../src/engine/step.ts";
import { simplifyText } from "../../src/engine/text-folding.ts";

/** Global keywords in Vietnamese and English, as the content catalog would supply them. */
export const testKeywords: TriggerKeywords = {
  emergency: ["cứu", "cứu tôi", "chồng tôi đánh tôi", "help me"],
  stop: ["dừng", "stop"],
  deletion: ["xóa dữ liệu", "delete my data"],
  language: ["ngôn ngữ", "language"],
  home: ["trang chủ", "menu"],
  help: ["trợ giúp", "help"],
  yes: ["có", "yes"],
  no: ["không", "no"],
};

/** Label words in both locales, keyed by content key; keys not listed have no typed words. */
export const testLabels: Readonly<Record<string, readonly string[]>> = {
  "common:home.violence": ["Bạo lực gia đình", "Domestic abuse"],
  "common:home.place": ["Nơi ở", "Where I live"],
  "common:consent.yes": ["Đồng ý", "I agree"],
  "common:consent.no": ["Không đồng ý", "I do not agree"],
  "common:lang.vi": ["Tiếng Việt", "Vietnamese"],
  "common:lang.en": ["Tiếng Anh", "English"],
};

/** `bot.yaml` for the standard bot below. */
export const standardSettings = `
entry: { flow: main }
home: { flow: main, node: home }
language: { flow: language }
waitHours: 72
`;

/**
 * A bot shaped like the real one: a welcome and consent menu, a home menu leading to a topic flow (by goto)
 * and to a non-sensitive commune question, and a language chooser.
 */
export const standardFlows: Readonly<Record<string, string>> = {
  "flows/main.yaml": `
id: main
start: welcome
nodes:
  welcome:
    kind: say
    say: [common:welcome]
    next: consent
  consent:
    kind: menu
    prompt: common:consent.ask
    options:
      - { id: agree, label: common:consent.yes, next: agreed }
      - { id: decline, label: common:consent.no, next: bye }
  agreed:
    kind: set
    field: consent
    value: true
    next: home
  bye:
    kind: say
    say: [common:consent.bye]
  home:
    kind: menu
    prompt: common:home.prompt
    reprompt: common:home.reprompt
    options:
      - { id: violence, label: common:home.violence, next: to-violence }
      - { id: place, label: common:home.place, next: ask-commune }
  to-violence:
    kind: goto
    flow: violence
    next: home
  ask-commune:
    kind: ask
    prompt: common:commune.ask
    answer: { type: text, maxLength: 40 }
    save: { field: communeName }
    sensitive: false
    reprompt: common:commune.reprompt
    next: home
`,
  "flows/violence.yaml": `
id: violence
topic: violence
start: rights
nodes:
  rights:
    kind: say
    say: [violence:rights.1, violence:rights.2]
    next: quiz
  quiz:
    kind: quiz
    id: who-to-call
    question: violence:quiz.q
    options:
      - { id: police, label: violence:quiz.police, correct: true }
      - { id: nobody, label: violence:quiz.nobody, correct: false }
    feedback: { correct: violence:quiz.right, incorrect: violence:quiz.wrong }
    next: done
  done:
    kind: end
`,
  "flows/language.yaml": `
id: language
start: choose
nodes:
  choose:
    kind: menu
    prompt: common:lang.prompt
    options:
      - { id: vi, label: common:lang.vi, next: set-vi }
      - { id: en, label: common:lang.en, next: set-en }
  set-vi:
    kind: set
    field: locale
    value: vi
  set-en:
    kind: set
    field: locale
    value: en
`,
};

export type SetupOptions = {
  /** Flow files by name, e.g. `{ "flows/main.yaml": "id: main ..." }`. */
  flows: Readonly<Record<string, string>>;
  /** The `bot.yaml` text; defaults to `standardSettings`. */
  settings?: string;
  limits?: Partial<EngineLimits>;
  labels?: Readonly<Record<string, readonly string[]>>;
  keywords?: TriggerKeywords;
  /** Provinces and communes for the `place` node; none by default. */
  places?: PlaceLookup;
  /** Languages offered by the `language` node; Vietnamese and English by default. */
  languages?: readonly OfferedLanguage[];
  /** Run the inspector and refuse flows it reports errors for (default true, as start-up does). */
  inspect?: boolean;
};

/** Builds an engine setup from YAML strings; throws with every issue, formatted, when the flows are invalid. */
export function buildSetup(options: SetupOptions): EngineSetup {
  const issues: FlowIssue[] = [];
  const flows = new Map<string, FlowDefinition>();
  for (const [file, text] of Object.entries(options.flows)) {
    const result = parseFlowText(file, text);
    issues.push(...result.issues);
    if (result.flow) flows.set(result.flow.id, result.flow);
  }
  const parsedSettings = parseSettingsText("flows/bot.yaml", options.settings ?? standardSettings);
  issues.push(...parsedSettings.issues);
  const settings = parsedSettings.settings;
  if (settings && (options.inspect ?? true)) issues.push(...inspectFlows(flows, settings, "flows/bot.yaml"));
  const errors = issues.filter((issue) => issue.severity === "error");
  if (errors.length > 0 || !settings) throw new Error(`test flows are invalid:\n${errors.map(formatFlowIssue).join("\n")}`);
  const labels = options.labels ?? testLabels;
  return {
    flows,
    settings,
    keywords: options.keywords ?? testKeywords,
    limits: { ...defaultEngineLimits, ...options.limits },
    labelsOf: (key) => labels[key] ?? [],
    places: options.places ?? noPlaces,
    languages: options.languages ?? [
      { code: "vi", name: "Tiếng Việt" },
      { code: "en", name: "English" },
    ],
  };
}

/** The standard bot, optionally with extra or replaced flow files. */
export function standardSetup(overrides: Partial<SetupOptions> = {}): EngineSetup {
  return buildSetup({ ...overrides, flows: { ...standardFlows, ...overrides.flows } });
}

export const startTime = new Date("2025-01-01T00:00:00Z");

export const text = (value: string): EngineInput => ({ kind: "text", text: value });
export const choice = (optionId: string, nodeId?: string): EngineInput =>
  nodeId === undefined ? { kind: "choice", optionId } : { kind: "choice", optionId, nodeId };

export function messagesOf(events: readonly FlowEvent[]): MessageSpec[] {
  return events.flatMap((event) => (event.type === "message_created" ? [event.message] : []));
}

/** The content keys of each message, one array per message. */
export function keysOf(events: readonly FlowEvent[]): string[][] {
  return messagesOf(events).map((message) => message.keys);
}

export function typesOf(events: readonly FlowEvent[]): string[] {
  return events.map((event) => event.type);
}

export function eventsOfType<T extends FlowEvent["type"]>(
  events: readonly FlowEvent[],
  type: T,
): Array<Extract<FlowEvent, { type: T }>> {
  return events.filter((event): event is Extract<FlowEvent, { type: T }> => event.type === type);
}

/**
 * The forms of `typed` that appear in the events, outside `contact_field_set` (the one event allowed to
 * carry an answer the flow marked non-sensitive). Forms of fewer than three characters and global keywords
 * are not searched: "2" or "menu" legitimately occur in option ids and node kinds.
 */
export function leakedText(events: readonly FlowEvent[], typed: string, keywords: TriggerKeywords = testKeywords): string[] {
  const known = new Set(Object.values(keywords).flat().map(simplifyText));
  const forms = [...new Set([typed, typed.trim(), cleanAnswer(typed), simplifyText(typed)])].filter(
    (form) => form.length >= 3 && !known.has(simplifyText(form)),
  );
  const visible = JSON.stringify(events.filter((event) => event.type !== "contact_field_set"));
  return forms.filter((form) => visible.includes(form));
}

/**
 * One person's conversation with a fixed clock (one second per turn, like the golden transcripts). Every
 * turn is checked for leaked input text, so every test that uses it covers the no-free-text rule.
 */
export class Chat {
  state: SessionState | null;
  contact: ContactSnapshot;
  now: Date;
  readonly turns: StepResult[] = [];

  constructor(
    readonly setup: EngineSetup,
    options: { contact?: Partial<ContactSnapshot>; state?: SessionState | null; now?: Date } = {},
  ) {
    this.contact = { ...emptyContact, locale: "vi", ...options.contact };
    this.state = options.state ?? null;
    this.now = options.now ?? startTime;
  }

  /** Sends one input (a string is typed text) and keeps the new state and contact. */
  send(input: EngineInput | string): StepResult {
    const request = { contact: this.contact, state: this.state, input: typeof input === "string" ? text(input) : input, now: this.now };
    const result = step(this.setup, request);
    if (request.input.kind === "text") {
      const leaks = leakedText(result.events, request.input.text, this.setup.keywords);
      if (leaks.length > 0) throw new Error(`events carry the person's text: ${JSON.stringify(leaks)}`);
    }
    this.state = result.state;
    this.contact = result.contact;
    this.turns.push(result);
    this.now = new Date(this.now.getTime() + 1000);
    return result;
  }

  start(): StepResult {
    return this.send({ kind: "start" });
  }

  /** Moves the clock on, e.g. past a wait's expiry. */
  wait(hours: number): void {
    this.now = new Date(this.now.getTime() + hours * 3_600_000);
  }

  /** Where the conversation waits: `flowId/nodeId` of the top frame, or undefined. */
  get at(): string | undefined {
    const top = this.state?.stack[this.state.stack.length - 1];
    return top === undefined ? undefined : `${top.flowId}/${top.nodeId}`;
  }
}

/** A standard-bot conversation that has consented and waits at the home menu. */
export function chatAtHome(setup: EngineSetup = standardSetup()): Chat {
  const chat = new Chat(setup);
  chat.start();
  chat.send(choice("agree"));
  return chat;
}
