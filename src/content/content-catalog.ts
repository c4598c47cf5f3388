import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import i18next from "i18next";
import { z } from "zod";
import type { TriggerKeywords, TriggerName } from "../engine/flow-definition.ts";
import { ContentError } from "./content-error.ts";
import { readJsonFile, validateFileContent } from "./data-file.ts";
import { fallbackChain, loadLocaleRegistry, type LocaleRegistry } from "./locale-registry.ts";

/** A stored text: a message (string) or a keyword list (array of strings, used for triggers). */
export type ContentValue = string | readonly string[];

/** What `render` returns: the text, the locale it came from, and whether the requested locale lacked it. */
export type RenderedText = { text: string; locale: string; missing: boolean };

/** Values for `{{placeholders}}` in a text. */
export type RenderParams = Readonly<Record<string, string | number>>;

/**
 * All words the bot can say, in every registered locale. Lookups by `hasKey`, `value` and `keys` are
 * exact (no fallback), so coverage can be checked; `render` falls back so a person always gets a message.
 */
export type ContentCatalog = {
  /** Registered locale codes, in registry order. */
  readonly locales: readonly string[];
  /** Whether `locale` itself has `key` (`namespace:key`); fallbacks are not consulted. */
  hasKey(locale: string, key: string): boolean;
  /** The stored value of `key` in `locale` exactly, before interpolation; undefined when absent. */
  value(locale: string, key: string): ContentValue | undefined;
  /** Renders `key` for `locale`, falling back along the registry chain, then to `vi`; never throws. */
  render(key: string, locale: string, params?: RenderParams): RenderedText;
  /** Every `common:triggers.*` keyword list, merged over all locales and deduplicated. */
  keywords(): TriggerKeywords;
  /** Every key of `locale` as `namespace:key`, sorted; a keyword list counts as one key. */
  keys(locale: string): string[];
};

const keySegment = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, "a key part uses letters, digits, '_' and '-' (dots separate parts)");

type ContentTree = { [key: string]: string | string[] | ContentTree };

const contentTreeSchema: z.ZodType<ContentTree> = z.lazy(() =>
  z.record(
    keySegment,
    z.union([z.string(), z.array(z.string().min(1)).min(1), contentTreeSchema], {
      error: "expected a text, a non-empty list of texts, or an object of keys",
    }),
  ),
);

const keywordList = z.array(z.string().trim().min(1)).min(1);

/** `common.json` may hold more keys, but its `triggers` must be known names holding keyword lists. */
const commonTriggersSchema = z
  .object({
    triggers: z
      .object({
        emergency: keywordList.optional(),
        stop: keywordList.optional(),
        deletion: keywordList.optional(),
        language: keywordList.optional(),
        home: keywordList.optional(),
        help: keywordList.optional(),
        yes: keywordList.optional(),
        no: keywordList.optional(),
      })
      .strict()
      .optional(),
  })
  .loose();

const namespaceName = /^[a-z][a-z0-9-]*$/;

function flatten(tree: ContentTree, namespace: string, prefix: string, into: Map<string, ContentValue>): void {
  for (const [segment, value] of Object.entries(tree)) {
    const path = prefix === "" ? segment : `${prefix}.${segment}`;
    if (typeof value === "string" || Array.isArray(value)) into.set(`${namespace}:${path}`, value);
    else flatten(value, namespace, path, into);
  }
}

async function listJsonFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => name.endsWith(".json")).sort();
  } catch (cause) {
    if (cause instanceof Error && "code" in cause && cause.code === "ENOENT") return [];
    throw new ContentError(`cannot list ${dir}`, "content:file-unreadable", { cause, context: { dir } });
  }
}

type LocaleContent = { texts: Map<string, ContentValue>; trees: Record<string, ContentTree> };

async function loadLocaleContent(contentDir: string, locale: string): Promise<LocaleContent> {
  const dir = join(contentDir, locale);
  const texts = new Map<string, ContentValue>();
  const trees: Record<string, ContentTree> = {};
  for (const name of await listJsonFiles(dir)) {
    const file = join(dir, name);
    const namespace = basename(name, ".json");
    if (!namespaceName.test(namespace)) {
      throw new ContentError(`${file}: a namespace file name uses lower-case letters, digits and '-'`, "content:file-invalid", {
        context: { file, locale, namespace },
      });
    }
    const tree = await readJsonFile(file, contentTreeSchema);
    if (namespace === "common") validateFileContent(commonTriggersSchema, tree, file);
    trees[namespace] = tree;
    flatten(tree, namespace, "", texts);
  }
  return { texts, trees };
}

/**
 * Loads `<contentDir>/locales.yaml` and every `<contentDir>/<locale>/<namespace>.json`, validating each
 * file. A registered locale without a folder simply has no keys (lint reports it if it is reviewed).
 */
export async function loadContentCatalog(contentDir: string): Promise<ContentCatalog> {
  const registry = await loadLocaleRegistry(contentDir);
  const byLocale = new Map<string, LocaleContent>();
  for (const { code } of registry.locales) {
    byLocale.set(code, await loadLocaleContent(contentDir, code));
  }
  return createContentCatalog(registry, byLocale);
}

async function createContentCatalog(
  registry: LocaleRegistry,
  byLocale: ReadonlyMap<string, LocaleContent>,
): Promise<ContentCatalog> {
  const resources: Record<string, Record<string, ContentTree>> = {};
  const namespaces = new Set<string>(["common"]);
  for (const [locale, content] of byLocale) {
    resources[locale] = content.trees;
    for (const namespace of Object.keys(content.trees)) namespaces.add(namespace);
  }
  const i18n = i18next.createInstance();
  await i18n.init({
    resources,
    lng: registry.locales[0]?.code,
    fallbackLng: false,
    ns: [...namespaces],
    defaultNS: "common",
    load: "currentOnly",
    interpolation: { escapeValue: false },
    returnNull: false,
    joinArrays: "\n",
    initAsync: false,
  });

  const value = (locale: string, key: string): ContentValue | undefined => byLocale.get(locale)?.texts.get(key);
  const hasKey = (locale: string, key: string): boolean => value(locale, key) !== undefined;

  return {
    locales: registry.locales.map((locale) => locale.code),
    hasKey,
    value,
    render(key, locale, params = {}) {
      for (const candidate of fallbackChain(registry, locale)) {
        if (!hasKey(candidate, key)) continue;
        const text = i18n.t(key, { lng: candidate, replace: { ...params } });
        return { text, locale: candidate, missing: candidate !== locale };
      }
      return { text: key, locale, missing: true };
    },
    keywords() {
      const collect = (name: TriggerName): string[] => {
        const words = new Set<string>();
        for (const { code } of registry.locales) {
          const list = value(code, `common:triggers.${name}`);
          if (Array.isArray(list)) for (const word of list) words.add(word.trim().normalize("NFC"));
        }
        return [...words];
      };
      return {
        emergency: collect("emergency"),
        stop: collect("stop"),
        deletion: collect("deletion"),
        language: collect("language"),
        home: collect("home"),
        help: collect("help"),
        yes: collect("yes"),
        no: collect("no"),
      };
    },
    keys(locale) {
      return [...(byLocale.get(locale)?.texts.keys() ?? [])].sort();
    },
  };
}
