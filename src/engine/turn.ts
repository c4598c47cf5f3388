import { withContactField, type ContactSnapshot } from "./contact-snapshot.ts";
import { evaluateCondition } from "./conditions.ts";
import type { EngineSetup, FlowDefinition } from "./flow-definition.ts";
import type { FlowEvent, MessageOption, MessageSpec } from "./flow-events.ts";
import type { BotSetting, ContactField, FlowNode, Scalar } from "./flow-schema.ts";
import { enterPlace, placeQuestion } from "./place-step.ts";
import type { SessionFrame } from "./session-state.ts";

/** Content keys the engine itself sends, outside any flow. Every shipped locale must have them. */
export const engineContentKeys = {
  emergency: "common:emergency.reply",
  helpIntro: "common:help.intro",
  stopped: "common:stop.confirmed",
  welcomeBack: "common:optin.welcome_back",
  deleteConfirm: "common:delete.confirm",
  deleteYes: "common:delete.yes",
  deleteNo: "common:delete.no",
  deleteDone: "common:delete.done",
  deleteCancelled: "common:delete.cancelled",
  menuInvalid: "common:menu.invalid",
  numberInvalid: "common:ask.invalid_number",
  expired: "common:session.expired",
  flowChanged: "common:flow.changed",
  failure: "common:failure.closing",
  questionIntro: "common:questions.intro",
  questionUnmatched: "common:questions.no_match",
  urgentViolence: "common:questions.urgent.violence",
  urgentChildMarriage: "common:questions.urgent.child_marriage",
  urgentSafeBirth: "common:questions.urgent.safe_birth",
} as const;

/** The language menu: each offered language under its own name, whatever the person's current locale. */
export function languageOptions(setup: EngineSetup): MessageOption[] {
  return setup.languages.map((language) => ({ id: language.code, label: language.name, literal: true }));
}

/** Options of a menu or quiz node with their ids resolved (an option without an id is its 1-based position). */
export function optionsOf(node: Extract<FlowNode, { kind: "menu" | "quiz" }>): MessageOption[] {
  return node.options.map((option, index) => ({ id: option.id ?? String(index + 1), label: option.label }));
}

/**
 * The working state of one turn. It is created, changed and read inside one call to `step` and never
 * escapes it, so the engine stays a pure function of its arguments.
 */
export class Turn {
  readonly events: FlowEvent[] = [];
  private steps = 0;
  failed = false;

  constructor(
    readonly setup: EngineSetup,
    public contact: ContactSnapshot,
    public vars: Record<string, Scalar>,
    public stack: SessionFrame[],
  ) {}

  emit(event: FlowEvent): void {
    this.events.push(event);
  }

  say(message: MessageSpec, place?: { flowId: string; nodeId: string }): void {
    this.emit({ type: "message_created", message, ...place });
  }

  /** Ends the conversation with a short closing message and the help numbers (failure tier 2). */
  fail(code: string, detail: string): void {
    this.emit({ type: "failure", code, detail });
    this.emit({ type: "help_shown", scope: "closing" });
    this.say({ keys: [engineContentKeys.failure], help: "closing" });
    this.stack = [];
    this.failed = true;
  }

  /** The bot settings a branch may test. */
  private botSettings(): Record<BotSetting, Scalar> {
    return { "questions-hosted": this.setup.questions?.hostedModel ?? false };
  }

  /** Sends the question of a waiting node again, e.g. after a help message or an invalid answer. */
  repeatQuestion(extraKey?: string): void {
    const top = this.stack[this.stack.length - 1];
    const flow = top ? this.setup.flows.get(top.flowId) : undefined;
    const node = top?.nodeId == null ? undefined : flow?.nodes[top.nodeId];
    if (!top || !flow || !node || top.nodeId === null) return;
    const place = { flowId: flow.id, nodeId: top.nodeId };
    const lead = extraKey === undefined ? [] : [extraKey];
    if (node.kind === "menu") this.say({ keys: [...lead, node.prompt], options: optionsOf(node), ...topicOf(flow) }, place);
    else if (node.kind === "quiz") this.say({ keys: [...lead, node.question], options: optionsOf(node), ...topicOf(flow) }, place);
    else if (node.kind === "ask") this.say({ keys: [...lead, node.prompt], ...topicOf(flow) }, place);
    else if (node.kind === "language") this.say({ keys: [...lead, node.prompt], options: languageOptions(this.setup), ...topicOf(flow) }, place);
    else if (node.kind === "place") this.say({ ...placeQuestion(this, node, top, lead), ...topicOf(flow) }, place);
  }

