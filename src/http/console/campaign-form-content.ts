import { writtenContentSchema, writtenTextMaxLength, type CampaignContent } from "../../campaigns/campaign-spec.ts";
import type { WrittenTextProblem } from "../../campaigns/written-text-check.ts";
import { fillText } from "../../console/console-locale.ts";
import type { ConsoleText } from "../../console/console-text/vi.ts";
import type { CampaignFormField, CampaignFormValues } from "../../console/view-models.ts";

/*
 * The content part of the new-campaign form: which content the form asks for, and the problems of text the
 * team wrote in the console's words, each at its language's box.
 */

/** A written text's problem in the console's words. */
export function problemText(words: ConsoleText["campaigns"], problem: WrittenTextProblem): string {
  if (problem.kind === "locale") return words.textLocale;
  return fillText(problem.kind === "number" ? words.textNumber : words.textLink, { found: problem.found });
}

/** The problems of written text per form field (`text-<locale>`), each field's problems in one message. */
export function textErrors(words: ConsoleText["campaigns"], problems: readonly WrittenTextProblem[]): Partial<Record<CampaignFormField, string>> {
  const errors: Partial<Record<CampaignFormField, string>> = {};
  for (const problem of problems) {
    const field: CampaignFormField = `text-${problem.locale}`;
    errors[field] = [errors[field], problemText(words, problem)].filter((part) => part !== undefined).join(" ");
  }
  return errors;
}

/**
 * The content the form asks for: the library keys, or, when any text was typed, the written texts with their
 * topic. Problems of the written texts (no Vietnamese, too long) are added to `errors`.
 */
export function formContent(values: CampaignFormValues, keys: string[], words: ConsoleText["campaigns"], errors: Partial<Record<CampaignFormField, string>>): { content: CampaignContent; writing: boolean } {
  const typed = Object.fromEntries(Object.entries(values.texts).filter(([, text]) => text.trim() !== ""));
  if (Object.keys(typed).length === 0) return { content: { keys }, writing: false };
  const written = writtenContentSchema.safeParse({ texts: typed, ...(values.topic === "" ? {} : { topic: values.topic }) });
  if (written.success) return { content: written.data, writing: true };
  for (const issue of written.error.issues) {
    const [part, locale = "vi"] = issue.path.map(String);
    if (part === "topic") errors.topic = words.topicInvalid;
    else errors[`text-${locale}`] = typed[locale] === undefined ? words.textViMissing : fillText(words.textTooLong, { max: writtenTextMaxLength });
  }
  return { content: { keys }, writing: true };
}
