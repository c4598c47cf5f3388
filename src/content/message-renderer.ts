import type { OutboundMessage } from "../channels/outbound-message.ts";
import type { ContactSnapshot } from "../engine/contact-snapshot.ts";
import type { MessageSpec } from "../engine/flow-events.ts";
import type { DirectoryEntry } from "../directory/directory-entry.ts";
import { findHelp } from "../directory/help-lookup.ts";
import type { ContentCatalog } from "./content-catalog.ts";

/** Content keys used to write help directory entries. */
export const helpContentKeys = {
  entry: "common:help.entry",
  free: "common:help.free",
  open247: "common:help.open_24_7",
  noneLocal: "common:help.none_local",
} as const;

/** A rendered message and the keys that had to fall back to another locale (failure tier 1). */
export type RenderResult = { message: OutboundMessage; missingKeys: string[] };

/** Turns the engine's message specs into text in the contact's language. */
export type MessageRenderer = {
  render(spec: MessageSpec, contact: ContactSnapshot, nodeId?: string): RenderResult;
};

/**
 * Renders message specs with the content catalog, and fills help messages from the directory: entries of the
 * contact's commune, then province, then the national numbers, each saying whether it is free and open 24/7.
 */
export function createMessageRenderer(deps: {
  catalog: ContentCatalog;
  directory: readonly DirectoryEntry[];
  defaultLocale: string;
}): MessageRenderer {
  return {
    render(spec, contact, nodeId) {
      const locale = contact.locale ?? deps.defaultLocale;
      const missingKeys: string[] = [];
      const text = (key: string, params?: Record<string, string | number>) => {
        const rendered = deps.catalog.render(key, locale, params);
        if (rendered.missing) missingKeys.push(key);
        return rendered.text;
      };
      const parts = spec.keys.map((key) => text(key));
      if (spec.help !== undefined) {
        const place = { provinceCode: contact.provinceCode, communeCode: contact.communeCode };
        const entries = findHelp(deps.directory, place, spec.help);
        const lines = entries.map((entry) => {
          const facts = [entry.free === true ? text(helpContentKeys.free) : undefined, entry.hours === "24/7" ? text(helpContentKeys.open247) : undefined]
            .filter((note) => note !== undefined)
            .join(", ");
          const notes = facts === "" ? "" : `(${facts})`;
          return text(helpContentKeys.entry, { name: text(entry.name), phone: entry.phone, notes }).trim();
        });
        const knowsPlace = contact.provinceCode !== null || contact.communeCode !== null;
        if (knowsPlace && !entries.some((entry) => entry.scope !== "national")) lines.unshift(text(helpContentKeys.noneLocal));
        parts.push(lines.join("\n"));
      }
      const message: OutboundMessage = {
        text: parts.filter((part) => part.length > 0).join("\n\n"),
        contentKeys: spec.keys,
        locale,
        ...(spec.options === undefined ? {} : { options: spec.options.map((option) => ({ id: option.id, label: text(option.label) })) }),
        ...(nodeId === undefined ? {} : { nodeId }),
      };
      return { message, missingKeys };
    },
  };
}
