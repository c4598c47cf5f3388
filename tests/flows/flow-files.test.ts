import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContentCatalog, type ContentCatalog } from "../../src/content/content-catalog.ts";
import { loadLocaleRegistry, type LocaleRegistry } from "../../src/content/locale-registry.ts";
import {
  botSettingsSchema,
  flowFileSchema,
  nodeKinds,
  nodeSchema,
  waitingKinds,
  type BotSettings,
  type FlowNode,
} from "../../src/engine/flow-schema.ts";

const flowsDir = join(import.meta.dirname, "../../flows");
const contentDir = join(import.meta.dirname, "../../content");

type Flow = { file: string; id: string; start: string; topic?: string; nodes: Map<string, FlowNode> };

/** Nodes of the same flow that a node can lead to. */
function successors(node: FlowNode): string[] {
  switch (node.kind) {
    case "say":
    case "set":
    case "help":
    case "quiz":
    case "place":
    case "language":
      return node.next === undefined ? [] : [node.next];
    case "menu":
      return node.options.map((option) => option.next);
    case "ask":
      return node.onFail === undefined ? [node.next] : [node.next, node.onFail];
    case "branch":
      return [...node.cases.map((c) => c.next), node.otherwise];
    case "goto":
      return [...(node.flow === undefined && node.node !== undefined ? [node.node] : []), ...(node.next === undefined ? [] : [node.next])];
    case "end":
      return [];
  }
}

/** Content keys a node makes the bot say. */
function contentKeys(node: FlowNode): string[] {
  switch (node.kind) {
    case "say":
      return node.say;
    case "menu":
      return [node.prompt, ...(node.reprompt === undefined ? [] : [node.reprompt]), ...node.options.map((o) => o.label)];
    case "ask":
      return [node.prompt, node.reprompt];
    case "help":
      return [node.intro];
    case "quiz":
      return [node.question, ...node.options.map((o) => o.label), node.feedback.correct, node.feedback.incorrect];
    default:
      return [];
  }
}

async function loadFlowFiles(): Promise<{ settings: BotSettings; flows: Map<string, Flow> }> {
  const names = (await readdir(flowsDir)).filter((name) => name.endsWith(".yaml")).sort();
  let settings: BotSettings | undefined;
  const flows = new Map<string, Flow>();
  for (const name of names) {
    const file = join(flowsDir, name);
    const raw: unknown = parseYaml(await readFile(file, "utf8"));
    if (name === "bot.yaml") {
      settings = botSettingsSchema.parse(raw);
      continue;
    }
    const result = flowFileSchema.safeParse(raw);
    if (!result.success) throw new Error(`${name}: ${result.error.message}`);
    const nodes = new Map<string, FlowNode>();
    for (const [nodeId, rawNode] of Object.entries(result.data.nodes)) {
      const node = nodeSchema.safeParse(rawNode);
      if (!node.success) throw new Error(`${name}: node ${nodeId}: ${node.error.message}`);
      nodes.set(nodeId, node.data);
    }
    if (flows.has(result.data.id)) throw new Error(`${name}: flow id ${result.data.id} used twice`);
    flows.set(result.data.id, { file: name, id: result.data.id, start: result.data.start, topic: result.data.topic, nodes });
  }
  if (settings === undefined) throw new Error("flows/bot.yaml is missing");
  return { settings, flows };
}

let settings: BotSettings;
let flows: Map<string, Flow>;
let catalog: ContentCatalog;
let registry: LocaleRegistry;

beforeAll(async () => {
  ({ settings, flows } = await loadFlowFiles());
  [catalog, registry] = await Promise.all([loadContentCatalog(contentDir), loadLocaleRegistry(contentDir)]);
});

