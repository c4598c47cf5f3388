import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FlowError, formatFlowIssue } from "../../src/engine/flow-issue.ts";
import { loadFlows, parseFlowText, parseSettingsText } from "../../src/engine/flow-loader.ts";

const errorsOf = (file: string, text: string) => parseFlowText(file, text).issues.map(formatFlowIssue);

describe("parseFlowText", () => {
  it("parses a valid flow and gives it a revision that changes with any edit", () => {
    const text = "id: t\nstart: a\nnodes:\n  a: { kind: say, say: [t:one] }\n";
    const first = parseFlowText("flows/t.yaml", text);
    expect(first.issues).toEqual([]);
    expect(first.flow).toMatchObject({ id: "t", start: "a", file: "flows/t.yaml" });
    expect(parseFlowText("flows/t.yaml", text).flow?.revision).toBe(first.flow?.revision);
    expect(parseFlowText("flows/t.yaml", text.replace("t:one", "t:two")).flow?.revision).not.toBe(first.flow?.revision);
  });

  it("names file, node and field for an unknown node kind", () => {
    expect(errorsOf("flows/bad.yaml", "id: t\nstart: a\nnodes:\n  a: { kind: shout, say: [t:one] }\n")).toEqual([
      expect.stringMatching(/^error: flows\/bad\.yaml: node "a", field "kind": .*say.*menu/),
    ]);
  });

  it("names file, node and field for a missing field", () => {
    expect(errorsOf("flows/bad.yaml", "id: t\nstart: a\nnodes:\n  a: { kind: menu, options: [{ label: t:x, next: a }] }\n")).toEqual([
      expect.stringMatching(/^error: flows\/bad\.yaml: node "a", field "prompt": /),
    ]);
  });

  it("names file, node and field inside a list", () => {
    const text = "id: t\nstart: a\nnodes:\n  a: { kind: menu, prompt: t:p, options: [{ label: t:x, next: a }, { label: t:y }] }\n";
    expect(errorsOf("flows/bad.yaml", text)).toEqual([expect.stringMatching(/^error: flows\/bad\.yaml: node "a", field "options\.1\.next": /)]);
  });

  it("names file, node and the unknown key for an extra field", () => {
    expect(errorsOf("flows/bad.yaml", "id: t\nstart: a\nnodes:\n  a: { kind: say, say: [t:one], colour: red }\n")).toEqual([
      expect.stringMatching(/^error: flows\/bad\.yaml: node "a": .*"colour"/),
    ]);
  });

  it("reports an error in every bad node, not only the first", () => {
    const text = "id: t\nstart: a\nnodes:\n  a: { kind: say }\n  b: { kind: end, next: a }\n  c: { kind: say, say: [t:ok] }\n";
    const errors = errorsOf("flows/bad.yaml", text);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('node "a", field "say"');
    expect(errors[1]).toContain('node "b"');
  });

  it("rejects a text content key where a content key is expected", () => {
    expect(errorsOf("flows/bad.yaml", "id: t\nstart: a\nnodes:\n  a: { kind: say, say: [Xin chào] }\n")).toEqual([
      expect.stringMatching(/node "a", field "say\.0": a content key looks like namespace:key/),
    ]);
  });

  it("names the file for a flow-level problem and the line for broken YAML", () => {
    expect(errorsOf("flows/bad.yaml", "id: t\nnodes: {}\n")).toEqual([expect.stringMatching(/^error: flows\/bad\.yaml: field "start": /)]);
    expect(errorsOf("flows/bad.yaml", "id: t\nstart: a\nnodes:\n  a: [unclosed\n")).toEqual([
      expect.stringMatching(/^error: flows\/bad\.yaml: not valid YAML \(line \d+\)/),
    ]);
  });
});

describe("parseSettingsText", () => {
  it("defaults waitHours to 72 and names a bad field", () => {
    const ok = parseSettingsText("flows/bot.yaml", "entry: { flow: main }\nhome: { flow: main }\nlanguage: { flow: main }");
    expect(ok.settings?.waitHours).toBe(72);
    const bad = parseSettingsText("flows/bot.yaml", "entry: { flow: main }\nhome: { flow: main }\nlanguage: { flow: main }\nwaitHours: -1");
    expect(bad.settings).toBeUndefined();
    expect(bad.issues.map(formatFlowIssue)).toEqual([expect.stringMatching(/^error: flows\/bot\.yaml: field "waitHours": /)]);
  });
});

describe("loadFlows", () => {
  let folder: string | undefined;
  afterEach(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
    folder = undefined;
  });

  const write = async (files: Record<string, string>) => {
    folder = await mkdtemp(join(tmpdir(), "loa-flows-"));
    for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
    return folder;
  };
  const bot = "entry: { flow: main }\nhome: { flow: main }\nlanguage: { flow: main }\n";
  const main = "id: main\nstart: a\nnodes:\n  a: { kind: say, say: [t:one] }\n";

  it("loads every flow and the settings of a folder", async () => {
    const loaded = await loadFlows(await write({ "bot.yaml": bot, "main.yaml": main }));
    expect([...loaded.flows.keys()]).toEqual(["main"]);
    expect(loaded.settings.entry.flow).toBe("main");
  });

  it("rejects a duplicate flow id, naming both files", async () => {
    const dir = await write({ "bot.yaml": bot, "a.yaml": main, "b.yaml": main });
    const error = await loadFlows(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlowError);
    expect((error as FlowError).issues.map(formatFlowIssue)).toEqual([
      `error: ${join(dir, "b.yaml")}: flow id "main" is also used by a.yaml`,
    ]);
  });

  it("lists the errors of every file at once, and a missing bot.yaml", async () => {
    const dir = await write({ "a.yaml": "id: a\nstart: x\nnodes:\n  x: { kind: nope }\n", "b.yaml": main.replace("[t:one]", "[]") });
    const error = (await loadFlows(dir).catch((caught: unknown) => caught)) as FlowError;
    const lines = error.issues.map(formatFlowIssue);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain(`${join(dir, "a.yaml")}: node "x", field "kind"`);
    expect(lines[1]).toContain(`${join(dir, "b.yaml")}: node "a", field "say"`);
    expect(lines[2]).toBe(`error: ${join(dir, "bot.yaml")}: missing: it names the entry, home and language flows`);
    expect(error.message).toContain("3 error(s)");
  });
});
