import { prepareWords, sameWord, type PreparedWord } from "../engine/text-folding.ts";
import type { QuestionFile } from "./question-file.ts";

/**
 * One word of a question or message, prepared as the engine prepares keywords: `folded` without case or
 * diacritics, its `marks`, and whether it was typed with any. A word typed with diacritics is compared with
 * its marks ("để" is not "đẻ", "giá" is not "gia"); one typed without matches any accented form ("de" may be
 * "đẻ" or "để"), which is how people who cannot type the marks are still understood.
 */
export type QuestionWord = PreparedWord;

/**
 * How a question and the approved messages are turned into comparable terms: texting shorthand written out
 * ("ko" is "không"), minority-language words put into Vietnamese, words that mean the same made one ("đẻ" is
 * "sinh", "có bầu" is "mang thai"), common words left out, and neighbouring words paired ("mang_thai").
 * Typo repair needs the index's vocabulary and lives there.
 */
export type QuestionWords = {
  /** The words of a text, shorthand written out: what typo repair works on. */
  split(text: string): QuestionWord[];
  /** Minority words translated and same-meaning words unified. */
  unify(words: readonly QuestionWord[]): QuestionWord[];
  /**
   * The terms that are counted: meaningful words and pairs of neighbouring words ("mang_thai"). A word typed
   * with diacritics counts as itself ("giá" is not "gia"); one typed without counts as any accented form. So a
   * message gives each accented word in both forms, and a question each word in the one form it was typed in.
   */
  terms(words: readonly QuestionWord[], of: "message" | "question"): string[];
  /** Whether text reads as a question: a question mark, a question word, or a long sentence. */
  readsAsQuestion(text: string): boolean;
  /** Folded words the file itself knows (so they are never "repaired" into another word), and their neighbouring pairs. */
  readonly knownWords: ReadonlySet<string>;
  readonly knownPairs: ReadonlySet<string>;
};

/** From this many words on, a text reads as a question even without a question word. */
const longSentenceWords = 6;

type Replacements = { phrases: Array<{ from: PreparedWord[]; to: QuestionWord[] }>; longest: number };

/** The form of a word that keeps its diacritics apart. */
function markedForm(word: QuestionWord, stemmed: string): string {
  return `${stemmed}~${word.marks}`;
}

function replacements(pairs: ReadonlyArray<readonly [string, string]>): Replacements {
  const phrases = pairs
    .map(([from, to]) => ({ from: prepareWords(from), to: prepareWords(to) }))
    .filter((phrase) => phrase.from.length > 0)
    .sort((a, b) => b.from.length - a.from.length);
  return { phrases, longest: Math.max(1, ...phrases.map((phrase) => phrase.from.length)) };
}

/** Replaces every phrase the table knows, longest first, scanning left to right. */
function replace(words: readonly QuestionWord[], table: Replacements): QuestionWord[] {
  const out: QuestionWord[] = [];
  for (let start = 0; start < words.length; ) {
    const found = table.phrases.find(
      (phrase) => start + phrase.from.length <= words.length && phrase.from.every((word, offset) => sameWord(words[start + offset] as QuestionWord, word)),
    );
    if (found) {
      out.push(...found.to);
      start += found.from.length;
    } else {
      out.push(words[start] as QuestionWord);
      start += 1;
    }
  }
  return out;
}

/**
 * A light English stemmer for the English content ("marriages" and "married" share "marri"). It cannot change
 * a Vietnamese word: no Vietnamese syllable ends in -s, -ed or -ing.
 */
function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const [suffix, replacement] of [["ies", "y"], ["ing", ""], ["ed", ""], ["es", ""], ["s", ""]] as const) {
    if (word.endsWith(suffix) && !word.endsWith("ss")) return `${word.slice(0, -suffix.length)}${replacement}`;
  }
  return word;
}

/** Builds the word rules of `content/questions.yaml`. */
export function createQuestionWords(file: QuestionFile["words"]): QuestionWords {
  const shorthand = replacements(Object.entries(file.shorthand));
  const minority = replacements(file.minority.map((word) => [word.word, word.means] as const));
  const same = replacements(file.same.flatMap((group) => group.slice(1).map((word) => [word, group[0] as string] as const)));
  const ignored = file.ignore.flatMap(prepareWords);
  const questionPhrases = file.questionWords.map(prepareWords).filter((words) => words.length > 0);
  const knownWords = new Set<string>();
  const knownPairs = new Set<string>();
  const learn = (text: string) => {
    const words = prepareWords(text).map((word) => word.folded);
    for (const word of words) knownWords.add(word);
    for (let index = 1; index < words.length; index += 1) knownPairs.add(`${words[index - 1]} ${words[index]}`);
  };
  for (const text of [...file.ignore, ...file.questionWords, ...Object.values(file.shorthand), ...file.same.flat()]) learn(text);
  for (const word of file.minority) {
    learn(word.word);
    learn(word.means);
  }
  const split = (text: string) => replace(prepareWords(text), shorthand);

  return {
    split,
    unify: (words) => replace(replace(words, minority), same),
    terms(words, of) {
      const stems = words.map((word) => stem(word.folded));
      const skip = words.map((word) => ignored.some((wanted) => sameWord(word, wanted)));
      const terms = words.flatMap((word, index) => {
        const stemmed = stems[index] as string;
        if (skip[index]) return [];
        if (!word.accented) return [stemmed];
        return of === "message" ? [stemmed, markedForm(word, stemmed)] : [markedForm(word, stemmed)];
      });
      for (let index = 1; index < stems.length; index += 1) {
        if (!skip[index - 1] || !skip[index]) terms.push(`${stems[index - 1]}_${stems[index]}`);
      }
      return terms;
    },
    readsAsQuestion(text) {
      if (text.includes("?")) return true;
      const words = split(text);
      if (words.length >= longSentenceWords) return true;
      return questionPhrases.some((phrase) =>
        words.some((_, start) => phrase.every((wanted, offset) => {
          const typed = words[start + offset];
          return typed !== undefined && sameWord(typed, wanted);
        })),
      );
    },
    knownWords,
    knownPairs,
  };
}
