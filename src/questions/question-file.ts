import { access } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { readYamlFile } from "../content/data-file.ts";
import { keyPatternSchema } from "../content/locale-registry.ts";
import { contentKeySchema, topicSchema } from "../engine/flow-schema.ts";

/**
 * `content/questions.yaml`: the words and rules free-text questions are answered with. It is content, so an
 * editor can add a word people use, or a danger sign, without touching code; docs/questions.md explains it.
 */

const phrase = z.string().trim().min(1);

/** What a free-text question can be about (the engine's `QuestionTopic`). */
export const questionTopicSchema = z.union([topicSchema, z.enum(["help", "safety"])]);

/** A word of a minority language, with what it means in Vietnamese; `lang` is the locale code (hmn, blt). */
const minorityWordSchema = z
  .object({
    lang: z.string().regex(/^[a-z]{2,3}$/, "a locale code from locales.yaml, e.g. hmn"),
    word: phrase.describe("as people write it, e.g. in RPA for Mông"),
    means: phrase.describe("the Vietnamese word or words it stands for"),
  })
  .strict();

/**
 * A danger sign: every group must have one of its phrases in the message. The phrase `<under-18>` stands for an
 * age under 18 written in the message ("15 tuổi"), so "marrying a 15-year-old next month" is a child being
 * married off.
 */
const dangerSignSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, "lower-case letters, digits and '-'"),
    topic: z.enum(["violence", "child-marriage", "safe-birth"]),
    all: z.array(z.array(phrase).min(1)).min(1),
  })
  .strict();

/** The phrase of a danger sign that stands for an age under 18. */
export const underEighteen = "<under-18>";

/** The whole file: which keys answer, the word rules, and the danger signs. */
export const questionFileSchema = z
  .object({
    answers: z
      .object({
        include: z.array(keyPatternSchema).min(1).describe("keys that may answer a question"),
        exclude: z.array(keyPatternSchema).default([]).describe("keys among them that may not (quizzes, prompts)"),
        topics: z
          .record(keyPatternSchema, questionTopicSchema)
          .default({})
          .describe("what a key is about when its namespace is not a topic; the first pattern that matches wins"),
        phrasings: z
          .record(contentKeySchema, z.array(phrase).min(1))
          .default({})
          .describe("ways people ask for a key's message, matched as if they were part of its text"),
      })
      .strict(),
    words: z
      .object({
        ignore: z.array(phrase).default([]).describe("words too common to tell messages apart"),
        questionWords: z.array(phrase).default([]).describe("words that make a text read as a question"),
        shorthand: z.record(phrase, phrase).default({}).describe("texting shorthand and what it stands for"),
        same: z.array(z.array(phrase).min(2)).default([]).describe("words that mean the same; the first one is used"),
        minority: z.array(minorityWordSchema).default([]),
      })
      .strict(),
    markedOnly: z
      .array(phrase)
      .default([])
      .describe("danger words that count only when typed with their diacritics: without them they read as common words"),
    danger: z.array(dangerSignSchema).default([]),
  })
  .strict();

export type QuestionFile = z.infer<typeof questionFileSchema>;

/** The file's name inside the content folder. */
export const questionFileName = "questions.yaml";

/**
 * Loads `<contentDir>/questions.yaml`; undefined when the content has none (then questions are not answered
 * and unexpected text is asked again, as before). A file that exists but is invalid is a ContentError.
 */
export async function loadQuestionFile(contentDir: string): Promise<QuestionFile | undefined> {
  const file = join(contentDir, questionFileName);
  try {
    await access(file);
  } catch {
    return undefined;
  }
  return readYamlFile(file, questionFileSchema);
}
