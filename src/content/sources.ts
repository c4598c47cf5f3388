import { join } from "node:path";
import { z } from "zod";
import { contentKeySchema } from "../engine/flow-schema.ts";
import { readYamlFile } from "./data-file.ts";

/** Where a fact comes from, and when someone last checked that the page still says it. */
export const sourceSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    checked: z.iso.date().describe("YYYY-MM-DD"),
    note: z.string().min(1).optional().describe("which article, table or line of the page, if it helps"),
  })
  .strict();
export type Source = z.infer<typeof sourceSchema>;

/**
 * The facts one content key states and what backs them. `numbers` lists every number its text may
 * contain (ages, article numbers, amounts, percentages, phone numbers), written as in the text; the
 * content lint fails on any other number, so a translator or editor cannot add a fact without a source.
 */
export const sourcedKeySchema = z
  .object({
    numbers: z
      .array(z.string().regex(/^\+?\d[\d .,/]*$/, "a number as written in the text, e.g. 18, 1.000.000, 1900 969 680, 38,5"))
      .default([]),
    sources: z.array(sourceSchema).min(1),
  })
  .strict();
export type SourcedKey = z.infer<typeof sourcedKeySchema>;

/**
 * `content/sources.yaml`: for every content key whose text states a fact, the pages that back it and the
 * numbers it may state. Keys are locale-independent: one entry covers a key in every language.
 */
export const sourcesSchema = z.record(contentKeySchema, sourcedKeySchema);
export type Sources = z.infer<typeof sourcesSchema>;

/** Loads and validates `<contentDir>/sources.yaml`. */
export async function loadSources(contentDir: string): Promise<Sources> {
  return readYamlFile(join(contentDir, "sources.yaml"), sourcesSchema);
}
