import type { EngineSetup } from "./flow-definition.ts";
import type { FlowEvent } from "./flow-events.ts";
import { waitingKinds } from "./flow-schema.ts";
import type { SessionFrame } from "./session-state.ts";

/** What to do with a stored conversation whose flows may have changed since it was saved. */
export type Reconciled = {
  stack: SessionFrame[];
  events: FlowEvent[];
  /** A flow to start again from its first node because the node the conversation was at is gone. */
  restart?: string;
  /** True when a flow of the conversation no longer exists at all. */
  lost: boolean;
};

/**
 * The rule for flows edited under a waiting conversation (documented in docs/flows.md): a frame whose flow
 * revision changed continues at the same node id if that node still exists (and, for the current frame,
 * still asks a question); otherwise that flow restarts from its first node, with a short apology, and any
 * flows it had called are dropped. A conversation whose flow was removed starts again from home.
 */
export function reconcileFlowChanges(setup: EngineSetup, stack: readonly SessionFrame[]): Reconciled {
  const kept: SessionFrame[] = [];
  const events: FlowEvent[] = [];
  for (const [index, frame] of stack.entries()) {
    const flow = setup.flows.get(frame.flowId);
    if (!flow) return { stack: [], events: [{ type: "flow_changed", flowId: frame.flowId, outcome: "restarted" }], lost: true };
    if (flow.revision === frame.revision) {
      kept.push({ ...frame });
      continue;
    }
    const isTop = index === stack.length - 1;
    const node = frame.nodeId === null ? undefined : flow.nodes[frame.nodeId];
    const stillValid = isTop
      ? node !== undefined && waitingKinds.has(node.kind)
      : frame.nodeId === null || node !== undefined;
    if (stillValid) {
      kept.push({ ...frame, revision: flow.revision });
      events.push({ type: "flow_changed", flowId: flow.id, outcome: "continued" });
      continue;
    }
    events.push({ type: "flow_changed", flowId: flow.id, outcome: "restarted" });
    return { stack: kept, events, restart: flow.id, lost: false };
  }
  return { stack: kept, events, lost: false };
}
