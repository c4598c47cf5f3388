import { join } from "node:path";
import { loadContentCatalog, type ContentCatalog } from "../content/content-catalog.ts";
import { lintContent, type ContentIssue } from "../content/content-lint.ts";
import { offeredLocales } from "../content/language-offer.ts";
import { loadLocaleRegistry } from "../content/locale-registry.ts";
import { loadMediaLibrary, type MediaLibrary } from "../content/media-library.ts";
import { optionLabelIssues } from "../content/option-label-lint.ts";
import { createMessageRenderer, fallbackNoticeKey, type MessageRenderer } from "../content/message-renderer.ts";
import { loadReviewLedger } from "../content/review-ledger.ts";
import { loadSources } from "../content/sources.ts";
import type { DirectoryEntry, FileDirectoryEntry } from "../directory/directory-entry.ts";
import { loadDirectory } from "../directory/directory-loader.ts";
import { helpContentKeys } from "../directory/help-message.ts";
import { defaultEngineLimits, type EngineLimits, type EngineSetup, type OfferedLanguage } from "../engine/flow-definition.ts";
import { inspectFlows, type ContentKeyIndex } from "../engine/flow-inspector.ts";
import { FlowError, type FlowIssue } from "../engine/flow-issue.ts";
import { loadFlows } from "../engine/flow-loader.ts";
import { noPlaces, type PlaceLookup } from "../engine/place-lookup.ts";
import { placeContentKeys } from "../engine/place-step.ts";
import { engineContentKeys } from "../engine/turn.ts";
import { loadQuestionFile } from "../questions/question-file.ts";
import { createQuestionIndex, type QuestionIndex } from "../questions/question-index.ts";

/**
 * Data staff change while Loa runs, read from the database: provinces and communes, and the local help
 * entries they imported. A running bot is rebuilt with new reference data without reloading its files.
 */
export type ReferenceData = { places: PlaceLookup; localHelp: readonly DirectoryEntry[] };

/** No places and no local help: a bot that can still talk, and gives the national numbers. */
export const emptyReferenceData: ReferenceData = { places: noPlaces, localHelp: [] };