describe("flow files", () => {
  it("parse with the flow schema, one flow per file named after its id", () => {
    expect([...flows.values()].map((flow) => [flow.file, flow.id])).toEqual(
      [...flows.values()].map((flow) => [`${flow.id}.yaml`, flow.id]),
    );
    expect([...flows.keys()].sort()).toEqual(["child-marriage", "consanguinity", "help", "language", "main", "place", "safe-birth", "safety", "violence"]);
  });

  it("bot.yaml has the agreed settings and points at existing flows and nodes", () => {
    expect(settings).toEqual({
      entry: { flow: "main" },
      home: { flow: "main", node: "topics" },
      language: { flow: "language" },
      waitHours: 72,
    });
    for (const target of [settings.entry, settings.home, settings.language]) {
      const flow = flows.get(target.flow);
      expect(flow, target.flow).toBeDefined();
      if (target.node !== undefined) expect(flow?.nodes.has(target.node), target.node).toBe(true);
    }
  });

  it("name only existing nodes and flows in start, next and goto", () => {
    const broken: string[] = [];
    for (const flow of flows.values()) {
      if (!flow.nodes.has(flow.start)) broken.push(`${flow.file}: start ${flow.start}`);
      for (const [id, node] of flow.nodes) {
        for (const next of successors(node)) if (!flow.nodes.has(next)) broken.push(`${flow.file}: ${id} -> ${next}`);
        if (node.kind === "goto" && node.flow !== undefined) {
          const target = flows.get(node.flow);
          if (target === undefined) broken.push(`${flow.file}: ${id} -> flow ${node.flow}`);
          else if (node.node !== undefined && !target.nodes.has(node.node)) broken.push(`${flow.file}: ${id} -> ${node.flow}:${node.node}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("have no unreachable nodes", () => {
    const unreachable: string[] = [];
    for (const flow of flows.values()) {
      const seen = new Set<string>();
      const queue = [flow.start];
      while (queue.length > 0) {
        const id = queue.pop() ?? "";
        if (seen.has(id)) continue;
        seen.add(id);
        const node = flow.nodes.get(id);
        if (node !== undefined) queue.push(...successors(node));
      }
      for (const id of flow.nodes.keys()) if (!seen.has(id)) unreachable.push(`${flow.file}: ${id}`);
    }
    expect(unreachable).toEqual([]);
  });

  it("have no loop that does not pass through a menu, ask or quiz", () => {
    const loops: string[] = [];
    for (const flow of flows.values()) {
      const state = new Map<string, "open" | "done">();
      const visit = (id: string, path: string[]): void => {
        const node = flow.nodes.get(id);
        if (node === undefined || waitingKinds.has(node.kind) || state.get(id) === "done") return;
        if (state.get(id) === "open") {
          loops.push(`${flow.file}: ${[...path, id].join(" -> ")}`);
          return;
        }
        state.set(id, "open");
        for (const next of successors(node)) visit(next, [...path, id]);
        state.set(id, "done");
      };
      for (const id of flow.nodes.keys()) visit(id, []);
    }
    expect(loops).toEqual([]);
  });

  it("never call each other in a circle", () => {
    const calls = (flowId: string): string[] =>
      [...(flows.get(flowId)?.nodes.values() ?? [])].flatMap((node) => (node.kind === "goto" && node.flow !== undefined ? [node.flow] : []));
    const circles: string[] = [];
    const walk = (flowId: string, path: string[]): void => {
      if (path.includes(flowId)) {
        circles.push([...path, flowId].join(" -> "));
        return;
      }
      for (const callee of calls(flowId)) walk(callee, [...path, flowId]);
    };
    for (const flowId of flows.keys()) walk(flowId, []);
    expect(circles).toEqual([]);
  });

  it("use only content keys that exist in every reviewed locale", () => {
    const missing: string[] = [];
    for (const flow of flows.values()) {
      for (const [id, node] of flow.nodes) {
        for (const key of contentKeys(node)) {
          for (const { code, status } of registry.locales) {
            if (status === "reviewed" && !catalog.hasKey(code, key)) missing.push(`${flow.file}: ${id}: ${key} (${code})`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("together use every node kind except ask, since they keep no free text", () => {
    const used = new Set([...flows.values()].flatMap((flow) => [...flow.nodes.values()].map((node) => node.kind)));
    expect([...nodeKinds].filter((kind) => !used.has(kind))).toEqual(["ask"]);
  });

  it("give each topic module, and the safety and help guides, one or two quizzes, the help directory and an end", () => {
    const modules = [...flows.values()].filter((flow) => flow.topic !== undefined);
    expect(modules.map((flow) => [flow.id, flow.topic])).toEqual(modules.map((flow) => [flow.id, flow.id]));
    const guides = ["safety", "help"].map((id) => flows.get(id));
    expect(guides.map((flow) => flow?.topic)).toEqual([undefined, undefined]);
    for (const flow of [...modules, ...guides]) {
      const kinds = [...(flow?.nodes.values() ?? [])].map((node) => node.kind);
      const quizzes = kinds.filter((kind) => kind === "quiz").length;
      expect(quizzes >= 1 && quizzes <= 2, `${flow?.id}: ${quizzes} quizzes`).toBe(true);
      expect(kinds, flow?.id).toContain("help");
      expect(kinds, flow?.id).toContain("end");
    }
  });

  it("ask for no free text: the commune she types is matched to a code by the place node, and only the code is kept", () => {
    const asks = [...flows.values()].flatMap((flow) => [...flow.nodes.values()].filter((node) => node.kind === "ask"));
    expect(asks).toEqual([]);
    const places = [...flows.values()].flatMap((flow) => [...flow.nodes.values()].filter((node) => node.kind === "place"));
    expect(places).toHaveLength(1);
  });

  it("are all in the flows folder under their own names", () => {
    expect([...flows.values()].every((flow) => basename(flow.file) === flow.file)).toBe(true);
  });
});
