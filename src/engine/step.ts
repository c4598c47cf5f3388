import { matchOption, cleanAnswer, parseNumberAnswer } from "./answer-matching.ts";
import type { ContactSnapshot } from "./contact-snapshot.ts";
import type { EngineInput } from "./engine-input.ts";
import type { EngineSetup, FlowDefinition } from "./flow-definition.ts";
import type { FlowEvent } from "./flow-events.ts";
import type { FlowNode, FlowTarget } from "./flow-schema.ts";
import { reconcileFlowChanges } from "./flow-changes.ts";
import { matchesAnswer, matchTrigger } from "./global-triggers.ts";
import { sessionStateVersion, type SessionState } from "./session-state.ts";
import { answerPlace } from "./place-step.ts";
import { answerQuestion, urgentLeadKey } from "./question-step.ts";
import { engineContentKeys as keys, languageOptions, optionsOf, Turn } from "./turn.ts";

/** One turn's inputs. `now` is passed in: the engine never reads a clock. */
export type StepRequest = {
  contact: ContactSnapshot;
  state: SessionState | null;
  input: EngineInput;
  now: Date;
};

/** The new conversation state (null when the conversation is over), what happened, and the updated contact. */
export type StepResult = { state: SessionState | null; events: FlowEvent[]; contact: ContactSnapshot };

const deletionOptions = [
  { id: "yes", label: keys.deleteYes },
  { id: "no", label: keys.deleteNo },
];

/**
 * Runs one turn of a conversation: `step(setup, { contact, state, input, now }) -> { state, events }`.
 * Pure: no I/O, no clock, no randomness, so every conversation can be replayed from its inputs.
 * Global keywords are checked first, in the order emergency > stop > delete my data > language > home > help,
 * with danger signs in free text answered as an emergency; then the waiting node gets the input, and text it
 * does not expect may be answered as a question from approved content (question-step.ts).
 */
