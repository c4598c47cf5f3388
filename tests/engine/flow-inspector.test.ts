import { describe, expect, it } from "vitest";
import type { FlowDefinition } from "../../src/engine/flow-definition.ts";
import { inspectFlows, type ContentKeyIndex } from "../../src/engine/flow-inspector.ts";
import { formatFlowIssue } from "../../src/engine/flow-issue.ts";
import { parseFlowText, parseSettingsText } from "../../src/engine/flow-loader.ts";
import { buildSetup, standardFlows, standardSettings } from "./engine-fixture.ts";

const settingsText = "entry: { flow: t }\nhome: { flow: t }\nlanguage: { flow: t }";

/** Parses flow files (which must parse) and returns the inspector's issues, formatted. */
function inspect(files: Record<string, string>, options: { settings?: string; content?: ContentKeyIndex } = {}): string[] {
  const flows = new Map<string, FlowDefinition>();
  for (const [file, text] of Object.entries(files)) {
    const { flow, issues } = parseFlowText(file, text);
    if (!flow) throw new Error(`${file} does not parse: ${issues.map(formatFlowIssue).join("; ")}`);
    flows.set(flow.id, flow);
  }
  const { settings } = parseSettingsText("flows/bot.yaml", options.settings ?? settingsText);
  if (!settings) throw new Error("bad settings");
  return inspectFlows(flows, settings, "flows/bot.yaml", options.content).map(formatFlowIssue);
}

const flowT = (nodes: string) => `id: t\nstart: a\nnodes:\n${nodes}`;
const menuTo = (...targets: string[]) =>
  `{ kind: menu, prompt: t:p, options: [${targets.map((next, index) => `{ label: t:o${index}, next: ${next} }`).join(", ")}] }`;

