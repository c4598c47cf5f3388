import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createAnswerComposer } from "../../src/questions/answer-composer.ts";
import { groundingProblems } from "../../src/questions/grounding-check.ts";
import { evalQuestionsFile } from "../../src/questions/question-eval-command.ts";
import { loadEvalQuestions, runQuestionEval, type EvalSetup } from "../../src/questions/question-eval.ts";
import type { QuestionIndex } from "../../src/questions/question-index.ts";
import { inventedPhoneNumber, scriptedModel } from "../../src/questions/scripted-model.ts";
import { loadShippedAssets } from "../support/pipeline-harness.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The eval as `npm run eval:qa` runs it without a model, inventing a phone number every `inventEvery` replies. */
async function evalSetup(inventEvery: number): Promise<EvalSetup> {
  const assets = await loadShippedAssets();
  return {
    index: assets.questionIndex as QuestionIndex,
    keywords: assets.catalog.keywords(),
    directoryNumbers: assets.directory.map((entry) => entry.phone),
    locale: "vi",
    composerFor: (_, context) =>
      createAnswerComposer({ model: scriptedModel({ topic: context.topic, messages: context.messages, invent: context.position % inventEvery === 0 }), timeoutMs: 2_000 }),
  };
}

describe("the question eval", () => {
  it("has at least 200 labelled questions in every form, minority words marked with their meaning", async () => {
    const questions = await loadEvalQuestions(`${root}${evalQuestionsFile}`);
    expect(questions.length).toBeGreaterThanOrEqual(200);
    const forms = new Set(questions.map((question) => question.form));
    expect([...forms].sort()).toEqual(["accented", "blt", "hmn", "plain", "typo"]);
    expect(questions.filter((question) => question.form === "hmn" || question.form === "blt").every((question) => (question.words ?? []).length > 0)).toBe(true);
    expect(questions.filter((question) => question.urgent).length).toBeGreaterThanOrEqual(40);
  });

  it("finds every danger question, sends nothing ungrounded, and gets the topic right", async () => {
    const questions = await loadEvalQuestions(`${root}${evalQuestionsFile}`);
    const report = await runQuestionEval(await evalSetup(10), questions);
    expect(report.urgencyRecall).toBe(1);
    expect(report.groundingViolations).toBe(0);
    expect(report.caughtByCheck).toBeGreaterThan(0);
    expect(report.topicAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("catches a model that invents a phone number in every answer: none of them is sent", async () => {
    const questions = (await loadEvalQuestions(`${root}${evalQuestionsFile}`)).filter((question) => !question.urgent && question.topic !== "none");
    const report = await runQuestionEval(await evalSetup(1), questions);
    const composed = report.results.filter((result) => result.model === "composed");
    expect(composed).toEqual([]);
    expect(report.caughtByCheck).toBe(report.results.filter((result) => result.model !== undefined && result.model !== "classified").length);
    expect(report.groundingViolations).toBe(0);
  });

  it("would have sent the invented number without the check (so the figures above can fail)", async () => {
    const assets = await loadShippedAssets();
    const messages = (assets.questionIndex as QuestionIndex).texts(["safe-birth:facility"], "vi");
    const reply = await scriptedModel({ topic: "safe-birth", messages, invent: true }).invoke("đẻ ở nhà được không");
    expect(reply.text).toContain(inventedPhoneNumber);
    const answer = (JSON.parse(reply.text) as { answer: string }).answer;
    expect(groundingProblems(answer, messages.map((message) => message.text), [])).toEqual([{ kind: "number", value: inventedPhoneNumber }]);
  });
});
