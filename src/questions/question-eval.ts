import { z } from "zod";
import { readYamlFile } from "../content/data-file.ts";
import type { TriggerKeywords } from "../engine/flow-definition.ts";
import { matchTrigger } from "../engine/global-triggers.ts";
import type { QuestionTopic } from "../engine/question-lookup.ts";
import type { AnswerComposer, ComposedAnswer } from "./answer-composer.ts";
import { groundingProblems } from "./grounding-check.ts";
import { questionTopicSchema } from "./question-file.ts";
import type { ApprovedMessage, QuestionIndex } from "./question-index.ts";

/**
 * The question eval: a labelled set of questions (eval/qa-questions.yaml) run through the same steps as a
 * conversation (danger rules and keywords, retrieval, the model and its check), scored for topic, urgency
 * and grounding. `npm run eval:qa` prints it; a test runs it with a scripted fake model.
 */

const forms = ["accented", "plain", "typo", "hmn", "blt"] as const;

const evalQuestionSchema = z
  .object({
    q: z.string().min(1),
    topic: z.union([questionTopicSchema, z.literal("none")]),
    urgent: z.boolean(),
    form: z.enum(forms),
    words: z.array(z.string()).optional().describe("minority-language words used, with their meaning"),
    heldOut: z.boolean().default(false).describe("written after the word lists and thresholds were tuned"),
  })
  .strict();
export type EvalQuestion = z.infer<typeof evalQuestionSchema>;

const evalFileSchema = z.object({ questions: z.array(evalQuestionSchema).min(1) }).strict();

/** Loads and validates the labelled questions. */
export async function loadEvalQuestions(file: string): Promise<EvalQuestion[]> {
  return (await readYamlFile(file, evalFileSchema)).questions;
}

/** What happened to one question. */
export type EvalResult = {
  question: EvalQuestion;
  topic: QuestionTopic | "none";
  urgent: boolean;
  /** The model step's outcome; undefined when it did not run (urgent by rule, or nothing to compose). */
  model: ComposedAnswer["outcome"] | undefined;
  /** Problems in the text that would be sent; must always be empty. */
  violations: number;
};

/** The eval's figures, and every result for `--details`. */
export type EvalReport = {
  results: EvalResult[];
  topicAccuracy: number;
  /** Share of the questions labelled urgent that were answered as urgent. */
  urgencyRecall: number;
  /** Questions not labelled urgent that were answered as urgent. */
  falseAlarms: number;
  /** Sent answers that state a number or law reference their sources do not. */
  groundingViolations: number;
  /** Model answers the grounding or citation check refused (the retrieved messages went instead). */
  caughtByCheck: number;
  byForm: Record<(typeof forms)[number], { count: number; topicCorrect: number }>;
  /** The questions nobody tuned for: the fairer figures. */
  heldOut: { count: number; topicCorrect: number; urgent: number; urgentFound: number };
};

/** What the eval needs: the question index, the global keywords, and a composer (or none, retrieval only). */
export type EvalSetup = {
  index: QuestionIndex;
  keywords: TriggerKeywords;
  directoryNumbers: readonly string[];
  locale: string;
  /** The composer for one question, given what retrieval found (a scripted fake model builds its reply from it). */
  composerFor?: (question: EvalQuestion, context: { topic: QuestionTopic | "none"; messages: readonly ApprovedMessage[]; position: number }) => AnswerComposer;
};

async function runOne(setup: EvalSetup, question: EvalQuestion, position: number): Promise<EvalResult> {
  const danger = setup.index.danger(question.q);
  const urgentByRule = danger !== null || matchTrigger(question.q, setup.keywords) === "emergency";
  const search = setup.index.search(question.q, setup.locale);
  const keys = search.match.kind === "answer" ? search.match.keys : [];
  const topic: QuestionTopic | "none" = danger?.topic ?? (search.match.kind === "answer" ? search.match.topic : "none");
  const messages = setup.index.texts(keys, setup.locale);
  const asked = search.match.kind === "answer" || search.match.questionLike;
  if (urgentByRule || !asked || setup.composerFor === undefined) return { question, topic, urgent: urgentByRule, model: undefined, violations: 0 };
  const composer = setup.composerFor(question, { topic, messages, position });
  const composed = await composer.compose({ question: question.q, locale: setup.locale, messages, directoryNumbers: setup.directoryNumbers });
  const sent = composed.outcome === "composed" ? composed.text : messages.map((message) => message.text).join("\n\n");
  const violations = groundingProblems(sent, messages.map((message) => message.text), setup.directoryNumbers).length;
  const modelTopic = composed.topic ?? topic;
  return { question, topic: modelTopic, urgent: composed.urgent, model: composed.outcome, violations };
}