export function step(setup: EngineSetup, request: StepRequest): StepResult {
  const { input, now } = request;
  const state = request.state;
  const turn = new Turn(
    setup,
    request.contact,
    { ...(state?.vars ?? {}) },
    (state?.stack ?? []).map((frame) => ({ ...frame })),
  );
  let pendingDeletion = state?.pendingDeletion ?? false;
  if (input.kind !== "start") turn.emit({ type: "input_received", kind: input.kind });

  const returning = turn.contact.stopped && input.kind !== "start";
  if (returning) {
    turn.emit({ type: "opted_in" });
    turn.contact = { ...turn.contact, stopped: false };
  }
  const text = input.kind === "text" ? input.text : null;
  const trigger = text === null ? null : matchTrigger(text, setup.keywords);
  if (trigger !== null) turn.emit({ type: "trigger_matched", trigger });
  const danger = text === null || trigger !== null ? null : (setup.questions?.danger(text) ?? null);
  if (danger !== null) turn.emit({ type: "urgency_detected", topic: danger.topic, sign: danger.sign });

  if (trigger === "emergency" || danger !== null) {
    turn.emit({ type: "emergency_answered" });
    turn.emit({ type: "help_shown", scope: "emergency" });
    turn.say({ keys: [...(danger === null ? [] : [urgentLeadKey(danger)]), keys.emergency], help: "emergency" });
    return finish(setup, turn, now, pendingDeletion);
  }
  if (trigger === "stop") {
    turn.emit({ type: "opted_out" });
    turn.say({ keys: [keys.stopped] });
    turn.contact = { ...turn.contact, stopped: true };
    return { state: null, events: turn.events, contact: turn.contact };
  }
  if (state !== null && Date.parse(state.expiresAt) <= now.getTime()) {
    turn.emit({ type: "session_expired" });
    turn.stack = [];
    pendingDeletion = false;
    if (trigger === null) {
      turn.say({ keys: [keys.expired] });
      startAt(turn, turn.contact.consented ? setup.settings.home : setup.settings.entry);
      return finish(setup, turn, now, false);
    }
  }
  if (pendingDeletion) {
    const confirmed =
      (input.kind === "choice" && input.optionId === "yes") || (text !== null && matchesAnswer(text, setup.keywords, "yes"));
    if (confirmed) {
      turn.emit({ type: "data_deletion_confirmed" });
      turn.say({ keys: [keys.deleteDone] });
      return { state: null, events: turn.events, contact: turn.contact };
    }
    turn.emit({ type: "data_deletion_cancelled" });
    turn.say({ keys: [keys.deleteCancelled] });
    turn.repeatQuestion();
    return finish(setup, turn, now, false);
  }
  if (trigger === "deletion") {
    turn.emit({ type: "data_deletion_requested" });
    turn.say({ keys: [keys.deleteConfirm], options: deletionOptions });
    return finish(setup, turn, now, true);
  }
  if (trigger === "language" || trigger === "home") {
    // Before consent, "home" is the entry flow, so no keyword skips the privacy notice.
    const home = turn.contact.consented ? setup.settings.home : setup.settings.entry;
    turn.stack = [];
    if (trigger === "language") {
      const returnFlow = setup.flows.get(home.flow);
      if (returnFlow) turn.stack.push({ flowId: returnFlow.id, revision: returnFlow.revision, nodeId: home.node ?? returnFlow.start, attempts: 0 });
    }
    startAt(turn, trigger === "language" ? setup.settings.language : home);
    return finish(setup, turn, now, false);
  }
  if (trigger === "help") {
    turn.emit({ type: "help_shown", scope: "help" });
    turn.say({ keys: [keys.helpIntro], help: "help" });
    turn.repeatQuestion();
    return finish(setup, turn, now, false);
  }

  if (turn.stack.length > 0) {
    const reconciled = reconcileFlowChanges(setup, turn.stack);
    for (const event of reconciled.events) turn.emit(event);
    turn.stack = reconciled.stack;
    if (reconciled.lost || reconciled.restart !== undefined) {
      turn.say({ keys: [keys.flowChanged] });
      const restart = reconciled.restart === undefined ? undefined : setup.flows.get(reconciled.restart);
      if (restart) startFlow(turn, restart, restart.start);
      else startAt(turn, turn.contact.consented ? setup.settings.home : setup.settings.entry);
      return finish(setup, turn, now, false);
    }
  }
  if (turn.stack.length === 0) {
    if (returning) turn.say({ keys: [keys.welcomeBack] });
    const answered = text !== null && answerQuestion(turn, text, "idle");
    startAt(turn, answered ? setup.settings.home : setup.settings.entry);
    return finish(setup, turn, now, false);
  }
  answer(turn, input);
  return finish(setup, turn, now, false);
}

