import { join } from "node:path";
import { z } from "zod";
import { readYamlFile } from "./data-file.ts";

/**
 * The locale every chain of fallbacks ends in. Vietnamese is the language every piece of content is
 * written in first, so a message missing in any other locale can still be said.
 */
export const rootLocale = "vi";

const localeCode = z
  .string()
  .regex(/^[a-z]{2,3}$/, "a locale code is 2–3 lower-case letters, e.g. vi, en, hmn");

/** One language the bot can speak, as listed in `content/locales.yaml`. */
export const localeSchema = z
  .object({
    code: localeCode.describe("short code used for content folders and stored on contacts, e.g. vi"),
    iso639_3: z.string().regex(/^[a-z]{3}$/, "an ISO 639-3 code is three lower-case letters, e.g. vie"),
    name: z.string().min(1).describe("the language's name in the language itself, shown to the person choosing"),
    nameVi: z.string().min(1).describe("the language's name in Vietnamese, shown to staff, e.g. Tiếng Mông"),
    script: z
      .string()
      .regex(/^[A-Z][a-z]+(_[A-Z][a-z]+)*$/, "a Unicode script name, e.g. Latin, Tai_Viet, Khmer")
      .describe("the writing system, as a Unicode script property name"),
    status: z.enum(["draft", "reviewed"]).describe("reviewed locales must have every key"),
    fallback: localeCode.nullable().describe("the locale used when a key is missing; null for none"),
  })
  .strict();
export type Locale = z.infer<typeof localeSchema>;

/**
 * A content key or a family of keys: `common:*` (a whole namespace), `common:triggers.*` (every key under a
 * prefix) or `common:welcome` (one key).
 */
export const keyPatternSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]*:(\*|[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\.\*)?)$/,
    "a key pattern looks like common:*, common:triggers.* or common:welcome",
  );

/** Whether `key` (`namespace:key`) is one of the keys `pattern` names. */
export function matchesKeyPattern(pattern: string, key: string): boolean {
  if (pattern.endsWith(":*") || pattern.endsWith(".*")) return key.startsWith(pattern.slice(0, -1));
  return key === pattern;
}

/**
 * The whole registry; the checks across entries keep every fallback chain finite and ending in `vi`.
 * `coreKeys` lists the keys a person needs before a language can be offered to her (see language-offer.ts).
 */
export const localeRegistrySchema = z
  .object({
    coreKeys: z
      .array(keyPatternSchema)
      .min(1)
      .describe("keys that must be reviewed in a locale before it is offered, e.g. common:*"),
    locales: z.array(localeSchema).min(1),
  })
  .strict()
  .superRefine((registry, context) => {
    const byCode = new Map<string, Locale>();
    const isoCodes = new Set<string>();
    registry.locales.forEach((locale, index) => {
      if (byCode.has(locale.code)) {
        context.addIssue({ code: "custom", path: ["locales", index, "code"], message: `"${locale.code}" is listed twice` });
      }
      if (isoCodes.has(locale.iso639_3)) {
        context.addIssue({
          code: "custom",
          path: ["locales", index, "iso639_3"],
          message: `"${locale.iso639_3}" is listed twice`,
        });
      }
      byCode.set(locale.code, locale);
      isoCodes.add(locale.iso639_3);
    });
    const root = byCode.get(rootLocale);
    if (root === undefined || root.status !== "reviewed" || root.fallback !== null) {
      context.addIssue({
        code: "custom",
        path: ["locales"],
        message: `"${rootLocale}" must be listed, reviewed, with fallback null`,
      });
    }
    registry.locales.forEach((locale, index) => {
      const seen = new Set<string>([locale.code]);
      let next = locale.fallback;
      while (next !== null) {
        const target = byCode.get(next);
        if (target === undefined) {
          context.addIssue({
            code: "custom",
            path: ["locales", index, "fallback"],
            message: `fallback chain of "${locale.code}" names "${next}", which is not listed`,
          });
          return;
        }
        if (seen.has(next)) {
          context.addIssue({
            code: "custom",
            path: ["locales", index, "fallback"],
            message: `fallback chain of "${locale.code}" loops through "${next}"`,
          });
          return;
        }
        seen.add(next);
        next = target.fallback;
      }
    });
  });
export type LocaleRegistry = z.infer<typeof localeRegistrySchema>;

/** Loads and validates `<contentDir>/locales.yaml`. */
export async function loadLocaleRegistry(contentDir: string): Promise<LocaleRegistry> {
  return readYamlFile(join(contentDir, "locales.yaml"), localeRegistrySchema);
}

/** Finds a registered locale by its short code. */
export function findLocale(registry: LocaleRegistry, code: string): Locale | undefined {
  return registry.locales.find((locale) => locale.code === code);
}

/**
 * The locales to try, in order, for a message in `code`: itself, its fallbacks, then `vi`.
 * An unregistered code still gets `vi`, so a contact with a retired locale is never left silent.
 */
export function fallbackChain(registry: LocaleRegistry, code: string): string[] {
  const chain = [code];
  let next = findLocale(registry, code)?.fallback ?? null;
  while (next !== null && !chain.includes(next)) {
    chain.push(next);
    next = findLocale(registry, next)?.fallback ?? null;
  }
  if (!chain.includes(rootLocale)) chain.push(rootLocale);
  return chain;
}
