import { helpContentKeys } from "../directory/help-message.ts";
import type { FlowDefinition } from "../engine/flow-definition.ts";
import { contentKeysOf } from "../engine/flow-inspector.ts";
import { loadFlows } from "../engine/flow-loader.ts";
import { placeContentKeys, placeOptionLabelKeys } from "../engine/place-step.ts";
import { engineContentKeys } from "../engine/turn.ts";
import { writeCsv } from "../tables/csv.ts";
import { loadContentCatalog, type ContentCatalog, type ContentValue } from "./content-catalog.ts";
import { ContentError } from "./content-error.ts";
import { channelTextLimit, placeholdersOf, readableMessageLength } from "./content-lint.ts";
import { keyStatus } from "./language-offer.ts";
import { findLocale, loadLocaleRegistry, rootLocale, type LocaleRegistry } from "./locale-registry.ts";
import { fallbackNoticeKey } from "./message-renderer.ts";
import { contentText, loadReviewLedger, type ReviewLedger, type TranslationStatus } from "./review-ledger.ts";
import { loadSources, type Sources } from "./sources.ts";
import { writeXliff, type XliffUnit } from "./xliff.ts";

/**
 * What a translator gets for one locale: every Vietnamese text with where it is used, how long the
 * translation may be, the current translation and its status. Written as CSV (Excel, LibreOffice)
 * or XLIFF 1.2 (translation tools); `translation-import.ts` reads either back.
 */

/** The longest label a button or a numbered option may have before channels cut or wrap it badly. */
export const optionLabelLength = 24;

/** How a text is shown: the role decides its character limit and tells the translator what it is. */
export type TextRole = "message" | "question" | "reprompt" | "menu option" | "quiz question" | "quiz option" | "quiz feedback";

/** One place a key is used: a flow node and the role the text plays there. */
export type TextUsage = { where: string; role: TextRole };

function roleOf(kind: FlowDefinition["nodes"][string]["kind"], field: string): TextRole {
  if (/^options\.\d+\.label$/.test(field)) return kind === "quiz" ? "quiz option" : "menu option";
  if (kind === "quiz") return field === "question" ? "quiz question" : "quiz feedback";
  if (field === "prompt") return "question";
  if (field === "reprompt") return "reprompt";
  return "message";
}

