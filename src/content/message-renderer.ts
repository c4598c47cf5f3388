import type { OutboundMessage } from "../channels/outbound-message.ts";
import type { ContactSnapshot } from "../engine/contact-snapshot.ts";
import type { MessageSpec } from "../engine/flow-events.ts";
import type { DirectoryEntry } from "../directory/directory-entry.ts";
import { findHelp } from "../directory/help-lookup.ts";
import { helpLines } from "../directory/help-message.ts";
import { defaultStaleMonths } from "../directory/help-staleness.ts";
import type { ContentCatalog } from "./content-catalog.ts";
import type { MediaLibrary, VoiceNote } from "./media-library.ts";

/**
 * Said before text that is not in the person's language ("Phần này bằng tiếng Việt."), in her language
 * when it has this key, and with its voice note when one is recorded: a reader is never left to guess
 * why the words changed.
 */
export const fallbackNoticeKey = "common:fallback.notice";

/**
 * A rendered message; `missingKeys` had to fall back to another locale (failure tier 1), and `fellBack`
 * says the text is partly in another language than the person's.
 */
export type RenderResult = { message: OutboundMessage; missingKeys: string[]; fellBack: boolean };

/** Per-message choices: whether to say the fallback notice (once per turn is enough). */
export type RenderOptions = { announceFallback?: boolean };

/** Turns the engine's message specs into text in the contact's language. */
export type MessageRenderer = {
  render(spec: MessageSpec, contact: ContactSnapshot, nodeId?: string, options?: RenderOptions): RenderResult;
};

/**
 * Renders message specs with the content catalog. Voice notes recorded for the keys in the person's language
 * go first; text missing in her language comes from its fallback with a notice saying so. Help messages are
 * filled from the directory: her commune, then province, then the national numbers, each saying whether it
 * is free and open 24/7.
 */
export function createMessageRenderer(deps: {
  catalog: ContentCatalog;
  directory: readonly DirectoryEntry[];
  defaultLocale: string;
  /** The clock help entries are dated against. */
  now: () => Date;
  /** Help entries verified longer ago than this many months say when they were last checked. */
  staleMonths?: number;
  media?: MediaLibrary;
  /** The public address a platform fetches a voice note from; undefined when it has none (then it is not sent). */
  mediaUrl?: (note: VoiceNote) => string | undefined;
}): MessageRenderer {
  const voiceOf = (locale: string, key: string) => {
    const note = deps.media?.voice(locale, key);
    const url = note === undefined ? undefined : deps.mediaUrl?.(note);
    if (note === undefined || url === undefined) return [];
    return [{ kind: "voice" as const, url, mimeType: note.mimeType, ...(note.bytes === undefined ? {} : { bytes: note.bytes }) }];
  };
  return {
    render(spec, contact, nodeId, options = {}) {
      const locale = contact.locale ?? deps.defaultLocale;
      const missingKeys: string[] = [];
      let fellBack = false;
      const text = (key: string, params?: Record<string, string | number>) => {
        const rendered = deps.catalog.render(key, locale, params);
        if (rendered.missing) missingKeys.push(key);
        if (rendered.locale !== locale) fellBack = true;
        return rendered.text;
      };
      const parts = spec.keys.map((key) => text(key, spec.params));
      if (spec.help !== undefined) {
        const now = deps.now();
        const staleMonths = deps.staleMonths ?? defaultStaleMonths;
        const place = { provinceCode: contact.provinceCode, communeCode: contact.communeCode };
        const entries = findHelp(deps.directory, place, spec.help, now, staleMonths);
        const knowsPlace = contact.provinceCode !== null || contact.communeCode !== null;
        parts.push(helpLines(entries, { text, now, staleMonths, knowsPlace }).join("\n"));
      }
      const labels = spec.options?.map((option) => ({ id: option.id, label: option.literal ? option.label : text(option.label) }));
      const announce = fellBack && (options.announceFallback ?? true);
      if (announce) parts.unshift(deps.catalog.render(fallbackNoticeKey, locale).text);
      const media = [...(announce ? voiceOf(locale, fallbackNoticeKey) : []), ...spec.keys.flatMap((key) => voiceOf(locale, key))];
      const message: OutboundMessage = {
        text: parts.filter((part) => part.length > 0).join("\n\n"),
        contentKeys: spec.keys,
        locale,
        ...(labels === undefined ? {} : { options: labels }),
        ...(nodeId === undefined ? {} : { nodeId }),
        ...(media.length === 0 ? {} : { media }),
      };
      return { message, missingKeys, fellBack };
    },
  };
}
