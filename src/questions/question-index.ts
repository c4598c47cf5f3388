import type { QuestionLookup, QuestionMatch, QuestionTopic } from "../engine/question-lookup.ts";
import { answerKeys, approvedMessages, type AnswerKey, type ApprovedContent } from "./answer-corpus.ts";
import { createDangerSigns } from "./danger-signs.ts";
import { createLexicalIndex, type LexicalIndex, type ScoredMessage } from "./lexical-index.ts";
import type { QuestionFile } from "./question-file.ts";
import { createQuestionWords, type QuestionWords } from "./question-words.ts";

/** An approved message as the index holds it: key, text, topic, and the locale the text is in. */
export type ApprovedMessage = { key: string; text: string; topic: QuestionTopic; locale: string };

/** A question looked up in full: the engine's answer, the topic it points to, and the ranked messages. */
export type QuestionSearch = { match: QuestionMatch; topic: QuestionTopic | null; results: Array<ScoredMessage<QuestionTopic>> };

/**
 * The engine's question lookup, plus what the model step and the eval need: the texts a question was
 * answered with, and the full ranking.
 */
export type QuestionIndex = QuestionLookup & {
  /** The approved texts of `keys` for a person in `locale`, in the order given. */
  texts(keys: readonly string[], locale: string | null): ApprovedMessage[];
  search(text: string, locale: string | null): QuestionSearch;
};

/**
 * How good a match must be to be sent as an answer, measured on eval/qa-questions.yaml: a BM25 score, and the
 * share of the question's meaningful words the best message contains. A strong score (many shared words and
 * pairs) may cover less of a long question. Below these, Loa says it has no answer.
 */
const minimumScore = 4;
const minimumCoverage = 0.4;
const strongScore = 14;
const minimumCoverageWhenStrong = 0.3;

/** Whether the best message answers the question well enough to be sent. */
function goodEnough(best: { score: number; coverage: number }): boolean {
  if (best.score < minimumScore) return false;
  return best.coverage >= minimumCoverage || (best.score >= strongScore && best.coverage >= minimumCoverageWhenStrong);
}
/**
 * The answer is about the topic most of the best messages are about; its best message leads, and others of that
 * topic go with it only when they score nearly as well.
 */
const companionShare = 0.75;
const maximumAnswers = 3;
/** How many of the best messages vote on the topic of a question. */
const topicVoters = 5;

type LocaleIndex = { lexical: LexicalIndex<QuestionTopic>; byKey: ReadonlyMap<string, ApprovedMessage> };

/** The topic most of the best-scoring messages are about, weighted by score; the best message counts twice. */
function topicOf(results: ReadonlyArray<ScoredMessage<QuestionTopic>>): QuestionTopic | null {
  const votes = new Map<QuestionTopic, number>();
  for (const [rank, result] of results.slice(0, topicVoters).entries()) {
    votes.set(result.topic, (votes.get(result.topic) ?? 0) + result.score * (rank === 0 ? 2 : 1));
  }
  let best: QuestionTopic | null = null;
  for (const [topic, score] of votes) if (best === null || score > (votes.get(best) ?? 0)) best = topic;
  return best;
}

/**
 * Builds the question index from the content: danger signs, and per locale a lexical index over the approved
 * messages (built the first time a person in that locale asks). `hostedModel` is passed through for the
 * privacy notice's branch.
 */
export function createQuestionIndex(options: {
  file: QuestionFile;
  content: ApprovedContent;
  contentDir: string;
  defaultLocale: string;
  hostedModel: boolean;
}): QuestionIndex {
  const keys: AnswerKey[] = answerKeys(options.content, options.file.answers, options.contentDir);
  const words: QuestionWords = createQuestionWords(options.file.words);
  const danger = createDangerSigns(options.file);
  const byLocale = new Map<string, LocaleIndex>();
  const indexFor = (locale: string | null): LocaleIndex => {
    const code = locale ?? options.defaultLocale;
    let index = byLocale.get(code);
    if (index === undefined) {
      const messages = approvedMessages(options.content, keys, code);
      index = { lexical: createLexicalIndex(messages, words), byKey: new Map(messages.map((message) => [message.key, message])) };
      byLocale.set(code, index);
    }
    return index;
  };

  function search(text: string, locale: string | null): QuestionSearch {
    const results = indexFor(locale).lexical.search(text);
    const best = results[0];
    const topic = topicOf(results);
    if (best === undefined || !goodEnough(best)) {
      return { match: { kind: "unmatched", questionLike: words.readsAsQuestion(text) }, topic: null, results };
    }
    const answerTopic = topic ?? best.topic;
    const onTopic = results.filter((result) => result.topic === answerTopic);
    const lead = onTopic[0] ?? best;
    const chosen = [lead, ...onTopic.slice(1).filter((result) => result.score >= lead.score * companionShare)];
    return { match: { kind: "answer", topic: answerTopic, keys: chosen.slice(0, maximumAnswers).map((result) => result.key) }, topic: answerTopic, results };
  }

  return {
    danger,
    match: (text, locale) => search(text, locale).match,
    hostedModel: options.hostedModel,
    search,
    texts(wanted, locale) {
      const { byKey } = indexFor(locale);
      return wanted.flatMap((key) => {
        const message = byKey.get(key);
        return message === undefined ? [] : [message];
      });
    },
  };
}
