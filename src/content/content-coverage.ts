import { keyStatus, offeredLocales } from "./language-offer.ts";
import { rootLocale } from "./locale-registry.ts";
import type { MediaLibrary } from "./media-library.ts";
import type { TranslationStatus } from "./review-ledger.ts";
import type { TranslationContext } from "./translation-export.ts";

/** How far one language is, over a set of keys. */
export type CoverageCounts = { text: number; reviewed: number; outdated: number; audio: number };

/** One language's line in the coverage report. */
export type LocaleCoverage = CoverageCounts & { code: string; name: string; nameVi: string; status: "draft" | "reviewed"; offered: boolean };

/**
 * How far every language is: per locale, the Vietnamese keys that have text, are reviewed or outdated, and
 * have a voice note; the same per namespace; and each key's status per locale. Shared by `npm run
 * content:coverage` and the staff console's coverage page, so both always agree.
 */
export type CoverageReport = {
  keys: readonly string[];
  locales: LocaleCoverage[];
  namespaces: Array<{ namespace: string; keys: number; byLocale: Record<string, CoverageCounts> }>;
  statusOf(locale: string, key: string): TranslationStatus;
  hasAudio(locale: string, key: string): boolean;
};

/** Builds the report from the loaded content, reviews and voice notes. */
export function coverageReport(context: TranslationContext, media: MediaLibrary): CoverageReport {
  const { registry, catalog, reviews } = context;
  const keys = catalog.keys(rootLocale);
  const cache = new Map<string, TranslationStatus>();
  const statusOf = (locale: string, key: string): TranslationStatus => {
    const id = `${locale} ${key}`;
    const known = cache.get(id) ?? keyStatus(registry, catalog, reviews, locale, key);
    cache.set(id, known);
    return known;
  };
  const tally = (locale: string, subset: readonly string[]): CoverageCounts => {
    const counts: CoverageCounts = { text: 0, reviewed: 0, outdated: 0, audio: 0 };
    for (const key of subset) {
      const state = statusOf(locale, key);
      if (state !== "missing") counts.text += 1;
      if (state === "reviewed") counts.reviewed += 1;
      if (state === "outdated") counts.outdated += 1;
      if (media.voice(locale, key) !== undefined) counts.audio += 1;
    }
    return counts;
  };
  const offered = new Set(offeredLocales(registry, catalog, reviews).map((locale) => locale.code));
  const namespaces = [...new Set(keys.map((key) => key.slice(0, key.indexOf(":"))))];
  return {
    keys,
    locales: registry.locales.map((locale) => ({
      code: locale.code,
      name: locale.name,
      nameVi: locale.nameVi,
      status: locale.status,
      offered: offered.has(locale.code),
      ...tally(locale.code, keys),
    })),
    namespaces: namespaces.map((namespace) => {
      const subset = keys.filter((key) => key.startsWith(`${namespace}:`));
      return { namespace, keys: subset.length, byLocale: Object.fromEntries(registry.locales.map((locale) => [locale.code, tally(locale.code, subset)])) };
    }),
    statusOf,
    hasAudio: (locale, key) => media.voice(locale, key) !== undefined,
  };
}