describe("inspectFlows", () => {
  it("passes the standard test bot", () => {
    expect(() => buildSetup({ flows: standardFlows, settings: standardSettings })).not.toThrow();
    expect(inspect({ "flows/t.yaml": flowT(`  a: ${menuTo("b")}\n  b: { kind: end }\n`) })).toEqual([]);
  });

  it("names file, node and field for a dangling next", () => {
    expect(inspect({ "flows/t.yaml": flowT("  a: { kind: say, say: [t:x], next: nowhere }\n") })).toEqual([
      'error: flows/t.yaml: node "a", field "next": "nowhere" is not a node of flow "t"',
    ]);
    expect(inspect({ "flows/t.yaml": flowT(`  a: ${menuTo("a", "gone")}\n`) })).toEqual([
      'error: flows/t.yaml: node "a", field "options.1.next": "gone" is not a node of flow "t"',
    ]);
  });

  it("names the start field when the start node does not exist", () => {
    expect(inspect({ "flows/t.yaml": "id: t\nstart: missing\nnodes:\n  a: { kind: end }\n" })).toContain(
      'error: flows/t.yaml: field "start": no node "missing" in this flow',
    );
  });

  it("names file, node and field for a goto to an unknown flow, or an unknown node of a flow", () => {
    const other = "id: other\nstart: x\nnodes:\n  x: { kind: end }\n";
    expect(inspect({ "flows/t.yaml": flowT("  a: { kind: goto, flow: nope }\n") })).toEqual([
      'error: flows/t.yaml: node "a", field "flow": no flow "nope"',
    ]);
    expect(inspect({ "flows/t.yaml": flowT("  a: { kind: goto, flow: other, node: y }\n"), "flows/other.yaml": other })).toEqual([
      'error: flows/t.yaml: node "a", field "node": "y" is not a node of flow "other"',
    ]);
    expect(inspect({ "flows/t.yaml": flowT("  a: { kind: goto, node: y }\n") })).toEqual([
      'error: flows/t.yaml: node "a", field "node": "y" is not a node of flow "t"',
    ]);
    expect(inspect({ "flows/t.yaml": flowT("  a: { kind: goto, flow: other, node: x }\n"), "flows/other.yaml": other })).toEqual([]);
  });

  it("names file and node for a loop with no node that waits", () => {
    const loop = flowT("  a: { kind: say, say: [t:x], next: b }\n  b: { kind: set, variable: n, value: 1, next: c }\n  c: { kind: branch, cases: [{ when: { variable: n, equals: 2 }, next: d }], otherwise: a }\n  d: { kind: end }\n");
    expect(inspect({ "flows/t.yaml": loop })).toEqual([
      'error: flows/t.yaml: node "a": loop with no question to wait on: t/a -> t/b -> t/c -> t/a',
    ]);
    // The same loop passing through a menu is fine: each round waits for the person.
    const waits = loop.replace("  b: { kind: set, variable: n, value: 1, next: c }", `  b: ${menuTo("c")}`);
    expect(inspect({ "flows/t.yaml": waits })).toEqual([]);
  });

  it("finds a loop that runs through a goto into another flow and back", () => {
    const t = flowT("  a: { kind: goto, flow: other, next: b }\n  b: { kind: end }\n");
    const other = "id: other\nstart: x\nnodes:\n  x: { kind: goto, flow: t }\n";
    expect(inspect({ "flows/t.yaml": t, "flows/other.yaml": other })).toEqual([
      'error: flows/t.yaml: node "a": loop with no question to wait on: t/a -> other/x -> t/a',
    ]);
  });

  it("names file, node, field and locale for a content key missing in one locale", () => {
    const content: ContentKeyIndex = {
      locales: ["vi", "en"],
      hasKey: (locale, key) => !(locale === "en" && key === "t:two"),
    };
    const t = flowT("  a: { kind: say, say: [t:one, t:two] }\n");
    expect(inspect({ "flows/t.yaml": t }, { content })).toEqual([
      'error: flows/t.yaml: node "a", field "say.1", locale "en": content key "t:two" is missing',
    ]);
    expect(inspect({ "flows/t.yaml": t }, { content: { locales: ["vi", "en"], hasKey: () => true } })).toEqual([]);
  });

  it("checks the content keys of every field that has one", () => {
    const t = flowT(`  a:
    kind: quiz
    id: q
    question: t:q
    options: [{ label: t:o1, correct: true }, { label: t:o2, correct: false }]
    feedback: { correct: t:right, incorrect: t:wrong }
    next: b
  b: { kind: help, intro: t:intro }
`);
    const missing = inspect({ "flows/t.yaml": t }, { content: { locales: ["vi"], hasKey: () => false } });
    expect(missing.map((line) => /field "([^"]+)"/.exec(line)?.[1])).toEqual([
      "question",
      "options.0.label",
      "options.1.label",
      "feedback.correct",
      "feedback.incorrect",
      "intro",
    ]);
  });

  it("refuses a text ask that does not say sensitive: false", () => {
    const ask = (sensitive: string) =>
      flowT(`  a: { kind: ask, prompt: t:q, answer: { type: text }, save: { field: communeName }, reprompt: t:r, next: b${sensitive} }\n  b: { kind: end }\n`);
    const error = 'error: flows/t.yaml: node "a", field "sensitive": a free-text answer is saved only when the flow marks it `sensitive: false`';
    expect(inspect({ "flows/t.yaml": ask(", sensitive: true") })).toEqual([error]);
    expect(inspect({ "flows/t.yaml": ask("") })).toEqual([error]);
    expect(inspect({ "flows/t.yaml": ask(", sensitive: false") })).toEqual([]);
    const numberAsk = ask("").replace("{ type: text }", "{ type: number }").replace("field: communeName", "variable: age");
    expect(inspect({ "flows/t.yaml": numberAsk })).toEqual([]);
  });

  it("warns about a node no path leads to, but counts goto targets from other flows", () => {
    const t = flowT("  a: { kind: end }\n  lonely: { kind: say, say: [t:x] }\n");
    expect(inspect({ "flows/t.yaml": t })).toEqual(['warning: flows/t.yaml: node "lonely": no path leads to this node']);
    const caller = "id: caller\nstart: go\nnodes:\n  go: { kind: goto, flow: t, node: lonely }\n";
    expect(inspect({ "flows/t.yaml": t, "flows/caller.yaml": caller })).toEqual([]);
  });

  it("names the settings field that points at an unknown flow or node", () => {
    const t = flowT("  a: { kind: end }\n");
    expect(inspect({ "flows/t.yaml": t }, { settings: "entry: { flow: t }\nhome: { flow: main }\nlanguage: { flow: t, node: b }" })).toEqual([
      'error: flows/bot.yaml: field "home.flow": no flow "main"',
      'error: flows/bot.yaml: field "language.node": "b" is not a node of flow "t"',
    ]);
  });
});