/** Every flow node that names each key, in flow and node order, found by scanning the flows. */
export function textUsages(flows: ReadonlyMap<string, FlowDefinition>): Map<string, TextUsage[]> {
  const usages = new Map<string, TextUsage[]>();
  const add = (key: string, usage: TextUsage) => usages.set(key, [...(usages.get(key) ?? []), usage]);
  for (const flow of [...flows.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    for (const [nodeId, node] of Object.entries(flow.nodes)) {
      for (const { key, field } of contentKeysOf(node)) add(key, { where: `${flow.id}/${nodeId}`, role: roleOf(node.kind, field) });
    }
  }
  for (const [name, key] of Object.entries(engineContentKeys)) add(key, { where: `Loa itself (${name})`, role: "message" });
  for (const [name, key] of Object.entries(helpContentKeys)) add(key, { where: `help list (${name})`, role: "message" });
  for (const [name, key] of Object.entries(placeContentKeys)) {
    add(key, { where: `place question (${name})`, role: placeOptionLabelKeys.has(key) ? "menu option" : "message" });
  }
  add(fallbackNoticeKey, { where: "before text not in her language", role: "message" });
  return usages;
}

/**
 * The character limit of a key's translation: 24 for an option label (the strictest of its roles wins),
 * else 400, the readable length of a message. Only when the Vietnamese text itself is longer does the hard
 * limit of what channels can send (2,000) apply instead.
 */
export function characterLimit(usages: readonly TextUsage[], source: string): number {
  const optionRoles: ReadonlySet<TextRole> = new Set(["menu option", "quiz option"]);
  if (usages.some((usage) => optionRoles.has(usage.role))) return optionLabelLength;
  return source.length > readableMessageLength ? channelTextLimit : readableMessageLength;
}

/** One row of a translator's file. `origin` is "machine" for an unreviewed machine draft, else as recorded. */
export type TranslationRow = {
  key: string;
  source: string;
  context: string;
  maxLength: number;
  translation: string;
  status: TranslationStatus;
  origin: "" | "human" | "machine" | "machine-assisted";
};

function contextOf(key: string, value: ContentValue, usages: readonly TextUsage[], sources: Sources): string {
  const parts: string[] = [];
  if (usages.length > 0) parts.push(usages.map((usage) => `${usage.where}: ${usage.role}`).join("; "));
  else if (key.startsWith("common:triggers.")) parts.push(`words a person types to reach "${key.slice("common:triggers.".length)}" from anywhere`);
  else if (key.startsWith("directory:")) parts.push("help directory (content/directory)");
  else parts.push("not named by a flow");
  if (typeof value !== "string") parts.push("keyword list: one keyword or phrase per line");
  const placeholders = typeof value === "string" ? placeholdersOf(value) : [];
  if (placeholders.length > 0) parts.push(`keep ${placeholders.map((name) => `{{${name}}}`).join(", ")} as they are`);
  const numbers = sources[key]?.numbers ?? [];
  if (numbers.length > 0) parts.push(`sourced facts: keep the numbers ${numbers.join(", ")}`);
  return parts.join(". ");
}

/** Everything export and import need to know about a locale's texts, loaded once. */
export type TranslationContext = {
  registry: LocaleRegistry;
  catalog: ContentCatalog;
  reviews: ReviewLedger;
  sources: Sources;
  usages: Map<string, TextUsage[]>;
};

/** Loads the registry, content, reviews, sources and flows a translation export or import works against. */
export async function loadTranslationContext(contentDir: string, flowsDir: string): Promise<TranslationContext> {
  const registry = await loadLocaleRegistry(contentDir);
  const catalog = await loadContentCatalog(contentDir);
  const reviews = await loadReviewLedger(contentDir);
  const sources = await loadSources(contentDir);
  const { flows } = await loadFlows(flowsDir);
  return { registry, catalog, reviews, sources, usages: textUsages(flows) };
}

/** Refuses a locale that is not registered, and Vietnamese, which is the source rather than a translation. */
export function translatableLocale(registry: LocaleRegistry, locale: string): void {
  if (findLocale(registry, locale) === undefined) {
    throw new ContentError(`"${locale}" is not a locale in locales.yaml`, "content:unknown-locale", { context: { locale } });
  }
  if (locale === rootLocale) {
    throw new ContentError(`${rootLocale} is the source language; it is edited in content/${rootLocale}/, not translated`, "content:unknown-locale", {
      context: { locale },
    });
  }
}

/** The rows for `locale`: one per Vietnamese key, sorted by key, so related texts sit together. */
export function translationRows(context: TranslationContext, locale: string): TranslationRow[] {
  const { registry, catalog, reviews, sources, usages } = context;
  translatableLocale(registry, locale);
  return catalog.keys(rootLocale).flatMap((key): TranslationRow[] => {
    const value = catalog.value(rootLocale, key);
    if (value === undefined) return [];
    const used = usages.get(key) ?? [];
    const translation = catalog.value(locale, key);
    const record = reviews.record(locale, key);
    return [
      {
        key,
        source: contentText(value),
        context: contextOf(key, value, used, sources),
        maxLength: characterLimit(used, contentText(value)),
        translation: translation === undefined ? "" : contentText(translation),
        status: keyStatus(registry, catalog, reviews, locale, key),
        origin: translation === undefined || record === undefined ? "" : record.origin,
      },
    ];
  });
}

/** Column headers of the CSV file; the import finds columns by these names, so a translator may reorder them. */
export const csvColumns = {
  key: "key",
  source: `source (${rootLocale})`,
  context: "context",
  maxLength: "max characters",
  status: "status",
  origin: "origin",
  translation: (locale: string) => `translation (${locale})`,
} as const;

/** The rows as CSV for a spreadsheet, with a byte-order mark so Excel shows Vietnamese correctly. */
export function translationCsv(locale: string, rows: readonly TranslationRow[]): string {
  return writeCsv([
    [csvColumns.key, csvColumns.source, csvColumns.context, csvColumns.maxLength, csvColumns.translation(locale), csvColumns.status, csvColumns.origin],
    ...rows.map((row) => [row.key, row.source, row.context, String(row.maxLength), row.translation, row.status, row.origin]),
  ]);
}

const xliffStates: Record<TranslationStatus, string> = {
  missing: "needs-translation",
  draft: "needs-review-translation",
  outdated: "needs-review-translation",
  reviewed: "signed-off",
};

/** The rows as an XLIFF 1.2 document; a machine draft's target carries `state-qualifier="mt-suggestion"`. */
export function translationXliff(locale: string, rows: readonly TranslationRow[]): string {
  const units = rows.map(
    (row): XliffUnit => ({
      id: row.key,
      source: row.source,
      target: row.translation,
      state: xliffStates[row.status],
      ...(row.origin === "machine" ? { stateQualifier: "mt-suggestion" } : {}),
      maxWidth: row.maxLength,
      notes: [
        row.context,
        `status: ${row.status}${row.status === "outdated" ? ` (the ${rootLocale} text changed since this translation was made or reviewed)` : ""}`,
      ],
    }),
  );
  return writeXliff({ sourceLanguage: rootLocale, targetLanguage: locale, units });
}
