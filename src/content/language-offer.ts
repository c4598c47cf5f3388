import type { ContentCatalog } from "./content-catalog.ts";
import type { ContentIssue } from "./content-lint.ts";
import { matchesKeyPattern, rootLocale, type LocaleRegistry } from "./locale-registry.ts";
import { translationStatus, type ReviewLedger, type TranslationStatus } from "./review-ledger.ts";

/**
 * Which languages the bot may offer a person. A woman who reads Vietnamese poorly trusts the words in her
 * own language; a wrong or machine-made sentence about violence or childbirth can harm her. So a minority
 * language is offered only once a human speaker has reviewed every text she needs, against the current
 * Vietnamese: the registry status alone is not enough.
 */

/**
 * Locales written by the team itself (Vietnamese, the source, and English, for partners). Their texts need
 * no per-key review records: their registry status is their review. Every other locale needs one per key.
 */
export const teamWrittenLocales: ReadonlySet<string> = new Set([rootLocale, "en"]);

/** The core keys as concrete keys: every Vietnamese key that a `coreKeys` pattern names, sorted. */
export function coreKeysOf(registry: LocaleRegistry, catalog: ContentCatalog): string[] {
  return catalog.keys(rootLocale).filter((key) => registry.coreKeys.some((pattern) => matchesKeyPattern(pattern, key)));
}

/**
 * The status of `key` in `locale`. Team-written locales count as reviewed wherever they have text, as long as
 * the registry marks them reviewed; other locales need a current human review record for the exact text.
 */
export function keyStatus(
  registry: LocaleRegistry,
  catalog: ContentCatalog,
  reviews: ReviewLedger,
  locale: string,
  key: string,
): TranslationStatus {
  const text = catalog.value(locale, key);
  if (teamWrittenLocales.has(locale)) {
    if (text === undefined) return "missing";
    const registered = registry.locales.find((entry) => entry.code === locale);
    return registered?.status === "reviewed" ? "reviewed" : "draft";
  }
  return translationStatus(catalog.value(rootLocale, key), text, reviews.record(locale, key));
}

/** The core keys of `locale` that are not reviewed and current, with their status. */
function unreviewedCoreKeys(
  registry: LocaleRegistry,
  catalog: ContentCatalog,
  reviews: ReviewLedger,
  locale: string,
): Array<{ key: string; status: TranslationStatus }> {
  return coreKeysOf(registry, catalog)
    .map((key) => ({ key, status: keyStatus(registry, catalog, reviews, locale, key) }))
    .filter((entry) => entry.status !== "reviewed");
}

/**
 * The languages a person may choose, in registry order, each with its name in the language itself.
 * Vietnamese always. Any other locale only when the registry marks it reviewed AND every core key has text
 * with a current human review (team-written locales: text, and their registry status). The language menu
 * is built from exactly this list.
 */
export function offeredLocales(
  registry: LocaleRegistry,
  catalog: ContentCatalog,
  reviews: ReviewLedger,
): Array<{ code: string; name: string }> {
  return registry.locales
    .filter(
      (locale) =>
        locale.code === rootLocale ||
        (locale.status === "reviewed" && unreviewedCoreKeys(registry, catalog, reviews, locale.code).length === 0),
    )
    .map((locale) => ({ code: locale.code, name: locale.name }));
}

/**
 * Lint: a locale marked reviewed whose core keys are not all reviewed and current is an error (it would not
 * be offered, and the registry would be telling staff something untrue); a core key pattern that names no
 * Vietnamese key is a warning (probably a typo, so the rule it was meant to enforce is not enforced).
 */
export function languageOfferIssues(registry: LocaleRegistry, catalog: ContentCatalog, reviews: ReviewLedger): ContentIssue[] {
  const issues: ContentIssue[] = [];
  const viKeys = catalog.keys(rootLocale);
  for (const pattern of registry.coreKeys) {
    if (!viKeys.some((key) => matchesKeyPattern(pattern, key))) {
      issues.push({
        severity: "warning",
        code: "unmatched-core-keys",
        message: `core key pattern "${pattern}" in locales.yaml names no ${rootLocale} key`,
      });
    }
  }
  for (const locale of registry.locales) {
    if (locale.status !== "reviewed" || locale.code === rootLocale) continue;
    for (const { key, status } of unreviewedCoreKeys(registry, catalog, reviews, locale.code)) {
      const why =
        status === "missing"
          ? "has no text"
          : status === "outdated"
            ? `is outdated: the ${rootLocale} text changed since it was reviewed`
            : "has no current review by a speaker";
      issues.push({
        severity: "error",
        code: "unreviewed-core-key",
        locale: locale.code,
        key,
        message: `${locale.code} is marked reviewed, but core key "${key}" ${why}; mark it draft or review the key`,
      });
    }
  }
  return issues;
}