  /**
   * Runs nodes from `nodeId` of `flowId` until one waits for an answer, the conversation ends, or the
   * step budget runs out. Iterative, so a long chain of nodes cannot overflow the call stack.
   */
  runFrom(flowId: string, nodeId: string | null): void {
    let flow = this.setup.flows.get(flowId);
    let current: string | null = nodeId;
    while (flow) {
      if (current === null) {
        const resumed = this.finishFlow(flow);
        if (!resumed) return;
        flow = resumed.flow;
        current = resumed.nodeId;
        continue;
      }
      this.steps += 1;
      if (this.steps > this.setup.limits.stepBudget) {
        this.fail("step_budget_exceeded", `more than ${this.setup.limits.stepBudget} nodes in one turn, last ${flow.id}/${current}`);
        return;
      }
      const node: FlowNode | undefined = flow.nodes[current];
      if (!node) {
        this.fail("node_missing", `${flow.id}/${current}`);
        return;
      }
      const place = { flowId: flow.id, nodeId: current };
      this.emit({ type: "node_entered", kind: node.kind, ...place });
      const top = this.stack[this.stack.length - 1];
      if (top) top.nodeId = current;
      switch (node.kind) {
        case "say":
          for (const key of node.say) this.say({ keys: [key], ...topicOf(flow) }, place);
          current = node.next ?? null;
          break;
        case "menu":
        case "quiz":
        case "ask":
        case "language":
          this.repeatQuestion();
          return;
        case "place":
          if (top && enterPlace(this, flow, node, top, place)) return;
          current = node.next ?? null;
          break;
        case "branch":
          current = node.cases.find((c) => evaluateCondition(c.when, this.contact, this.vars, this.botSettings()))?.next ?? node.otherwise;
          break;
        case "set":
          this.assign(node, node.value);
          current = node.next ?? null;
          break;
        case "help":
          this.emit({ type: "help_shown", scope: "help" });
          this.say({ keys: [node.intro], help: "help", ...topicOf(flow) }, place);
          current = node.next ?? null;
          break;
        case "goto": {
          if (node.flow === undefined) {
            current = node.node ?? null;
            break;
          }
          const target = this.setup.flows.get(node.flow);
          if (!target) {
            this.fail("flow_missing", node.flow);
            return;
          }
          if (this.stack.length >= this.setup.limits.maxCallDepth) {
            this.fail("call_depth_exceeded", `${this.stack.length} nested flows at ${flow.id}/${current}`);
            return;
          }
          if (top) top.nodeId = node.next ?? null;
          this.enterFlow(target);
          flow = target;
          current = node.node ?? target.start;
          break;
        }
        case "end":
          current = null;
          break;
      }
    }
  }

  /** Pushes a frame for a flow that starts now. */
  enterFlow(flow: FlowDefinition): void {
    this.stack.push({ flowId: flow.id, revision: flow.revision, nodeId: flow.start, attempts: 0 });
    this.emit({ type: "flow_started", flowId: flow.id });
  }

  /** Pops finished flows until one has a node to continue at; returns it, or undefined when all have ended. */
  private finishFlow(flow: FlowDefinition): { flow: FlowDefinition; nodeId: string } | undefined {
    let ending: FlowDefinition | undefined = flow;
    while (ending) {
      this.stack.pop();
      this.emit({ type: "flow_ended", flowId: ending.id });
      if (ending.topic !== undefined) {
        this.emit({ type: "module_completed", topic: ending.topic, flowId: ending.id, nodeId: ending.start });
      }
      const parent = this.stack[this.stack.length - 1];
      if (!parent) return undefined;
      const parentFlow = this.setup.flows.get(parent.flowId);
      if (!parentFlow) {
        this.fail("flow_missing", parent.flowId);
        return undefined;
      }
      if (parent.nodeId !== null) return { flow: parentFlow, nodeId: parent.nodeId };
      ending = parentFlow;
    }
    return undefined;
  }

  /** Sets a contact field or a flow variable and records it. */
  assign(target: { field?: ContactField; variable?: string }, value: Scalar | null): void {
    if (target.field !== undefined) {
      this.contact = withContactField(this.contact, target.field, value);
      this.emit({ type: "contact_field_set", field: target.field, value });
      return;
    }
    if (target.variable === undefined) return;
    if (value === null) delete this.vars[target.variable];
    else this.vars[target.variable] = value;
    this.emit({ type: "variable_set", name: target.variable, value });
  }
}

function topicOf(flow: FlowDefinition): { topic?: NonNullable<FlowDefinition["topic"]> } {
  return flow.topic === undefined ? {} : { topic: flow.topic };
}
