import type { ContactField, Scalar, Topic } from "./flow-schema.ts";
import type { DangerTopic, QuestionTopic } from "./question-lookup.ts";

/**
 * A menu or quiz choice as the person sees it: a stable id and the content key of its label. A `literal`
 * label is shown as it is: the name of a place or of a language, which is the same in every locale.
 */
export type MessageOption = { id: string; label: string; literal?: true };

/**
 * A message the engine wants sent. It names content keys only; the conversation layer renders them in
 * the contact's locale. `help` asks for the help directory entries of the contact's place to be added.
 */
export type MessageSpec = {
  keys: string[];
  /** Values for the keys' `{{placeholders}}`, such as the name of a commune in "Có phải xã … không?". */
  params?: Record<string, string>;
  options?: MessageOption[];
  help?: "emergency" | "help" | "closing";
  topic?: Topic;
};

/** Where in which flow an event happened. */
export type FlowPlace = { flowId: string; nodeId: string };

/**
 * What happened during a turn, in order. Events are past-tense facts; the caller carries them out
 * (sends messages, writes contact fields, records engagement). None carries text the person typed,
 * except a `contact_field_set` value from an answer the flow marked non-sensitive.
 */
export type FlowEvent =
  | ({ type: "message_created"; message: MessageSpec } & Partial<FlowPlace>)
  | ({ type: "node_entered"; kind: string } & FlowPlace)
  | { type: "flow_started"; flowId: string }
  | { type: "flow_ended"; flowId: string }
  | ({ type: "module_completed"; topic: Topic } & FlowPlace)
  | { type: "input_received"; kind: "text" | "choice" }
  | ({ type: "input_rejected" } & FlowPlace)
  | ({ type: "option_chosen"; optionId: string } & FlowPlace)
  | ({ type: "quiz_answered"; quizId: string; optionId: string; correct: boolean; topic?: Topic } & FlowPlace)
  | { type: "contact_field_set"; field: ContactField; value: Scalar | null }
  | { type: "variable_set"; name: string; value: Scalar | null }
  | { type: "help_shown"; scope: "emergency" | "help" | "closing" }
  | { type: "trigger_matched"; trigger: string }
  | { type: "emergency_answered" }
  /** A danger sign in her message (the question index's fixed rules): answered like the emergency keyword. */
  | { type: "urgency_detected"; topic: DangerTopic; sign: string }
  /** Free text answered from approved content: what it was about and which messages answered it, never the text. */
  | { type: "question_answered"; topic: QuestionTopic; keys: string[] }
  /** A question no approved message answers well; she is told so kindly. */
  | { type: "question_unmatched" }
  | { type: "opted_out" }
  | { type: "opted_in" }
  | { type: "data_deletion_requested" }
  | { type: "data_deletion_confirmed" }
  | { type: "data_deletion_cancelled" }
  | { type: "session_expired" }
  | { type: "flow_changed"; flowId: string; outcome: "continued" | "restarted" }
  | { type: "error"; code: string; detail: string }
  | { type: "failure"; code: string; detail: string };

export type FlowEventType = FlowEvent["type"];