/** Runs every question in order (a real model is called one question at a time) and scores the results. */
export async function runQuestionEval(setup: EvalSetup, questions: readonly EvalQuestion[]): Promise<EvalReport> {
  const results: EvalResult[] = [];
  for (const [position, question] of questions.entries()) results.push(await runOne(setup, question, position));
  const urgentOnes = results.filter((result) => result.question.urgent);
  const byForm = Object.fromEntries(forms.map((form) => [form, { count: 0, topicCorrect: 0 }])) as EvalReport["byForm"];
  for (const result of results) {
    const entry = byForm[result.question.form];
    entry.count += 1;
    if (result.topic === result.question.topic) entry.topicCorrect += 1;
  }
  const heldOut = results.filter((result) => result.question.heldOut);
  return {
    results,
    heldOut: {
      count: heldOut.length,
      topicCorrect: heldOut.filter((result) => result.topic === result.question.topic).length,
      urgent: heldOut.filter((result) => result.question.urgent).length,
      urgentFound: heldOut.filter((result) => result.question.urgent && result.urgent).length,
    },
    topicAccuracy: results.filter((result) => result.topic === result.question.topic).length / results.length,
    urgencyRecall: urgentOnes.length === 0 ? 1 : urgentOnes.filter((result) => result.urgent).length / urgentOnes.length,
    falseAlarms: results.filter((result) => result.urgent && !result.question.urgent).length,
    groundingViolations: results.reduce((sum, result) => sum + result.violations, 0),
    caughtByCheck: results.filter((result) => result.model === "ungrounded" || result.model === "bad_citation").length,
    byForm,
  };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The report as lines for a terminal; with `details`, every question whose topic or urgency was wrong. */
export function formatEvalReport(report: EvalReport, model: string, details: boolean): string[] {
  const urgent = report.results.filter((result) => result.question.urgent);
  const outcomes = new Map<string, number>();
  for (const result of report.results) if (result.model !== undefined) outcomes.set(result.model, (outcomes.get(result.model) ?? 0) + 1);
  const lines = [
    `Question eval: ${report.results.length} questions, model: ${model}`,
    `  topic accuracy          ${percent(report.topicAccuracy)} (${report.results.filter((r) => r.topic === r.question.topic).length}/${report.results.length})`,
    ...Object.entries(report.byForm)
      .filter(([, entry]) => entry.count > 0)
      .map(([form, entry]) => `    ${form.padEnd(21)} ${percent(entry.topicCorrect / entry.count)} (${entry.topicCorrect}/${entry.count})`),
    `  urgency recall (danger) ${percent(report.urgencyRecall)} (${urgent.filter((r) => r.urgent).length}/${urgent.length})`,
    `  held out (not tuned on) topic ${report.heldOut.topicCorrect}/${report.heldOut.count}, urgency ${report.heldOut.urgentFound}/${report.heldOut.urgent}`,
    `  false alarms            ${report.falseAlarms} of ${report.results.length - urgent.length} not urgent`,
    `  grounding violations    ${report.groundingViolations}`,
    `  caught by the check     ${report.caughtByCheck}`,
    `  model outcomes          ${[...outcomes].map(([outcome, count]) => `${outcome} ${count}`).join(", ") || "none run"}`,
  ];
  if (details) {
    for (const result of report.results) {
      const wrongTopic = result.topic !== result.question.topic;
      const wrongUrgency = result.urgent !== result.question.urgent;
      if (!wrongTopic && !wrongUrgency) continue;
      lines.push(
        `  - ${JSON.stringify(result.question.q)}: topic ${result.topic} (want ${result.question.topic})${wrongUrgency ? `, urgent ${result.urgent} (want ${result.question.urgent})` : ""}`,
      );
    }
  }
  return lines;
}
