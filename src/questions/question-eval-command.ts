import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { resolve } from "node:path";
import { loadBotAssets } from "../bot/bot-assets.ts";
import { LoaError } from "../errors.ts";
import { createAnswerComposer } from "./answer-composer.ts";
import { formatEvalReport, loadEvalQuestions, runQuestionEval } from "./question-eval.ts";
import { scriptedModel } from "./scripted-model.ts";

/** The labelled questions, relative to the project root. */
export const evalQuestionsFile = "eval/qa-questions.yaml";

/** Every how many questions the scripted model invents a phone number, so the report shows the check at work. */
export const inventEvery = 10;

/**
 * `npm run eval:qa`: runs the labelled questions through the shipped content with the configured model, or,
 * when none is configured, with a scripted fake model from @langchain/core's testing utilities. Prints topic
 * accuracy, urgency recall on the danger subset and grounding violations; exits 1 when a danger question was
 * missed or an ungrounded answer would have been sent.
 */
export async function runQuestionEvalCommand(options: {
  projectRoot: string;
  flowsDir: string;
  contentDir: string;
  model: { model: BaseChatModel; name: string } | undefined;
  timeoutMs: number;
  details: boolean;
  write: (line: string) => void;
}): Promise<number> {
  const assets = await loadBotAssets({ flowsDir: options.flowsDir, contentDir: options.contentDir, defaultLocale: "vi" });
  const index = assets.questionIndex;
  if (index === undefined) throw new LoaError(`${options.contentDir} has no questions.yaml`, "questions:no-index");
  const questions = await loadEvalQuestions(resolve(options.projectRoot, evalQuestionsFile));
  const real = options.model;
  const report = await runQuestionEval(
    {
      index,
      keywords: assets.catalog.keywords(),
      directoryNumbers: assets.directory.map((entry) => entry.phone),
      locale: "vi",
      composerFor: (_, context) =>
        createAnswerComposer({
          model: real?.model ?? scriptedModel({ topic: context.topic, messages: context.messages, invent: context.position % inventEvery === 0 }),
          timeoutMs: options.timeoutMs,
        }),
    },
    questions,
  );
  for (const line of formatEvalReport(report, real?.name ?? "scripted fake (no QA_MODEL_URL)", options.details)) options.write(line);
  return report.urgencyRecall === 1 && report.groundingViolations === 0 ? 0 : 1;
}
