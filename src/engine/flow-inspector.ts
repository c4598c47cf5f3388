import type { FlowDefinition } from "./flow-definition.ts";
import type { FlowIssue } from "./flow-issue.ts";
import { waitingKinds, type BotSettings, type FlowNode } from "./flow-schema.ts";

/** What the inspector needs to know about content: which locales ship and which keys each has. */
export type ContentKeyIndex = { locales: readonly string[]; hasKey(locale: string, key: string): boolean };

type Edge = { to: string; field: string };

/** Nodes a node can move to within its flow during one turn, with the field that names each. */
export function localExits(node: FlowNode): Edge[] {
  switch (node.kind) {
    case "say":
    case "set":
    case "help":
    case "quiz":
    case "place":
    case "language":
      return node.next === undefined ? [] : [{ to: node.next, field: "next" }];
    case "menu":
      return node.options.map((option, index) => ({ to: option.next, field: `options.${index}.next` }));
    case "ask":
      return [
        { to: node.next, field: "next" },
        ...(node.onFail === undefined ? [] : [{ to: node.onFail, field: "onFail" }]),
      ];
    case "branch":
      return [
        ...node.cases.map((c, index) => ({ to: c.next, field: `cases.${index}.next` })),
        { to: node.otherwise, field: "otherwise" },
      ];
    case "goto":
      return [
        ...(node.flow === undefined && node.node !== undefined ? [{ to: node.node, field: "node" }] : []),
        ...(node.next === undefined ? [] : [{ to: node.next, field: "next" }]),
      ];
    case "end":
      return [];
  }
}

/** Every content key a node names, with its field. */
export function contentKeysOf(node: FlowNode): Array<{ key: string; field: string }> {
  switch (node.kind) {
    case "say":
      return node.say.map((key, index) => ({ key, field: `say.${index}` }));
    case "menu":
      return [
        { key: node.prompt, field: "prompt" },
        ...node.options.map((option, index) => ({ key: option.label, field: `options.${index}.label` })),
        ...(node.reprompt === undefined ? [] : [{ key: node.reprompt, field: "reprompt" }]),
      ];
    case "ask":
      return [
        { key: node.prompt, field: "prompt" },
        { key: node.reprompt, field: "reprompt" },
      ];
    case "quiz":
      return [
        { key: node.question, field: "question" },
        ...node.options.map((option, index) => ({ key: option.label, field: `options.${index}.label` })),
        { key: node.feedback.correct, field: "feedback.correct" },
        { key: node.feedback.incorrect, field: "feedback.incorrect" },
      ];
    case "help":
      return [{ key: node.intro, field: "intro" }];
    case "language":
      return [{ key: node.prompt, field: "prompt" }];
    default:
      return [];
  }
}

function checkReferences(flow: FlowDefinition, flows: ReadonlyMap<string, FlowDefinition>): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const at = (node: string, field: string, message: string): FlowIssue => ({ severity: "error", file: flow.file, node, field, message });
  if (!(flow.start in flow.nodes)) {
    issues.push({ severity: "error", file: flow.file, field: "start", message: `no node "${flow.start}" in this flow` });
  }
  for (const [id, node] of Object.entries(flow.nodes)) {
    for (const exit of localExits(node)) {
      if (!(exit.to in flow.nodes)) issues.push(at(id, exit.field, `"${exit.to}" is not a node of flow "${flow.id}"`));
    }
    if (node.kind === "goto" && node.flow !== undefined) {
      const target = flows.get(node.flow);
      if (!target) issues.push(at(id, "flow", `no flow "${node.flow}"`));
      else if (node.node !== undefined && !(node.node in target.nodes)) {
        issues.push(at(id, "node", `"${node.node}" is not a node of flow "${node.flow}"`));
      }
    }
    if (node.kind === "ask" && node.answer.type === "text" && node.sensitive) {
      issues.push(at(id, "sensitive", "a free-text answer is saved only when the flow marks it `sensitive: false`"));
    }
  }
  return issues;
}

function checkReachable(flow: FlowDefinition, flows: ReadonlyMap<string, FlowDefinition>): FlowIssue[] {
  const targeted = new Set<string>();
  for (const other of flows.values()) {
    for (const node of Object.values(other.nodes)) {
      if (node.kind === "goto" && node.flow === flow.id && node.node !== undefined) targeted.add(node.node);
    }
  }
  const seen = new Set<string>();
  const queue = [flow.start, ...targeted];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    const node = flow.nodes[id];
    if (seen.has(id) || node === undefined) continue;
    seen.add(id);
    for (const exit of localExits(node)) queue.push(exit.to);
  }
  return Object.keys(flow.nodes)
    .filter((id) => !seen.has(id))
    .map((id) => ({ severity: "warning" as const, file: flow.file, node: id, message: "no path leads to this node" }));
}

