import type { ContentCatalog } from "../content/content-catalog.ts";
import { ContentError } from "../content/content-error.ts";
import { keyStatus } from "../content/language-offer.ts";
import { fallbackChain, matchesKeyPattern, rootLocale, type LocaleRegistry } from "../content/locale-registry.ts";
import type { ReviewLedger } from "../content/review-ledger.ts";
import { topicSchema } from "../engine/flow-schema.ts";
import type { QuestionTopic } from "../engine/question-lookup.ts";
import type { IndexedMessage } from "./lexical-index.ts";
import { questionFileName, type QuestionFile } from "./question-file.ts";

/** What the corpus needs from the loaded content. */
export type ApprovedContent = { catalog: ContentCatalog; registry: LocaleRegistry; reviews: ReviewLedger };

/** One content key that may answer a question, with what it is about and how people ask for it. */
export type AnswerKey = { key: string; topic: QuestionTopic; phrasings: readonly string[] };

/**
 * The keys questions may be answered with: the Vietnamese keys the file includes and does not exclude, whole
 * texts only (no keyword lists, no `{{placeholders}}` that need values). Each needs a topic: its namespace
 * when that is a programme topic, else the first `topics` pattern that names it. A pattern that names no key,
 * or a key without a topic, is an editor's mistake and stops start-up and `npm run check`.
 */
export function answerKeys(content: ApprovedContent, answers: QuestionFile["answers"], contentDir: string): AnswerKey[] {
  const file = `${contentDir}/${questionFileName}`;
  const all = content.catalog.keys(rootLocale);
  for (const pattern of [...answers.include, ...answers.exclude, ...Object.keys(answers.topics)]) {
    if (!all.some((key) => matchesKeyPattern(pattern, key))) {
      throw new ContentError(`${file}: "${pattern}" names no ${rootLocale} key`, "content:file-invalid", { context: { file, pattern } });
    }
  }
  const included = (key: string) =>
    answers.include.some((pattern) => matchesKeyPattern(pattern, key)) && !answers.exclude.some((pattern) => matchesKeyPattern(pattern, key));
  for (const key of Object.keys(answers.phrasings)) {
    if (!included(key)) {
      throw new ContentError(`${file}: phrasings name "${key}", which is not a key questions are answered with`, "content:file-invalid", {
        context: { file, key },
      });
    }
  }
  const keys = all.filter((key) => {
    const value = content.catalog.value(rootLocale, key);
    return typeof value === "string" && !value.includes("{{") && included(key);
  });
  return keys.map((key) => {
    const mapped = Object.entries(answers.topics).find(([pattern]) => matchesKeyPattern(pattern, key))?.[1];
    const namespace = topicSchema.safeParse(key.slice(0, key.indexOf(":")));
    const topic = mapped ?? (namespace.success ? namespace.data : undefined);
    if (topic === undefined) {
      throw new ContentError(`${file}: "${key}" may answer questions but has no topic; add it under answers.topics`, "content:file-invalid", {
        context: { file, key },
      });
    }
    return { key, topic, phrasings: answers.phrasings[key] ?? [] };
  });
}

/**
 * The approved text of each answer key for a person in `locale`: the first locale of her fallback chain (the
 * same chain the renderer uses) whose text of that key is approved: Vietnamese and English as the team wrote
 * them, any other language only where a speaker's review in content/reviews covers the current text. A draft
 * translation is never used to answer a question.
 */
export function approvedMessages(content: ApprovedContent, keys: readonly AnswerKey[], locale: string): Array<IndexedMessage<QuestionTopic> & { locale: string }> {
  const chain = fallbackChain(content.registry, locale);
  return keys.flatMap(({ key, topic, phrasings }) => {
    const from = chain.find((candidate) => keyStatus(content.registry, content.catalog, content.reviews, candidate, key) === "reviewed");
    return from === undefined ? [] : [{ key, topic, phrasings, text: content.catalog.render(key, from).text, locale: from }];
  });
}
