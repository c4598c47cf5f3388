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
 * `content/sources.yaml`: for every content key whose text states a fact (an age, a law article, a
 * count, a phone number), the pages that back it. Keys are locale-independent: one entry covers a key
 * in every language.
 */
export const sourcesSchema = z.record(contentKeySchema, z.array(sourceSchema).min(1));
export type Sources = z.infer<typeof sourcesSchema>;

/** Loads and validates `<contentDir>/sources.yaml`. */
export async function loadSources(contentDir: string): Promise<Sources> {
  return readYamlFile(join(contentDir, "sources.yaml"), sourcesSchema);
}
