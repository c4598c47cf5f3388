import { z } from "zod";
import { contentKeySchema } from "../engine/flow-schema.ts";
import { questionTopicSchema } from "./question-file.ts";

/**
 * What the model must answer with, as JSON: the topic of the question ("none" when it is about none of
 * Loa's topics), whether it shows danger now, a short answer, and the keys of the approved messages the
 * answer was written from (none, with an empty answer, when it was given no messages). Parsed with zod like
 * any other boundary; anything else is not used.
 */
export const modelReplySchema = z.object({
  topic: z.union([questionTopicSchema, z.literal("none")]),
  urgent: z.boolean(),
  answer: z.string().trim(),
  cites: z.array(contentKeySchema).max(3),
});
export type ModelReply = z.infer<typeof modelReplySchema>;

/**
 * Reads the model's reply: the first JSON object in it (models often wrap JSON in a ```json fence or add a
 * sentence), validated. Undefined when there is none or it does not fit the schema.
 */
export function parseModelReply(content: string): ModelReply | undefined {
  const start = content.indexOf("{");
  const end = content.lastIndexOf("}");
  if (start < 0 || end <= start) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(content.slice(start, end + 1));
  } catch {
    return undefined;
  }
  const parsed = modelReplySchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
