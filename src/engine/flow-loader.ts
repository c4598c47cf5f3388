import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { z } from "zod";
import { FlowError, type FlowIssue } from "./flow-issue.ts";
import type { FlowDefinition } from "./flow-definition.ts";
import { botSettingsSchema, flowFileSchema, nodeSchema, type BotSettings, type FlowNode } from "./flow-schema.ts";

/** The flows of one bot and its settings, as read from a `flows/` folder. */
export type LoadedFlows = { flows: Map<string, FlowDefinition>; settings: BotSettings };

const settingsFile = "bot.yaml";

function zodIssues(file: string, node: string | undefined, error: z.ZodError): FlowIssue[] {
  return error.issues.map((issue) => ({
    severity: "error" as const,
    file,
    ...(node === undefined ? {} : { node }),
    field: issue.path.map(String).join(".") || undefined,
    message: issue.message,
  }));
}

/** A short hash of the parsed flow: every change to it is a new revision, with nothing for an author to bump. */
export function revisionOf(flow: { id: string; start: string; topic?: string; nodes: Record<string, FlowNode> }): string {
  const canonical = JSON.stringify(flow, (_key, value: unknown) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return createHash("sha256").update(canonical).digest("hex").slice(0, 12);
}

/** Parses one flow file's text; returns the definition or the issues that name file, node and field. */
export function parseFlowText(file: string, text: string): { flow?: FlowDefinition; issues: FlowIssue[] } {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` (line ${error.linePos[0].line})` : "";
    return { issues: [{ severity: "error", file, message: `not valid YAML${where}: ${(error as Error).message}` }] };
  }
  const parsed = flowFileSchema.safeParse(raw);
  if (!parsed.success) return { issues: zodIssues(file, undefined, parsed.error) };
  const issues: FlowIssue[] = [];
  const nodes: Record<string, FlowNode> = {};
  for (const [id, body] of Object.entries(parsed.data.nodes)) {
    const node = nodeSchema.safeParse(body);
    if (node.success) nodes[id] = node.data;
    else issues.push(...zodIssues(file, id, node.error));
  }
  if (issues.length > 0) return { issues };
  const { id, title, topic, start } = parsed.data;
  const flow: FlowDefinition = {
    id,
    ...(title === undefined ? {} : { title }),
    ...(topic === undefined ? {} : { topic }),
    start,
    nodes,
    file,
    revision: revisionOf({ id, start, ...(topic === undefined ? {} : { topic }), nodes }),
  };
  return { flow, issues };
}

/** Parses `bot.yaml`. */
export function parseSettingsText(file: string, text: string): { settings?: BotSettings; issues: FlowIssue[] } {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    return { issues: [{ severity: "error", file, message: `not valid YAML: ${(error as Error).message}` }] };
  }
  const parsed = botSettingsSchema.safeParse(raw);
  return parsed.success ? { settings: parsed.data, issues: [] } : { issues: zodIssues(file, undefined, parsed.error) };
}

/**
 * Reads every `*.yaml` flow and `bot.yaml` in a folder. Throws a `FlowError` listing every problem
 * found, so an author fixes them all in one go.
 */
export async function loadFlows(folder: string): Promise<LoadedFlows> {
  const names = (await readdir(folder)).filter((name) => name.endsWith(".yaml") || name.endsWith(".yml")).sort();
  const flows = new Map<string, FlowDefinition>();
  const issues: FlowIssue[] = [];
  let settings: BotSettings | undefined;
  for (const name of names) {
    const file = join(folder, name);
    const text = await readFile(file, "utf8");
    if (name === settingsFile) {
      const result = parseSettingsText(file, text);
      settings = result.settings;
      issues.push(...result.issues);
      continue;
    }
    const result = parseFlowText(file, text);
    issues.push(...result.issues);
    if (!result.flow) continue;
    const existing = flows.get(result.flow.id);
    if (existing) {
      issues.push({ severity: "error", file, message: `flow id "${result.flow.id}" is also used by ${basename(existing.file)}` });
      continue;
    }
    flows.set(result.flow.id, result.flow);
  }
  if (!names.includes(settingsFile)) {
    issues.push({ severity: "error", file: join(folder, settingsFile), message: "missing: it names the entry, home and language flows" });
  }
  if (issues.length > 0 || settings === undefined) throw new FlowError(issues);
  return { flows, settings };
}