/**
 * Finds cycles that a turn could run round forever: paths through say, set, branch, help and goto nodes
 * (across flows) that come back to where they started without passing a node that waits for the person.
 */
function checkLoopsWithoutWait(flows: ReadonlyMap<string, FlowDefinition>): FlowIssue[] {
  const successors = (flow: FlowDefinition, id: string): string[] => {
    const node = flow.nodes[id];
    if (node === undefined || waitingKinds.has(node.kind)) return [];
    const next = localExits(node).map((exit) => `${flow.id}/${exit.to}`);
    if (node.kind === "goto" && node.flow !== undefined) {
      const target = flows.get(node.flow);
      if (target) next.push(`${target.id}/${node.node ?? target.start}`);
    }
    return next;
  };
  const issues: FlowIssue[] = [];
  const state = new Map<string, "open" | "done">();
  const reported = new Set<string>();
  const visit = (start: string) => {
    const stack: Array<{ id: string; next: string[] }> = [];
    const push = (id: string) => {
      const [flowId, nodeId] = id.split("/") as [string, string];
      const flow = flows.get(flowId);
      state.set(id, "open");
      stack.push({ id, next: flow ? successors(flow, nodeId) : [] });
    };
    push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { id: string; next: string[] };
      const next = top.next.pop();
      if (next === undefined) {
        state.set(top.id, "done");
        stack.pop();
        continue;
      }
      const seen = state.get(next);
      if (seen === undefined) push(next);
      else if (seen === "open" && !reported.has(next)) {
        reported.add(next);
        const cycle = [...stack.slice(stack.findIndex((frame) => frame.id === next)).map((frame) => frame.id), next];
        const [flowId, nodeId] = next.split("/") as [string, string];
        issues.push({
          severity: "error",
          file: flows.get(flowId)?.file ?? flowId,
          node: nodeId,
          message: `loop with no question to wait on: ${cycle.join(" -> ")}`,
        });
      }
    }
  };
  for (const flow of flows.values()) {
    for (const id of Object.keys(flow.nodes)) {
      if (!state.has(`${flow.id}/${id}`)) visit(`${flow.id}/${id}`);
    }
  }
  return issues;
}

function checkContent(flow: FlowDefinition, content: ContentKeyIndex): FlowIssue[] {
  const issues: FlowIssue[] = [];
  for (const [id, node] of Object.entries(flow.nodes)) {
    for (const { key, field } of contentKeysOf(node)) {
      for (const locale of content.locales) {
        if (!content.hasKey(locale, key)) {
          issues.push({ severity: "error", file: flow.file, node: id, field, locale, message: `content key "${key}" is missing` });
        }
      }
    }
  }
  return issues;
}

function checkSettings(settings: BotSettings, flows: ReadonlyMap<string, FlowDefinition>, file: string): FlowIssue[] {
  const issues: FlowIssue[] = [];
  for (const name of ["entry", "home", "language"] as const) {
    const target = settings[name];
    const flow = flows.get(target.flow);
    if (!flow) issues.push({ severity: "error", file, field: `${name}.flow`, message: `no flow "${target.flow}"` });
    else if (target.node !== undefined && !(target.node in flow.nodes)) {
      issues.push({ severity: "error", file, field: `${name}.node`, message: `"${target.node}" is not a node of flow "${target.flow}"` });
    }
  }
  return issues;
}

/**
 * Checks loaded flows as a whole: dangling `next`s, unknown flows, loops that never wait, unreachable nodes,
 * content keys missing in a shipped locale. Run at start-up and by `npm run check`; errors stop both.
 */
export function inspectFlows(
  flows: ReadonlyMap<string, FlowDefinition>,
  settings: BotSettings,
  settingsFile: string,
  content?: ContentKeyIndex,
): FlowIssue[] {
  const issues = checkSettings(settings, flows, settingsFile);
  for (const flow of flows.values()) {
    issues.push(...checkReferences(flow, flows), ...checkReachable(flow, flows));
    if (content) issues.push(...checkContent(flow, content));
  }
  if (!issues.some((issue) => issue.severity === "error")) issues.push(...checkLoopsWithoutWait(flows));
  return issues;
}
