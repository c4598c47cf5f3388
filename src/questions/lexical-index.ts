import { typoDistance } from "../places/place-matching.ts";
import type { QuestionWord, QuestionWords } from "./question-words.ts";

/**
 * A message the index can return: its content key, its text in one locale, and what it is about. `phrasings`
 * are ways people ask for it ("đẻ ở nhà"), indexed with the text and never shown.
 */
export type IndexedMessage<Topic extends string = string> = { key: string; text: string; topic: Topic; phrasings?: readonly string[] };

/**
 * A message found for a question. `score` is its BM25 score; `coverage` is the share of the question's
 * meaningful words (weighted by how rare they are) that the message contains, so a long question that
 * shares one common word with a message is not taken for a match.
 */
export type ScoredMessage<Topic extends string = string> = IndexedMessage<Topic> & { score: number; coverage: number };

/** Finds the messages that best match a question. */
export type LexicalIndex<Topic extends string = string> = {
  search(question: string): Array<ScoredMessage<Topic>>;
  /** The question's words after typo repair, so tests can see what a typo was repaired into. */
  repair(question: string): QuestionWord[];
};

// BM25's usual constants: how fast repeated words stop adding, and how much message length counts.
const k1 = 1.2;
const lengthWeight = 0.75;

/** Words shorter than this are never treated as typos: at two letters almost every word is one step from another. */
const shortestRepairable = 3;
/**
 * Shorter words are repaired only into a word that forms a known pair with a neighbour ("mag thai"): a short
 * Vietnamese syllable has many neighbours one edit away, and "trời" must not become "trở".
 */
const repairableAlone = 6;

/** A term without the diacritics part a marked word's term carries ("cay~…" is "cay"). */
function unmarked(term: string): string {
  const at = term.indexOf("~");
  return at < 0 ? term : term.slice(0, at);
}

type Document<Topic extends string> = { message: IndexedMessage<Topic>; counts: Map<string, number>; length: number };

/**
 * A BM25 index over one locale's approved messages, with typo repair: a typed word the index does not know
 * is replaced by a known word one edit away (two for long words) that forms a known pair with a neighbour
 * ("mag thai" becomes "mang thai"; long words need no neighbour), or split in two known words ("laychong").
 * Each message is indexed with its text and the phrasings questions.yaml gives it. Pure and in memory.
 */
export function createLexicalIndex<Topic extends string>(messages: ReadonlyArray<IndexedMessage<Topic>>, words: QuestionWords): LexicalIndex<Topic> {
  const known = new Map<string, number>();
  const pairs = new Set(words.knownPairs);
  for (const word of words.knownWords) known.set(word, 0);
  const documents: Array<Document<Topic>> = messages.map((message) => {
    const terms = [message.text, ...(message.phrasings ?? [])].flatMap((part) => {
      const raw = words.split(part);
      const folded = raw.map((word) => word.folded);
      for (const word of new Set(folded)) known.set(word, (known.get(word) ?? 0) + 1);
      for (let index = 1; index < folded.length; index += 1) pairs.add(`${folded[index - 1]} ${folded[index]}`);
      return words.terms(words.unify(raw), "message");
    });
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    return { message, counts, length: terms.length };
  });
  const documentFrequency = new Map<string, number>();
  for (const document of documents) for (const term of document.counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const averageLength = documents.reduce((sum, document) => sum + document.length, 0) / Math.max(1, documents.length);
  const idf = (term: string) => {
    const frequency = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (documents.length - frequency + 0.5) / (frequency + 0.5));
  };

  const isPair = (first: string | undefined, second: string | undefined) => first !== undefined && second !== undefined && pairs.has(`${first} ${second}`);

  const guessed = (folded: string): QuestionWord => ({ folded, marks: "", accented: false });

  function repairWord(words: readonly QuestionWord[], index: number): QuestionWord[] {
    const typed = words.map((word) => word.folded);
    const original = words[index] as QuestionWord;
    const word = original.folded;
    if (known.has(word) || word.length < shortestRepairable || /\d/.test(word)) return [original];
    for (let cut = 2; cut <= word.length - 2; cut += 1) {
      const first = word.slice(0, cut);
      const second = word.slice(cut);
      if (known.has(first) && known.has(second) && isPair(first, second)) return [guessed(first), guessed(second)];
    }
    const limit = word.length >= 7 ? 2 : 1;
    let best: { word: string; pairs: number; frequency: number } | undefined;
    for (const [candidate, frequency] of known) {
      if (typoDistance(word, candidate, limit) > limit) continue;
      const pairCount = Number(isPair(typed[index - 1], candidate)) + Number(isPair(candidate, typed[index + 1]));
      if (pairCount === 0 && word.length < repairableAlone) continue;
      const better =
        best === undefined ||
        pairCount > best.pairs ||
        (pairCount === best.pairs && (frequency > best.frequency || (frequency === best.frequency && candidate < best.word)));
      if (better) best = { word: candidate, pairs: pairCount, frequency };
    }
    return [best === undefined ? original : guessed(best.word)];
  }

  function repair(question: string): QuestionWord[] {
    const typed = words.split(question);
    return typed.flatMap((_, index) => repairWord(typed, index));
  }

  return {
    repair,
    search(question) {
      // A word typed with diacritics that no message has in that form (a slipped mark: "tin cây") counts as
      // typed without them.
      const terms = [
        ...new Set(words.terms(words.unify(repair(question)), "question").map((term) => (documentFrequency.has(term) ? term : unmarked(term)))),
      ];
      const single = terms.filter((term) => !term.includes("_"));
      const totalWeight = single.reduce((sum, term) => sum + idf(term), 0);
      const results: Array<ScoredMessage<Topic>> = [];
      for (const document of documents) {
        let score = 0;
        let covered = 0;
        for (const term of terms) {
          const count = document.counts.get(term);
          if (count === undefined) continue;
          score += (idf(term) * count * (k1 + 1)) / (count + k1 * (1 - lengthWeight + (lengthWeight * document.length) / averageLength));
          if (!term.includes("_")) covered += idf(term);
        }
        if (score > 0) results.push({ ...document.message, score, coverage: totalWeight === 0 ? 0 : covered / totalWeight });
      }
      return results.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
    },
  };
}
