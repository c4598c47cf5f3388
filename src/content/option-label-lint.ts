import type { FlowDefinition } from "../engine/flow-definition.ts";
import { contentKeysOf } from "../engine/flow-inspector.ts";
import { placeOptionLabelKeys } from "../engine/place-step.ts";
import type { ContentCatalog } from "./content-catalog.ts";
import type { ContentIssue } from "./content-lint.ts";

/**
 * The longest button title Loa writes. Zalo OA shows menu options as buttons, and a title over 20 characters
 * may be cut or refused (third-party code validates 20; the official limit is unverified, zalo-platform.md
 * §2.5). Telegram shows longer labels, and Zalo Bot numbers them in the text, so 20 fits every channel.
 */
export const buttonTitleLimit = 20;

/** Every content key shown as a button: menu and quiz option labels in the flows, and the place question's. */
export function optionLabelKeys(flows: ReadonlyMap<string, FlowDefinition>): Set<string> {
  const keys = new Set(placeOptionLabelKeys);
  for (const flow of flows.values()) {
    for (const node of Object.values(flow.nodes)) {
      for (const { key, field } of contentKeysOf(node)) if (/^options\.\d+\.label$/.test(field)) keys.add(key);
    }
  }
  return keys;
}

/** Warns about option labels longer than a Zalo OA button title, in every locale that has them. */
export function optionLabelIssues(flows: ReadonlyMap<string, FlowDefinition>, catalog: ContentCatalog): ContentIssue[] {
  const issues: ContentIssue[] = [];
  for (const key of [...optionLabelKeys(flows)].sort()) {
    for (const locale of catalog.locales) {
      const value = catalog.value(locale, key);
      if (typeof value !== "string" || value.length <= buttonTitleLimit) continue;
      issues.push({
        severity: "warning",
        code: "long-label",
        locale,
        key,
        message: `"${key}" in ${locale} has ${value.length} characters; Zalo OA button titles may be cut above ${buttonTitleLimit}`,
      });
    }
  }
  return issues;
}