/** The public address of a voice note file under `content/media`, as served by `/media/...`. */
export function mediaFileUrl(publicUrl: string, file: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/media/${file.split("/").map(encodeURIComponent).join("/")}`;
}

/** A bot ready to take turns: the engine setup and the renderer, bound to one version of the reference data. */
export type ActiveBot = { setup: EngineSetup; renderer: MessageRenderer };

/** Everything a running bot needs from its files: the engine setup, the renderer, and what checking found. */
export type BotAssets = ActiveBot & {
  catalog: ContentCatalog;
  /** The national numbers shipped in content/directory. */
  directory: FileDirectoryEntry[];
  /** The languages the bot offers. */
  languages: readonly OfferedLanguage[];
  /** Voice notes per key and locale, and the content folder their files live in. */
  media: MediaLibrary;
  contentDir: string;
  flowsDir: string;
  /** The same bot with other reference data, e.g. after staff imported places or help entries. */
  bind(reference: ReferenceData): ActiveBot;
  /** Danger signs and approved answers for free-text questions; undefined when the content has no questions.yaml. */
  questionIndex: QuestionIndex | undefined;
  flowIssues: FlowIssue[];
  contentIssues: ContentIssue[];
};

/** Keys the engine, the renderer and the directory need in every shipped locale, beyond those flows name. */
function requiredKeys(directory: readonly DirectoryEntry[]): string[] {
  return [
    ...Object.values(engineContentKeys),
    ...Object.values(placeContentKeys),
    fallbackNoticeKey,
    ...Object.values(helpContentKeys),
    ...directory.map((entry) => entry.name),
  ];
}

function checkRequiredKeys(content: ContentKeyIndex, keys: readonly string[], contentDir: string): FlowIssue[] {
  return keys.flatMap((key) =>
    content.locales
      .filter((locale) => !content.hasKey(locale, key))
      .map((locale) => ({ severity: "error" as const, file: join(contentDir, locale), locale, message: `content key "${key}" is missing` })),
  );
}

/**
 * Loads and checks flows, content and the help directory together. Throws a `FlowError` listing every flow
 * problem (dangling nodes, loops with no wait, content keys missing in a shipped locale); content lint
 * results are returned so `npm run check` can print them and start-up can refuse errors.
 */
export async function loadBotAssets(options: {
  flowsDir: string;
  contentDir: string;
  defaultLocale: string;
  limits?: EngineLimits;
  reference?: ReferenceData;
  /** Help entries verified longer ago than this many months are shown with their date. */
  staleMonths?: number;
  /** Where platforms fetch voice notes stored as files (`<publicUrl>/media/...`); without it only voice notes given by URL are sent. */
  publicUrl?: string;
  /** True when free-text questions go to a model on another server: the privacy notice then says so. */
  questionsHosted?: boolean;
  now?: () => Date;
}): Promise<BotAssets> {
  const catalog = await loadContentCatalog(options.contentDir);
  const registry = await loadLocaleRegistry(options.contentDir);
  const sources = await loadSources(options.contentDir);
  const reviews = await loadReviewLedger(options.contentDir);
  const media = await loadMediaLibrary(options.contentDir);
  const directory = await loadDirectory(join(options.contentDir, "directory"));
  const { flows, settings } = await loadFlows(options.flowsDir);
  // Only reviewed locales must have every key; a draft locale falls back to Vietnamese, said aloud.
  const reviewedLocales = registry.locales.filter((locale) => locale.status === "reviewed").map((locale) => locale.code);
  const content: ContentKeyIndex = { locales: reviewedLocales, hasKey: (locale, key) => catalog.hasKey(locale, key) };
  const flowIssues = [
    ...inspectFlows(flows, settings, join(options.flowsDir, "bot.yaml"), content),
    ...checkRequiredKeys(content, requiredKeys(directory), options.contentDir),
  ];
  if (flowIssues.some((issue) => issue.severity === "error")) throw new FlowError(flowIssues);
  const labels = new Map<string, string[]>();
  const labelsOf = (key: string): readonly string[] => {
    let words = labels.get(key);
    if (!words) {
      words = catalog.locales.filter((locale) => catalog.hasKey(locale, key)).map((locale) => catalog.render(key, locale).text);
      labels.set(key, words);
    }
    return words;
  };
  const languages: OfferedLanguage[] = offeredLocales(registry, catalog, reviews);
  const questionFile = await loadQuestionFile(options.contentDir);
  const questionIndex =
    questionFile === undefined
      ? undefined
      : createQuestionIndex({
          file: questionFile,
          content: { catalog, registry, reviews },
          contentDir: options.contentDir,
          defaultLocale: options.defaultLocale,
          hostedModel: options.questionsHosted ?? false,
        });
  const bind = (reference: ReferenceData): ActiveBot => ({
    setup: {
      flows,
      settings,
      keywords: catalog.keywords(),
      limits: options.limits ?? defaultEngineLimits,
      labelsOf,
      places: reference.places,
      languages,
      ...(questionIndex === undefined ? {} : { questions: questionIndex }),
    },
    renderer: createMessageRenderer({
      catalog,
      directory: [...reference.localHelp, ...directory],
      defaultLocale: options.defaultLocale,
      now: options.now ?? (() => new Date()),
      ...(options.staleMonths === undefined ? {} : { staleMonths: options.staleMonths }),
      media,
      mediaUrl: (note) => note.url ?? (note.file === undefined || options.publicUrl === undefined ? undefined : mediaFileUrl(options.publicUrl, note.file)),
    }),
  });
  return {
    ...bind(options.reference ?? emptyReferenceData),
    bind,
    questionIndex,
    catalog,
    directory,
    languages,
    media,
    contentDir: options.contentDir,
    flowsDir: options.flowsDir,
    flowIssues,
    contentIssues: [...lintContent(catalog, registry, sources, { reviews, media }), ...optionLabelIssues(flows, catalog)],
  };
}
