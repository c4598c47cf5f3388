import type { ContentCatalog } from "./content-catalog.ts";
import { languageOfferIssues } from "./language-offer.ts";
import { rootLocale, type LocaleRegistry } from "./locale-registry.ts";
import { mediaIssues, type MediaLibrary } from "./media-library.ts";
import { emptyReviewLedger, type ReviewLedger } from "./review-ledger.ts";
import type { Sources } from "./sources.ts";

/** Which rule a content issue breaks; stable, so CI output and tests can match on it. */
export type ContentIssueCode =
  | "missing-key"
  | "missing-translation"
  | "placeholder-mismatch"
  | "too-long"
  | "long-message"
  | "long-label"
  | "unknown-source-key"
  | "undeclared-number"
  | "unreviewed-core-key"
  | "unmatched-core-keys"
  | "unknown-media-key";

/** One problem in the content. Errors fail `loa check` and CI; warnings are shown to editors. */
export type ContentIssue = {
  severity: "error" | "warning";
  code: ContentIssueCode;
  locale?: string;
  key?: string;
  message: string;
};

/** The strictest channel text limit (Zalo Bot Platform and Zalo OA): a longer text cannot be sent at all. */
export const channelTextLimit = 2000;

/** Messages longer than this are hard to read for people with little schooling (see the content guide). */
export const readableMessageLength = 400;

const placeholderPattern = /\{\{-?\s*([^{}\s,]+)[^{}]*\}\}/g;
const numberPattern = /\+?\d+(?:[ .,/]\d+)*/g;

/** The `{{placeholders}}` a text uses, sorted and without repeats. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(placeholderPattern)].map((match) => match[1] ?? ""))].sort();
}

/**
 * Every number a text states, as written: digit runs with the grouping a reader sees kept together
 * ("1900 969 680", "1.000.000", "38,5", "1/7/2025"). Placeholders are not numbers.
 */
export function numbersIn(text: string): string[] {
  return [...text.replace(placeholderPattern, " ").matchAll(numberPattern)].map((match) => match[0]);
}

/** Numbers compare without the spaces between digit groups, so "1900 969 680" and "1900969680" are one number. */
function numberKey(number: string): string {
  return number.replace(/\s/g, "");
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function coverageIssues(catalog: ContentCatalog, registry: LocaleRegistry): ContentIssue[] {
  const reviewed = registry.locales.filter((locale) => locale.status === "reviewed").map((locale) => locale.code);
  const ownerOf = new Map<string, string>();
  for (const locale of reviewed) for (const key of catalog.keys(locale)) if (!ownerOf.has(key)) ownerOf.set(key, locale);
  const issues: ContentIssue[] = [];
  for (const { code: locale, status, fallback } of registry.locales) {
    // A draft locale with no text at all is a language not started yet, not a gap: coverage reports it.
    if (status === "draft" && catalog.keys(locale).length === 0) continue;
    for (const [key, owner] of ownerOf) {
      if (catalog.hasKey(locale, key)) continue;
      issues.push(
        status === "reviewed"
          ? { severity: "error", code: "missing-key", locale, key, message: `"${key}" is in ${owner} but missing in ${locale}` }
          : {
              severity: "warning",
              code: "missing-translation",
              locale,
              key,
              message: `"${key}" is not translated into draft locale ${locale}; ${fallback ?? rootLocale} is used`,
            },
      );
    }
  }
  return issues;
}

function textIssues(catalog: ContentCatalog, sources: Sources): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const allKeys = new Set(catalog.locales.flatMap((locale) => catalog.keys(locale)));
  for (const key of allKeys) {
    const texts = catalog.locales.flatMap((locale) => {
      const value = catalog.value(locale, key);
      return typeof value === "string" ? [{ locale, text: value }] : [];
    });
    const reference = texts.find((entry) => entry.locale === rootLocale) ?? texts[0];
    for (const { locale, text } of texts) {
      if (reference !== undefined && locale !== reference.locale) {
        const expected = placeholdersOf(reference.text);
        const actual = placeholdersOf(text);
        if (!sameList(expected, actual)) {
          issues.push({
            severity: "error",
            code: "placeholder-mismatch",
            locale,
            key,
            message: `"${key}" in ${locale} uses {{${actual.join("}}, {{")}}} but ${reference.locale} uses {{${expected.join("}}, {{")}}}`,
          });
        }
      }
      if (text.length > channelTextLimit) {
        issues.push({
          severity: "error",
          code: "too-long",
          locale,
          key,
          message: `"${key}" in ${locale} has ${text.length} characters; channels accept at most ${channelTextLimit}`,
        });
      } else if (text.length > readableMessageLength) {
        issues.push({
          severity: "warning",
          code: "long-message",
          locale,
          key,
          message: `"${key}" in ${locale} has ${text.length} characters; keep messages under ${readableMessageLength}`,
        });
      }
      const declared = new Set((sources[key]?.numbers ?? []).map(numberKey));
      const undeclared = numbersIn(text).filter((number) => !declared.has(numberKey(number)));
      if (undeclared.length > 0) {
        issues.push({
          severity: "error",
          code: "undeclared-number",
          locale,
          key,
          message: `"${key}" in ${locale} states ${[...new Set(undeclared)].join(", ")}, which sources.yaml does not declare for this key`,
        });
      }
    }
  }
  return issues;
}

function sourceIssues(catalog: ContentCatalog, sources: Sources): ContentIssue[] {
  return Object.keys(sources)
    .filter((key) => !catalog.locales.some((locale) => catalog.hasKey(locale, key)))
    .map((key): ContentIssue => ({
      severity: "error",
      code: "unknown-source-key",
      key,
      message: `sources.yaml names "${key}", which no locale has`,
    }));
}

/**
 * Checks the content as a whole: every reviewed locale has every key, placeholders agree across
 * locales, texts fit the strictest channel, and every number a text states is declared, with its source,
 * in sources.yaml. A locale marked reviewed must have every core key reviewed by a speaker (without
 * `reviews`, none is), and voice notes must belong to known keys. Returns all
 * issues rather than stopping at the first, so an editor can fix a file in one pass.
 */
export function lintContent(
  catalog: ContentCatalog,
  registry: LocaleRegistry,
  sources: Sources,
  translations: { reviews?: ReviewLedger; media?: MediaLibrary } = {},
): ContentIssue[] {
  return [
    ...coverageIssues(catalog, registry),
    ...textIssues(catalog, sources),
    ...sourceIssues(catalog, sources),
    ...languageOfferIssues(registry, catalog, translations.reviews ?? emptyReviewLedger),
    ...(translations.media === undefined ? [] : mediaIssues(translations.media, catalog)),
  ];
}