/** Gives the person's input to the node the conversation is waiting at, then runs on from there. */
function answer(turn: Turn, input: EngineInput): void {
  const top = turn.stack[turn.stack.length - 1];
  const flow = top ? turn.setup.flows.get(top.flowId) : undefined;
  const node: FlowNode | undefined = top?.nodeId == null ? undefined : flow?.nodes[top.nodeId];
  if (!top || !flow || !node || top.nodeId === null) {
    turn.fail("session_invalid", "no waiting node");
    return;
  }
  const place = { flowId: flow.id, nodeId: top.nodeId };
  const stale = input.kind === "choice" && input.nodeId !== undefined && input.nodeId !== `${flow.id}/${top.nodeId}`;
  const reject = (reprompt: string) => {
    top.attempts += 1;
    turn.emit({ type: "input_rejected", ...place });
    turn.repeatQuestion(reprompt);
  };
  // Text a menu, quiz or language question did not expect may be a question: answered, then asked again.
  const asked = () => input.kind === "text" && !stale && answerQuestion(turn, input.text, "waiting");
  switch (node.kind) {
    case "menu": {
      const options = optionsOf(node);
      const index = stale ? null : matchOption(input, options, turn.setup.labelsOf);
      const chosen = index === null ? undefined : node.options[index];
      if ((index === null || !chosen) && asked()) return turn.repeatQuestion();
      if (index === null || !chosen) return reject(node.reprompt ?? keys.menuInvalid);
      turn.emit({ type: "option_chosen", optionId: options[index]?.id ?? chosen.label, ...place });
      top.attempts = 0;
      turn.runFrom(flow.id, chosen.next);
      return;
    }
    case "quiz": {
      const options = optionsOf(node);
      const index = stale ? null : matchOption(input, options, turn.setup.labelsOf);
      const chosen = index === null ? undefined : node.options[index];
      if ((index === null || !chosen) && asked()) return turn.repeatQuestion();
      if (index === null || !chosen) return reject(keys.menuInvalid);
      const correct = chosen.correct;
      turn.emit({
        type: "quiz_answered",
        quizId: node.id,
        optionId: options[index]?.id ?? String(index + 1),
        correct,
        ...(flow.topic === undefined ? {} : { topic: flow.topic }),
        ...place,
      });
      turn.say({ keys: [correct ? node.feedback.correct : node.feedback.incorrect], ...(flow.topic ? { topic: flow.topic } : {}) }, place);
      top.attempts = 0;
      turn.runFrom(flow.id, node.next ?? null);
      return;
    }
    case "ask": {
      const value = input.kind === "text" ? parseAnswer(node, input.text) : null;
      if (value === null) {
        if (top.attempts + 1 >= node.maxAttempts) {
          turn.emit({ type: "input_rejected", ...place });
          top.attempts = 0;
          turn.runFrom(flow.id, node.onFail ?? node.next);
          return;
        }
        return reject(node.answer.type === "number" ? keys.numberInvalid : node.reprompt);
      }
      // Typed text may reach an event only as a contact_field_set value (see flow-events.ts); kept in a
      // variable, it stays in the session state and no variable_set event carries it.
      if (typeof value === "string" && node.save.variable !== undefined) turn.vars[node.save.variable] = value;
      else turn.assign(node.save, value);
      top.attempts = 0;
      turn.runFrom(flow.id, node.next);
      return;
    }
    case "language": {
      const options = languageOptions(turn.setup);
      const index = stale ? null : matchOption(input, options, turn.setup.labelsOf);
      const chosen = index === null ? undefined : options[index];
      if (!chosen && asked()) return turn.repeatQuestion();
      if (!chosen) return reject(keys.menuInvalid);
      turn.emit({ type: "option_chosen", optionId: chosen.id, ...place });
      turn.assign({ field: "locale" }, chosen.id);
      top.attempts = 0;
      turn.runFrom(flow.id, node.next ?? null);
      return;
    }
    case "place":
      if (stale) return reject(keys.menuInvalid);
      if (answerPlace(turn, flow, node, top, input)) turn.runFrom(flow.id, node.next ?? null);
      return;
    default:
      turn.fail("session_invalid", `${flow.id}/${top.nodeId} is a ${node.kind} node, which does not wait`);
  }
}

function parseAnswer(node: Extract<FlowNode, { kind: "ask" }>, text: string): string | number | null {
  if (node.answer.type === "number") return parseNumberAnswer(text, node.answer.min, node.answer.max);
  const clean = cleanAnswer(text);
  return clean.length === 0 || clean.length > node.answer.maxLength ? null : clean;
}

function startFlow(turn: Turn, flow: FlowDefinition, nodeId: string): void {
  turn.enterFlow(flow);
  turn.runFrom(flow.id, nodeId);
}

function startAt(turn: Turn, target: FlowTarget): void {
  const flow = turn.setup.flows.get(target.flow);
  if (!flow) {
    turn.fail("flow_missing", target.flow);
    return;
  }
  startFlow(turn, flow, target.node ?? flow.start);
}

function finish(setup: EngineSetup, turn: Turn, now: Date, pendingDeletion: boolean): StepResult {
  if (turn.failed || (turn.stack.length === 0 && !pendingDeletion)) {
    return { state: null, events: turn.events, contact: turn.contact };
  }
  const expiresAt = new Date(now.getTime() + setup.settings.waitHours * 3_600_000).toISOString();
  const state: SessionState = {
    version: sessionStateVersion,
    stack: turn.stack,
    vars: turn.vars,
    waitingSince: now.toISOString(),
    expiresAt,
    pendingDeletion,
  };
  return { state, events: turn.events, contact: turn.contact };
}
