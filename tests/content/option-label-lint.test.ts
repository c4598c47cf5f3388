import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadContentCatalog } from "../../src/content/content-catalog.ts";
import { buttonTitleLimit, optionLabelIssues, optionLabelKeys } from "../../src/content/option-label-lint.ts";
import type { FlowDefinition } from "../../src/engine/flow-definition.ts";
import { parseFlowText } from "../../src/engine/flow-loader.ts";
import { loadShippedAssets } from "../support/pipeline-harness.ts";

const badDir = join(import.meta.dirname, "../fixtures/content-lint-bad");

function flowsOf(text: string): Map<string, FlowDefinition> {
  const { flow } = parseFlowText("menu.yaml", text);
  if (!flow) throw new Error("test flow is invalid");
  return new Map([[flow.id, flow]]);
}

describe("option label lint", () => {
  it("warns, per locale, about a menu option longer than a Zalo OA button title", async () => {
    const catalog = await loadContentCatalog(badDir);
    const flows = flowsOf(`
id: menu
start: ask
nodes:
  ask:
    kind: menu
    prompt: common:welcome
    options:
      - { id: long, label: common:wordy, next: done }
      - { id: short, label: common:welcome, next: done }
  done:
    kind: end
`);
    expect(optionLabelKeys(flows)).toContain("common:wordy");
    const issues = optionLabelIssues(flows, catalog);
    expect(issues.map((issue) => [issue.severity, issue.code, issue.locale, issue.key])).toEqual([["warning", "long-label", "vi", "common:wordy"]]);
    expect(issues[0]?.message).toContain(`above ${buttonTitleLimit}`);
  });

  it("finds no option label in the shipped content longer than a button title", async () => {
    const { contentIssues } = await loadShippedAssets();
    expect(contentIssues.filter((issue) => issue.code === "long-label")).toEqual([]);
  });
});
