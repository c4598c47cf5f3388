import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { emptyContact, type ContactSnapshot } from "../../src/engine/contact-snapshot.ts";
import type { EngineInput } from "../../src/engine/engine-input.ts";
import type { FlowEvent } from "../../src/engine/flow-events.ts";
import type { SessionState } from "../../src/engine/session-state.ts";
import { step } from "../../src/engine/step.ts";
import { loadShippedAssets } from "../support/pipeline-harness.ts";

/**
 * Golden conversation transcripts: each `tests/golden/cases/<name>.json` lists a person's inputs and, for
 * each, the content keys of the replies, the events (with nodes) and where the conversation then waits.
 * They assert keys and events, never wording. `UPDATE_GOLDEN=1 npm test` rewrites the expectations from the
 * current flows; review the JSON diff before committing.
 */

const turnSchema = z.object({
  input: z.union([z.string(), z.object({ choice: z.string(), node: z.string().optional() })]),
  /** Hours to move the clock forward before this input (to test expiry). */
  advanceHours: z.number().optional(),
  expect: z
    .object({
      replies: z.array(z.array(z.string())),
      events: z.array(z.string()),
      waitingAt: z.string().nullable(),
    })
    .optional(),
});

const caseSchema = z.object({
  description: z.string(),
  contact: z.object({ locale: z.string().nullable().optional(), consented: z.boolean().optional() }).optional(),
  turns: z.array(turnSchema).min(1),
});

const folder = new URL("./cases/", import.meta.url);
const update = process.env.UPDATE_GOLDEN === "1";
const start = Date.parse("2026-01-05T08:00:00.000Z");

/** One event as a short line: its type and the ids that matter (nodes, options, keys, topics). */
function describeEvent(event: FlowEvent): string {
  switch (event.type) {
    case "message_created":
      return `message_created ${event.message.keys.join("+")}${event.message.help ? ` help=${event.message.help}` : ""}${event.message.options ? ` options=${event.message.options.map((o) => o.id).join(",")}` : ""}`;
    case "node_entered":
      return `node_entered ${event.flowId}/${event.nodeId} (${event.kind})`;
    case "flow_started":
    case "flow_ended":
      return `${event.type} ${event.flowId}`;
    case "module_completed":
      return `module_completed ${event.topic}`;
    case "input_received":
      return `input_received ${event.kind}`;
    case "input_rejected":
      return `input_rejected ${event.flowId}/${event.nodeId}`;
    case "option_chosen":
      return `option_chosen ${event.flowId}/${event.nodeId} ${event.optionId}`;
    case "quiz_answered":
      return `quiz_answered ${event.quizId} ${event.optionId} ${event.correct ? "correct" : "incorrect"}`;
    case "contact_field_set":
      return `contact_field_set ${event.field}=${String(event.value)}`;
    case "variable_set":
      return `variable_set ${event.name}=${String(event.value)}`;
    case "help_shown":
      return `help_shown ${event.scope}`;
    case "trigger_matched":
      return `trigger_matched ${event.trigger}`;
    case "flow_changed":
      return `flow_changed ${event.flowId} ${event.outcome}`;
    case "question_answered":
      return `question_answered ${event.topic} ${event.keys.join("+")}`;
    case "urgency_detected":
      return `urgency_detected ${event.topic} ${event.sign}`;
    case "error":
    case "failure":
      return `${event.type} ${event.code}`;
    default:
      return event.type;
  }
}

function waitingAt(state: SessionState | null): string | null {
  if (!state) return null;
  if (state.pendingDeletion) return "deletion-confirmation";
  const top = state.stack[state.stack.length - 1];
  return top ? `${top.flowId}/${top.nodeId}` : null;
}

function toInput(input: z.infer<typeof turnSchema>["input"]): EngineInput {
  return typeof input === "string" ? { kind: "text", text: input } : { kind: "choice", optionId: input.choice, ...(input.node ? { nodeId: input.node } : {}) };
}

const caseFiles = readdirSync(folder).filter((name) => name.endsWith(".json")).sort();

describe("golden conversation transcripts", () => {
  it("has cases", () => {
    expect(caseFiles.length).toBeGreaterThanOrEqual(10);
  });

  it.each(caseFiles)("%s", async (name) => {
    const file = new URL(name, folder);
    const golden = caseSchema.parse(JSON.parse(readFileSync(file, "utf8")));
    const { setup } = await loadShippedAssets();
    let contact: ContactSnapshot = { ...emptyContact, locale: golden.contact?.locale ?? null, consented: golden.contact?.consented ?? false };
    let state: SessionState | null = null;
    let now = start;
    const actual = golden.turns.map((turn) => {
      now += (turn.advanceHours ?? 0) * 3_600_000 + 1_000;
      const result = step(setup, { contact, state, input: toInput(turn.input), now: new Date(now) });
      contact = result.contact;
      state = result.state;
      if (result.events.some((event) => event.type === "data_deletion_confirmed")) contact = { ...emptyContact };
      return {
        ...turn,
        expect: {
          replies: result.events.flatMap((event) => (event.type === "message_created" ? [event.message.keys] : [])),
          events: result.events.map(describeEvent),
          waitingAt: waitingAt(result.state),
        },
      };
    });
    if (update) {
      writeFileSync(file, `${JSON.stringify({ ...golden, turns: actual }, null, 2)}\n`);
      return;
    }
    golden.turns.forEach((turn, index) => {
      expect(turn.expect, `${name} turn ${index + 1} has no expectation: run UPDATE_GOLDEN=1 npm test`).toBeDefined();
      expect(actual[index]?.expect, `${name} turn ${index + 1}: input ${JSON.stringify(turn.input)}`).toEqual(turn.expect);
    });
  });
});
